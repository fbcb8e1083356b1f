"""GCP checks. The list below is the GCP part of the catalogue; order is display order."""

from __future__ import annotations

from checks.registry import checks_of
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = checks_of(
    __name__,
    "iam.project_public_access",
    "iam.basic_role_granted_to_user",
    "iam.personal_account_access",
    "iam.service_account_admin_role",
    "iam.service_account_user_managed_key",
    "iam.service_account_key_too_old",
    "iam.user_can_impersonate_service_accounts",
    "iam.duties_not_separated",
    "workspace.user_without_2sv",
    "logging.data_access_audit_logs_incomplete",
    "logging.no_sink_for_all_logs",
    "logging.log_bucket_retention_too_short",
    "logging.sink_bucket_without_retention",
    "storage.bucket_public_access",
    "storage.bucket_uniform_access_disabled",
    "storage.bucket_public_access_prevention_off",
    "storage.bucket_without_cmek",
    "kms.key_public_access",
    "kms.key_rotation_too_long",
    "sql.ssl_not_required",
    "sql.open_to_internet",
    "sql.backups_disabled",
    "sql.instance_without_cmek",
    "compute.proxy_weak_tls",
)
