"""AWS checks. The list below is the AWS part of the catalogue; order is display order."""

from __future__ import annotations

from checks.aws.acm import certificate_expiring
from checks.aws.apigateway import domain_weak_tls_policy
from checks.aws.awslambda import plaintext_credentials_in_environment
from checks.aws.cloudfront import viewer_allows_http as cloudfront_viewer_allows_http
from checks.aws.cloudfront import weak_tls_policy as cloudfront_weak_tls_policy
from checks.aws.cloudtrail import (
    log_file_validation_disabled,
    no_multi_region_trail,
    trail_bucket_public,
    trail_not_kms_encrypted,
    trail_without_cloudwatch_logs,
)
from checks.aws.cloudwatch import (
    cloudtrail_changes_alarm_missing,
    console_login_without_mfa_alarm_missing,
    iam_policy_changes_alarm_missing,
    root_usage_alarm_missing,
    unauthorized_api_calls_alarm_missing,
)
from checks.aws.config import not_recording as config_not_recording
from checks.aws.dynamodb import pitr_disabled
from checks.aws.ebs import (
    encryption_by_default_disabled,
    snapshot_unencrypted,
    volume_unencrypted,
)
from checks.aws.elb import http_without_https_redirect as elb_http_without_https_redirect
from checks.aws.elb import weak_tls_policy as elb_weak_tls_policy
from checks.aws.elbv2 import http_without_https_redirect as elbv2_http_without_https_redirect
from checks.aws.elbv2 import weak_tls_policy as elbv2_weak_tls_policy
from checks.aws.guardduty import not_enabled as guardduty_not_enabled
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
from checks.aws.logs import log_group_not_kms_encrypted, log_group_retention_too_short
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
from checks.aws.securityhub import not_enabled as securityhub_not_enabled
from checks.aws.vpc import (
    default_security_group_allows_traffic,
    flow_logs_disabled,
    security_group_open_to_internet,
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
    # logging, monitoring, network and TLS
    no_multi_region_trail.CHECK,
    log_file_validation_disabled.CHECK,
    trail_not_kms_encrypted.CHECK,
    trail_without_cloudwatch_logs.CHECK,
    trail_bucket_public.CHECK,
    log_group_retention_too_short.CHECK,
    log_group_not_kms_encrypted.CHECK,
    root_usage_alarm_missing.CHECK,
    unauthorized_api_calls_alarm_missing.CHECK,
    console_login_without_mfa_alarm_missing.CHECK,
    iam_policy_changes_alarm_missing.CHECK,
    cloudtrail_changes_alarm_missing.CHECK,
    guardduty_not_enabled.CHECK,
    securityhub_not_enabled.CHECK,
    config_not_recording.CHECK,
    flow_logs_disabled.CHECK,
    security_group_open_to_internet.CHECK,
    default_security_group_allows_traffic.CHECK,
    elbv2_http_without_https_redirect.CHECK,
    elbv2_weak_tls_policy.CHECK,
    elb_http_without_https_redirect.CHECK,
    elb_weak_tls_policy.CHECK,
    cloudfront_viewer_allows_http.CHECK,
    cloudfront_weak_tls_policy.CHECK,
    domain_weak_tls_policy.CHECK,
    certificate_expiring.CHECK,
)
