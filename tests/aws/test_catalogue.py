from __future__ import annotations

import importlib

from checks.aws import CHECKS
from checks.registry import all_checks
from scanner.inventory import aws_monitoring as mon
from scanner.inventory.aws import AwsInventory

ISSUE_CRITERIA = {
    "aws.cloudtrail.no_multi_region_trail": ("CC7.2",),
    "aws.cloudtrail.log_file_validation_disabled": ("CC7.2",),
    "aws.cloudtrail.trail_not_kms_encrypted": ("CC6.1",),
    "aws.cloudtrail.trail_without_cloudwatch_logs": ("CC7.2",),
    "aws.cloudtrail.trail_bucket_public": ("CC6.1",),
    "aws.logs.log_group_retention_too_short": ("C1.2", "CC7.2"),
    "aws.logs.log_group_not_kms_encrypted": ("CC6.1",),
    "aws.cloudwatch.root_usage_alarm_missing": ("CC7.2",),
    "aws.cloudwatch.unauthorized_api_calls_alarm_missing": ("CC7.2",),
    "aws.cloudwatch.console_login_without_mfa_alarm_missing": ("CC7.2",),
    "aws.cloudwatch.iam_policy_changes_alarm_missing": ("CC7.2",),
    "aws.cloudwatch.cloudtrail_changes_alarm_missing": ("CC7.2",),
    "aws.guardduty.not_enabled": ("CC7.2", "CC7.3"),
    "aws.securityhub.not_enabled": ("CC7.2",),
    "aws.config.not_recording": ("CC7.1", "CC8.1"),
    "aws.vpc.flow_logs_disabled": ("CC7.2",),
    "aws.vpc.security_group_open_to_internet": ("CC6.6",),
    "aws.vpc.default_security_group_allows_traffic": ("CC6.6",),
    "aws.elbv2.http_without_https_redirect": ("CC6.7",),
    "aws.elbv2.weak_tls_policy": ("CC6.7",),
    "aws.elb.http_without_https_redirect": ("CC6.7",),
    "aws.elb.weak_tls_policy": ("CC6.7",),
    "aws.cloudfront.viewer_allows_http": ("CC6.7",),
    "aws.cloudfront.weak_tls_policy": ("CC6.7",),
    "aws.apigateway.domain_weak_tls_policy": ("CC6.7",),
    "aws.acm.certificate_expiring": ("CC6.7",),
}


def test_every_check_is_registered_with_the_issue_criteria() -> None:
    registered = {c.id: c for c in all_checks()}
    for check_id, criteria in ISSUE_CRITERIA.items():
        assert registered[check_id].meta.soc2 == criteria, check_id


def test_ids_match_their_modules() -> None:
    for check_id in ISSUE_CRITERIA:
        _, service, name = check_id.split(".")
        module = importlib.import_module(f"checks.aws.{service}.{name}")
        assert module.CHECK.id == check_id
        assert module.CHECK in CHECKS


def test_required_collections_are_declared_and_collected() -> None:
    from providers.aws.adapter import ALL_COLLECTIONS

    collected = {c.name for c in ALL_COLLECTIONS}
    fields = set(AwsInventory.model_fields)
    for c in ALL_COLLECTIONS:
        assert c.field in fields, c.name
    for check_id in ISSUE_CRITERIA:
        check = next(c for c in CHECKS if c.id == check_id)
        assert set(check.meta.requires) <= collected, check_id
    names = {v for k, v in vars(mon).items() if k.isupper() and isinstance(v, str)}
    assert names <= collected


def test_every_module_in_my_service_packages_is_a_registered_check() -> None:
    import pkgutil

    services = {check_id.split(".")[1] for check_id in ISSUE_CRITERIA}
    for service in services:
        package = importlib.import_module(f"checks.aws.{service}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"checks.aws.{service}.{info.name}")
            assert module.CHECK.id == f"aws.{service}.{info.name}"
            assert module.CHECK in CHECKS
