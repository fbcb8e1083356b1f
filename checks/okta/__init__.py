"""Okta checks. The list below is the Okta part of the catalogue; order is display order."""

from __future__ import annotations

from checks.registry import checks_of
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = checks_of(
    __name__,
    "users.active_without_mfa",
    "policy.admin_console_without_mfa",
    "admins.without_phishing_resistant_factor",
    "authenticators.weak_enabled",
    "policy.password_min_length_short",
    "policy.password_history_short",
    "policy.password_lockout_weak",
    "policy.session_lifetime_too_long",
    "policy.session_idle_too_long",
    "policy.session_persistent_cookie",
    "admins.too_many_super_admins",
    "admins.role_assigned_directly",
    "users.dormant",
    "users.never_logged_in",
    "admins.inactive_user_holds_role",
    "api_tokens.owned_by_super_admin",
    "api_tokens.not_network_restricted",
    "api_tokens.unused",
    "logging.no_active_log_stream",
    "security.threat_insight_not_blocking",
)
