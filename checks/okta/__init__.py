"""Okta checks. The list below is the Okta part of the catalogue; order is display order."""

from __future__ import annotations

from checks.okta.admins import (
    inactive_user_holds_role,
    role_assigned_directly,
    too_many_super_admins,
    without_phishing_resistant_factor,
)
from checks.okta.api_tokens import not_network_restricted, owned_by_super_admin, unused
from checks.okta.authenticators import weak_enabled
from checks.okta.logging import no_active_log_stream
from checks.okta.policy import (
    admin_console_without_mfa,
    password_history_short,
    password_lockout_weak,
    password_min_length_short,
    session_idle_too_long,
    session_lifetime_too_long,
    session_persistent_cookie,
)
from checks.okta.security import threat_insight_not_blocking
from checks.okta.users import active_without_mfa, dormant, never_logged_in
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = (
    active_without_mfa.CHECK,
    admin_console_without_mfa.CHECK,
    without_phishing_resistant_factor.CHECK,
    weak_enabled.CHECK,
    password_min_length_short.CHECK,
    password_history_short.CHECK,
    password_lockout_weak.CHECK,
    session_lifetime_too_long.CHECK,
    session_idle_too_long.CHECK,
    session_persistent_cookie.CHECK,
    too_many_super_admins.CHECK,
    role_assigned_directly.CHECK,
    dormant.CHECK,
    never_logged_in.CHECK,
    inactive_user_holds_role.CHECK,
    owned_by_super_admin.CHECK,
    not_network_restricted.CHECK,
    unused.CHECK,
    no_active_log_stream.CHECK,
    threat_insight_not_blocking.CHECK,
)
