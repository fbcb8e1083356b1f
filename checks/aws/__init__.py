"""AWS checks. The list below is the AWS part of the catalogue; order is display order."""

from __future__ import annotations

from checks.aws.awslambda import plaintext_credentials_in_environment
from checks.aws.dynamodb import pitr_disabled
from checks.aws.ebs import (
    encryption_by_default_disabled,
    snapshot_unencrypted,
    volume_unencrypted,
)
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
from checks.aws.kms import key_pending_deletion, key_rotation_disabled
from checks.aws.rds import (
    backup_retention_too_short,
    instance_publicly_accessible,
    instance_unencrypted,
    ssl_not_enforced,
)
from checks.aws.s3 import (
    bucket_access_logging_disabled,
    bucket_allows_non_tls,
    bucket_public,
    bucket_unencrypted,
    bucket_versioning_disabled,
    bucket_without_lifecycle,
)
from checks.aws.secretsmanager import secret_rotation_disabled
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
    # storage and keys
    bucket_public.CHECK,
    bucket_allows_non_tls.CHECK,
    bucket_unencrypted.CHECK,
    bucket_versioning_disabled.CHECK,
    bucket_access_logging_disabled.CHECK,
    bucket_without_lifecycle.CHECK,
    key_rotation_disabled.CHECK,
    key_pending_deletion.CHECK,
    encryption_by_default_disabled.CHECK,
    volume_unencrypted.CHECK,
    snapshot_unencrypted.CHECK,
    instance_unencrypted.CHECK,
    instance_publicly_accessible.CHECK,
    backup_retention_too_short.CHECK,
    ssl_not_enforced.CHECK,
    pitr_disabled.CHECK,
    secret_rotation_disabled.CHECK,
    plaintext_credentials_in_environment.CHECK,
)
