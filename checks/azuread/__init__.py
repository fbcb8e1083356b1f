"""Azure AD (Entra ID) checks. The list below is the Azure AD part of the catalogue."""

from __future__ import annotations

from checks.azuread.apps import credential_expiring, credential_lifetime_too_long
from checks.azuread.authorization import (
    guest_access_unrestricted,
    users_can_consent_to_apps,
    users_can_register_apps,
)
from checks.azuread.conditional_access import legacy_auth_not_blocked, mfa_not_enforced
from checks.azuread.roles import (
    global_admin_count,
    privileged_guest,
    privileged_synced_account,
    privileged_without_mfa,
)
from checks.azuread.users import guest_stale, mfa_not_registered, stale_sign_in
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = (
    mfa_not_enforced.CHECK,
    legacy_auth_not_blocked.CHECK,
    privileged_without_mfa.CHECK,
    mfa_not_registered.CHECK,
    global_admin_count.CHECK,
    privileged_synced_account.CHECK,
    privileged_guest.CHECK,
    stale_sign_in.CHECK,
    guest_stale.CHECK,
    credential_expiring.CHECK,
    credential_lifetime_too_long.CHECK,
    users_can_register_apps.CHECK,
    users_can_consent_to_apps.CHECK,
    guest_access_unrestricted.CHECK,
)
