"""Hand-built storage inventories and a compact view of verdicts for the pure check tests."""

from __future__ import annotations

from typing import Any

from scanner.check import AnyCheck, CheckContext
from scanner.config import PostureConfig
from scanner.engine import evaluate_check
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from tests.conftest import FIXED_NOW

ACCOUNT_ID = "123456789012"
ALL = (
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
)


def inventory(failed: dict[str, Outcome] | None = None, **fields: Any) -> AwsInventory:
    failed = failed or {}
    outcomes = tuple(
        CollectionOutcome(collection=c, outcome=failed.get(c, Outcome.OK), missing="x:Y")
        if c in failed
        else CollectionOutcome(collection=c)
        for c in ALL
    )
    return AwsInventory(account=ACCOUNT_ID, outcomes=outcomes, **fields)


def verdicts(check: AnyCheck, inv: AwsInventory, ctx: CheckContext) -> dict[str, str]:
    """resource name -> status, through the engine (so missing-data rules apply)."""
    out: dict[str, str] = {}
    for r in evaluate_check(check, inv, ctx):
        assert r.resource.name not in out, f"two verdicts for {r.resource.name}"
        out[r.resource.name] = r.status.value
    return out


def results(check: AnyCheck, inv: AwsInventory, ctx: CheckContext) -> dict[str, Any]:
    return {r.resource.name: r for r in evaluate_check(check, inv, ctx)}


def bucket(name: str, region: str = "us-east-1", **kw: Any) -> data.S3Bucket:
    return data.S3Bucket(name=name, arn=f"arn:aws:s3:::{name}", region=region, **kw)


def unknown(aspect: str, missing: str) -> data.Unknown:
    return data.Unknown(aspect=aspect, missing=missing, reason="AccessDenied")


def ctx_with(**aws: object) -> CheckContext:
    config = PostureConfig()
    return CheckContext(
        now=FIXED_NOW, config=config.model_copy(update={"aws": config.aws.model_copy(update=aws)})
    )
