"""GCP checks. The list below is the GCP part of the catalogue; order is display order."""

from __future__ import annotations

from checks.gcp.compute import proxy_weak_tls
from checks.gcp.iam import (
    basic_role_granted_to_user,
    duties_not_separated,
    personal_account_access,
    project_public_access,
    service_account_admin_role,
    service_account_key_too_old,
    service_account_user_managed_key,
    user_can_impersonate_service_accounts,
)
from checks.gcp.kms import key_public_access, key_rotation_too_long
from checks.gcp.logging import (
    data_access_audit_logs_incomplete,
    log_bucket_retention_too_short,
    no_sink_for_all_logs,
    sink_bucket_without_retention,
)
from checks.gcp.sql import (
    backups_disabled,
    instance_without_cmek,
    open_to_internet,
    ssl_not_required,
)
from checks.gcp.storage import (
    bucket_public_access,
    bucket_public_access_prevention_off,
    bucket_uniform_access_disabled,
    bucket_without_cmek,
)
from checks.gcp.workspace import user_without_2sv
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = (
    project_public_access.CHECK,
    basic_role_granted_to_user.CHECK,
    personal_account_access.CHECK,
    service_account_admin_role.CHECK,
    service_account_user_managed_key.CHECK,
    service_account_key_too_old.CHECK,
    user_can_impersonate_service_accounts.CHECK,
    duties_not_separated.CHECK,
    user_without_2sv.CHECK,
    data_access_audit_logs_incomplete.CHECK,
    no_sink_for_all_logs.CHECK,
    log_bucket_retention_too_short.CHECK,
    sink_bucket_without_retention.CHECK,
    bucket_public_access.CHECK,
    bucket_uniform_access_disabled.CHECK,
    bucket_public_access_prevention_off.CHECK,
    bucket_without_cmek.CHECK,
    key_public_access.CHECK,
    key_rotation_too_long.CHECK,
    ssl_not_required.CHECK,
    open_to_internet.CHECK,
    backups_disabled.CHECK,
    instance_without_cmek.CHECK,
    proxy_weak_tls.CHECK,
)
