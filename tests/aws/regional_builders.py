"""Two-region inventories built by hand, and verdict summaries, for the logging, monitoring,
network and TLS check tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scanner.check import AnyCheck, CheckContext, CheckResult
from scanner.config import PostureConfig
from scanner.engine import evaluate_check
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import monitoring as mon
from scanner.inventory.aws import network as net
from scanner.models.enums import Outcome, Status
from scanner.models.inventory import CollectionOutcome

ACCOUNT = "111122223333"
REGIONS = ("us-east-1", "eu-west-1")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ALL_COLLECTIONS = (
    mon.CLOUDTRAIL_TRAILS,
    mon.CLOUDTRAIL_BUCKETS,
    mon.LOG_GROUPS,
    mon.METRIC_FILTERS,
    mon.METRIC_ALARMS,
    mon.GUARDDUTY_DETECTORS,
    mon.SECURITYHUB_HUB,
    mon.CONFIG_RECORDERS,
    net.VPCS,
    net.SECURITY_GROUPS,
    net.ELBV2_LISTENERS,
    net.ELB_LISTENERS,
    net.APIGATEWAY_DOMAINS,
    net.ACM_CERTIFICATES,
)


def outcomes(
    failed: dict[tuple[str, str | None], Outcome] | None = None,
) -> tuple[CollectionOutcome, ...]:
    failed = failed or {}
    items = [
        CollectionOutcome(
            collection=c,
            scope=r,
            outcome=failed.get((c, r), Outcome.OK),
            missing="x:Y" if (c, r) in failed else None,
        )
        for c in ALL_COLLECTIONS
        for r in REGIONS
    ]
    items.append(
        CollectionOutcome(
            collection=net.CLOUDFRONT_DISTRIBUTIONS,
            outcome=failed.get((net.CLOUDFRONT_DISTRIBUTIONS, None), Outcome.OK),
        )
    )
    return tuple(items)


def inventory(
    failed: dict[tuple[str, str | None], Outcome] | None = None, **fields: Any
) -> AwsInventory:
    return AwsInventory(account=ACCOUNT, scopes=REGIONS, outcomes=outcomes(failed), **fields)


def context(**thresholds: Any) -> CheckContext:
    config = PostureConfig()
    if thresholds:
        aws = config.aws.model_copy(
            update={"thresholds": config.aws.thresholds.model_copy(update=thresholds)}
        )
        config = config.model_copy(update={"aws": aws})
    return CheckContext(now=NOW, config=config)


def verdicts(check: AnyCheck, inv: AwsInventory, **thresholds: Any) -> dict[str, set[str]]:
    """Resource names by status, straight from the check."""
    out: dict[str, set[str]] = {s.value: set() for s in Status}
    for result in check.evaluate(inv, context(**thresholds)):
        out[result.status.value].add(result.resource.name)
    return out


def engine_results(check: AnyCheck, inv: AwsInventory) -> list[CheckResult]:
    return evaluate_check(check, inv, context())
