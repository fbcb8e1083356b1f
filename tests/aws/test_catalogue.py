"""The AWS checks are wired: ids match their modules, the logging, monitoring and network checks
keep their SOC 2 criteria, and the adapter collects what the checks read."""

from __future__ import annotations

import importlib

from checks.aws import CHECKS
from checks.registry import all_checks
from providers.aws.collections import COLLECTIONS
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import monitoring as mon
from scanner.inventory.aws import network as net
from scanner.inventory.aws import storage as data

LOGGING_AND_NETWORK_CRITERIA = {
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
STORAGE_CHECK_IDS = {
    "aws.s3.bucket_public",
    "aws.s3.bucket_allows_non_tls",
    "aws.s3.bucket_unencrypted",
    "aws.s3.bucket_versioning_disabled",
    "aws.s3.bucket_access_logging_disabled",
    "aws.s3.bucket_without_lifecycle",
    "aws.kms.key_rotation_disabled",
    "aws.kms.key_pending_deletion",
    "aws.ebs.encryption_by_default_disabled",
    "aws.ebs.volume_unencrypted",
    "aws.ebs.snapshot_unencrypted",
    "aws.rds.instance_unencrypted",
    "aws.rds.instance_publicly_accessible",
    "aws.rds.backup_retention_too_short",
    "aws.rds.ssl_not_enforced",
    "aws.dynamodb.pitr_disabled",
    "aws.secretsmanager.secret_rotation_disabled",
    "aws.lambda.plaintext_credentials_in_environment",
}
STORAGE_SERVICES = {check_id.split(".")[1] for check_id in STORAGE_CHECK_IDS}
STORAGE = [c for c in CHECKS if c.id.split(".")[1] in STORAGE_SERVICES]


def test_each_logging_and_network_check_keeps_its_soc2_criteria() -> None:
    registered = {c.id: c for c in all_checks()}
    for check_id, criteria in LOGGING_AND_NETWORK_CRITERIA.items():
        assert registered[check_id].meta.soc2 == criteria, check_id


def test_logging_and_network_ids_match_their_modules() -> None:
    for check_id in LOGGING_AND_NETWORK_CRITERIA:
        _, service, name = check_id.split(".")
        module = importlib.import_module(f"checks.aws.{service}.{name}")
        assert module.CHECK.id == check_id
        assert module.CHECK in CHECKS


def test_logging_and_network_collections_are_declared_and_collected() -> None:
    collected = {c.name for c in COLLECTIONS}
    fields = set(AwsInventory.model_fields)
    for c in COLLECTIONS:
        assert set(c.fields) <= fields, c.name
    for check_id in LOGGING_AND_NETWORK_CRITERIA:
        check = next(c for c in CHECKS if c.id == check_id)
        assert set(check.meta.requires) <= collected, check_id
    names = {
        v
        for module in (mon, net)
        for k, v in vars(module).items()
        if k.isupper() and isinstance(v, str)
    }
    assert names <= collected


def test_every_module_in_the_logging_and_network_packages_is_a_registered_check() -> None:
    import pkgutil

    services = {check_id.split(".")[1] for check_id in LOGGING_AND_NETWORK_CRITERIA}
    for service in services:
        package = importlib.import_module(f"checks.aws.{service}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"checks.aws.{service}.{info.name}")
            assert module.CHECK.id == f"aws.{service}.{info.name}"
            assert module.CHECK in CHECKS


def test_storage_ids_match_their_modules_and_are_unique() -> None:
    assert {c.id for c in STORAGE} == STORAGE_CHECK_IDS
    assert len({c.id for c in CHECKS}) == len(CHECKS)
    for check in STORAGE:
        module = check.evaluate.__module__
        assert module.startswith("checks.aws."), module
        assert module.rsplit(".", 1)[1] == check.id.rsplit(".", 1)[1], check.id


def test_every_collection_a_storage_check_reads_is_collected_into_an_inventory_field() -> None:
    collections = {c.name: c for c in COLLECTIONS}
    for check in STORAGE:
        for name in check.meta.requires:
            assert name in collections, f"{check.id} reads {name}, which nothing collects"
            assert set(collections[name].fields) <= set(AwsInventory.model_fields)


def test_storage_collections_declare_their_actions() -> None:
    storage_collections = {
        data.S3_BUCKETS,
        data.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        data.KMS_KEYS,
        data.EBS_ENCRYPTION_DEFAULTS,
        data.EBS_VOLUMES,
        data.EBS_SNAPSHOTS,
        data.RDS_INSTANCES,
        data.DYNAMODB_TABLES,
        data.SECRETS,
        data.LAMBDA_FUNCTIONS,
    }
    declared = [c for c in COLLECTIONS if c.name in storage_collections]
    assert {c.name for c in declared} == storage_collections
    for collection in declared:
        assert collection.needs.actions
        assert all(":" in a for a in collection.needs.actions)
