"""The storage checks are wired: ids match modules, and the adapter collects what they read."""

from __future__ import annotations

from checks.aws import CHECKS
from providers.aws.adapter import ALL_COLLECTIONS
from scanner.inventory import aws_data as data
from scanner.inventory.aws import AwsInventory

SERVICES = {"s3", "kms", "ebs", "rds", "dynamodb", "secretsmanager", "lambda"}
STORAGE = [c for c in CHECKS if c.id.split(".")[1] in SERVICES]


def test_ids_match_their_modules_and_are_unique() -> None:
    assert len(STORAGE) == 18
    assert len({c.id for c in CHECKS}) == len(CHECKS)
    for check in STORAGE:
        module = check.evaluate.__module__
        assert module.startswith("checks.aws."), module
        assert module.rsplit(".", 1)[1] == check.id.rsplit(".", 1)[1], check.id


def test_every_required_collection_is_collected_into_an_inventory_field() -> None:
    collections = {c.name: c for c in ALL_COLLECTIONS}
    for check in STORAGE:
        for name in check.meta.requires:
            assert name in collections, f"{check.id} reads {name}, which nothing collects"
            assert collections[name].field in AwsInventory.model_fields


def test_collections_declare_their_actions() -> None:
    mine = {
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
    ours = [c for c in ALL_COLLECTIONS if c.name in mine]
    assert {c.name for c in ours} == mine
    for collection in ours:
        assert collection.actions
        assert all(":" in a for a in collection.actions)
