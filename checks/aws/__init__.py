"""AWS checks. The list below is the AWS part of the catalogue; order is display order."""

from __future__ import annotations

from checks.aws.iam import (
    access_key_too_old,
    credential_unused,
    password_policy_weak,
    role_cross_account_without_external_id,
    root_access_keys_present,
    root_mfa_disabled,
    root_recently_used,
    user_console_without_mfa,
    user_direct_policies,
    user_has_admin,
    user_multiple_active_keys,
)
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = (
    root_mfa_disabled.CHECK,
    root_access_keys_present.CHECK,
    root_recently_used.CHECK,
    user_console_without_mfa.CHECK,
    access_key_too_old.CHECK,
    user_multiple_active_keys.CHECK,
    credential_unused.CHECK,
    user_has_admin.CHECK,
    user_direct_policies.CHECK,
    password_policy_weak.CHECK,
    role_cross_account_without_external_id.CHECK,
)
