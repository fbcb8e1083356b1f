from __future__ import annotations

from checks.aws.config import not_recording
from checks.aws.guardduty import not_enabled as guardduty
from checks.aws.logs import log_group_not_kms_encrypted, log_group_retention_too_short
from checks.aws.securityhub import not_enabled as securityhub
from scanner.inventory.aws import monitoring as mon
from scanner.models.enums import Outcome, Status
from tests.aws.regional_builders import context, engine_results, inventory, verdicts


def group(name: str, retention: int | None, kms: str | None = None) -> mon.LogGroup:
    return mon.LogGroup(
        arn=f"arn:aws:logs:us-east-1:111122223333:log-group:{name}",
        name=name,
        region="us-east-1",
        retention_days=retention,
        kms_key_id=kms,
    )


GROUPS = (
    group("forever", None),
    group("month", 30),
    group("year", 365, "arn:aws:kms:us-east-1:111122223333:key/k"),
    group("decade", 3653, "arn:aws:kms:us-east-1:111122223333:key/k"),
)


def test_retention_default_minimum() -> None:
    result = verdicts(log_group_retention_too_short.CHECK, inventory(log_groups=GROUPS))
    assert result["fail"] == {"forever", "month"}
    assert result["pass"] == {"year", "decade"}


def test_retention_minimum_is_configurable() -> None:
    result = verdicts(
        log_group_retention_too_short.CHECK,
        inventory(log_groups=GROUPS),
        log_retention_min_days=30,
    )
    assert result["fail"] == {"forever"}
    assert result["pass"] == {"month", "year", "decade"}


def test_log_group_kms() -> None:
    result = verdicts(log_group_not_kms_encrypted.CHECK, inventory(log_groups=GROUPS))
    assert result["fail"] == {"forever", "month"}
    assert result["pass"] == {"year", "decade"}


def test_guardduty_one_result_per_region_with_distinct_uids() -> None:
    inv = inventory(
        guardduty=(
            mon.GuardDutyRegion(
                region="us-east-1", detectors=(mon.DetectorState(id="d1", status="ENABLED"),)
            ),
            mon.GuardDutyRegion(
                region="eu-west-1", detectors=(mon.DetectorState(id="d2", status="DISABLED"),)
            ),
        )
    )
    results = list(guardduty.CHECK.evaluate(inv, context()))
    assert {(r.region, r.status) for r in results} == {
        ("us-east-1", Status.PASS),
        ("eu-west-1", Status.FAIL),
    }
    assert len({r.resource.uid for r in results}) == 2


def test_guardduty_without_detector_fails() -> None:
    inv = inventory(guardduty=(mon.GuardDutyRegion(region="eu-west-1"),))
    assert verdicts(guardduty.CHECK, inv)["fail"] == {"guardduty detector eu-west-1"}


def test_guardduty_pass_in_failed_region_is_discarded_by_the_engine() -> None:
    inv = inventory(
        {(mon.GUARDDUTY_DETECTORS, "eu-west-1"): Outcome.ACCESS_DENIED},
        guardduty=(
            mon.GuardDutyRegion(
                region="us-east-1", detectors=(mon.DetectorState(id="d1", status="ENABLED"),)
            ),
        ),
    )
    results = engine_results(guardduty.CHECK, inv)
    assert sorted((r.status.value, r.region) for r in results) == [
        ("error", "eu-west-1"),
        ("pass", "us-east-1"),
    ]


def test_securityhub() -> None:
    inv = inventory(
        securityhub=(
            mon.SecurityHubRegion(region="us-east-1", enabled=True, hub_arn="arn:hub"),
            mon.SecurityHubRegion(region="eu-west-1", enabled=False),
        )
    )
    result = verdicts(securityhub.CHECK, inv)
    assert result["pass"] == {"securityhub hub us-east-1"}
    assert result["fail"] == {"securityhub hub eu-west-1"}


def test_config_recording() -> None:
    inv = inventory(
        config_recorders=(
            mon.ConfigRegion(
                region="us-east-1",
                recorders=(
                    mon.ConfigRecorder(name="default", recording=True, last_status="SUCCESS"),
                ),
            ),
            mon.ConfigRegion(
                region="eu-west-1",
                recorders=(mon.ConfigRecorder(name="default", recording=False),),
            ),
            mon.ConfigRegion(region="ap-south-1"),
            mon.ConfigRegion(
                region="us-west-2",
                recorders=(
                    mon.ConfigRecorder(name="default", recording=True, last_status="FAILURE"),
                ),
            ),
        )
    )
    result = verdicts(not_recording.CHECK, inv)
    assert result["pass"] == {"config recorder us-east-1"}
    assert result["fail"] == {
        "config recorder eu-west-1",
        "config recorder ap-south-1",
        "config recorder us-west-2",
    }
