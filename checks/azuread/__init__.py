"""Azure AD (Entra ID) checks. The list below is the Azure AD part of the catalogue."""

from __future__ import annotations

from checks.registry import checks_of
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = checks_of(
    __name__,
    "conditional_access.mfa_not_enforced",
    "conditional_access.legacy_auth_not_blocked",
    "roles.privileged_without_mfa",
    "users.mfa_not_registered",
    "roles.global_admin_count",
    "roles.privileged_synced_account",
    "roles.privileged_guest",
    "users.stale_sign_in",
    "users.guest_stale",
    "apps.credential_expiring",
    "apps.credential_lifetime_too_long",
    "authorization.users_can_register_apps",
    "authorization.users_can_consent_to_apps",
    "authorization.guest_access_unrestricted",
)
