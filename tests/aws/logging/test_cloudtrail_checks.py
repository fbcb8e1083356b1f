from __future__ import annotations

from datetime import timedelta

from checks.aws.cloudtrail import (
    log_file_validation_disabled,
    no_multi_region_trail,
    trail_bucket_public,
    trail_not_kms_encrypted,
    trail_without_cloudwatch_logs,
)
from scanner.inventory.aws import monitoring as mon
from scanner.models.enums import Outcome, Status
from tests.aws.regional_builders import ACCOUNT, NOW, context, engine_results, inventory, verdicts

GOOD_GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:trail:*"


def trail(name: str, region: str = "us-east-1", **kw: object) -> mon.Trail:
    base: dict[str, object] = {
        "arn": f"arn:aws:cloudtrail:{kw.get('home_region', region)}:{ACCOUNT}:trail/{name}",
        "name": name,
        "region": region,
        "home_region": region,
        "owner_account": ACCOUNT,
        "multi_region": True,
        "is_logging": True,
        "management_read": True,
        "management_write": True,
        "log_file_validation": True,
        "kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/1",
        "s3_bucket": "logs",
        "cloudwatch_log_group_arn": GOOD_GROUP,
    }
    base.update(kw)
    return mon.Trail.model_validate(base)


def test_multi_region_trail_present_passes_once_despite_shadow_copies() -> None:
    inv = inventory(
        trails=(trail("main"), trail("main", region="eu-west-1", home_region="us-east-1"))
    )
    assert verdicts(no_multi_region_trail.CHECK, inv)["pass"] == {"cloudtrail multi-region-trail"}


def test_multi_region_trail_missing_or_inadequate_fails() -> None:
    for bad in (
        trail("single", multi_region=False),
        trail("stopped", is_logging=False),
        trail("writes-only", management_read=False),
        trail("reads-only", management_write=False),
    ):
        result = verdicts(no_multi_region_trail.CHECK, inventory(trails=(bad,)))
        assert result["fail"] == {"cloudtrail multi-region-trail"}, bad.name
        assert result["pass"] == set()
    assert verdicts(no_multi_region_trail.CHECK, inventory())["fail"] == {
        "cloudtrail multi-region-trail"
    }


def test_unreadable_org_trail_is_an_error_not_a_verdict() -> None:
    foreign = trail(
        "org",
        owner_account="999988887777",
        arn="arn:aws:cloudtrail:us-east-1:999988887777:trail/org",
        is_logging=None,
        management_read=None,
        management_write=None,
    )
    result = verdicts(no_multi_region_trail.CHECK, inventory(trails=(foreign,)))
    assert result["error"] == {"cloudtrail multi-region-trail"}
    assert result["pass"] == result["fail"] == set()


def test_no_verdict_when_every_region_failed() -> None:
    failed = {(mon.CLOUDTRAIL_TRAILS, r): Outcome.ACCESS_DENIED for r in ("us-east-1", "eu-west-1")}
    results = engine_results(no_multi_region_trail.CHECK, inventory(failed))
    assert {r.status for r in results} == {Status.ERROR}
    assert len(results) == 2


def test_per_trail_checks_flag_exactly_the_bad_trails() -> None:
    inv = inventory(
        trails=(
            trail("good"),
            trail("good", region="eu-west-1", home_region="us-east-1"),
            trail("novalidation", log_file_validation=False),
            trail("nokms", kms_key_id=None),
            trail("nocw", cloudwatch_log_group_arn=None),
            trail(
                "cwbroken",
                latest_cloudwatch_delivery=NOW - timedelta(days=30),
                latest_cloudwatch_delivery_error="AccessDeniedException",
            ),
            trail(
                "cwrecovered",
                latest_cloudwatch_delivery=NOW - timedelta(hours=1),
                latest_cloudwatch_delivery_error="AccessDeniedException",
            ),
            trail(
                "foreign",
                owner_account="999988887777",
                arn="arn:aws:cloudtrail:us-east-1:999988887777:trail/foreign",
                log_file_validation=False,
            ),
        )
    )
    everyone = {"good", "novalidation", "nokms", "nocw", "cwbroken", "cwrecovered"}
    validation = verdicts(log_file_validation_disabled.CHECK, inv)
    assert validation["fail"] == {"novalidation"}
    assert validation["pass"] == everyone - {"novalidation"}
    kms = verdicts(trail_not_kms_encrypted.CHECK, inv)
    assert kms["fail"] == {"nokms"}
    assert kms["pass"] == everyone - {"nokms"}
    cloudwatch = verdicts(trail_without_cloudwatch_logs.CHECK, inv)
    assert cloudwatch["fail"] == {"nocw", "cwbroken"}
    assert cloudwatch["pass"] == everyone - {"nocw", "cwbroken"}


def test_per_trail_results_carry_the_home_region() -> None:
    inv = inventory(trails=(trail("eu", region="eu-west-1", log_file_validation=False),))
    (result,) = list(log_file_validation_disabled.CHECK.evaluate(inv, context()))
    assert result.region == "eu-west-1"
    assert result.resource.uid == f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/eu"


def bucket(name: str, **kw: object) -> mon.TrailBucket:
    return mon.TrailBucket.model_validate({"name": name, "trails": ("t",), **kw})


def test_trail_bucket_public_exact_sets() -> None:
    inv = inventory(
        trail_buckets=(
            bucket("private"),
            bucket("policy-public", policy_public=True),
            bucket("acl-public", acl_public_grants=("AllUsers: READ",)),
            bucket(
                "acl-public-but-ignored",
                acl_public_grants=("AllUsers: READ",),
                ignore_public_acls=True,
            ),
            bucket(
                "policy-public-account-restricted",
                policy_public=True,
                account_restrict_public_buckets=True,
            ),
            bucket("missing", exists=False),
            bucket("foreign", unreadable="s3:GetBucketAcl"),
            bucket("private", trails=("t2",)),
            bucket(
                "private-unknown-account", account_block_unreadable="s3:GetAccountPublicAccessBlock"
            ),
            bucket(
                "public-unknown-account",
                policy_public=True,
                account_block_unreadable="s3:GetAccountPublicAccessBlock",
            ),
        )
    )
    result = verdicts(trail_bucket_public.CHECK, inv)
    assert result["fail"] == {"policy-public", "acl-public", "missing", "public-unknown-account"}
    assert result["pass"] == {
        "private",
        "acl-public-but-ignored",
        "policy-public-account-restricted",
        "private-unknown-account",
    }
    assert result["error"] == {"foreign"}


def test_trail_bucket_evidence_names_grants_not_payloads() -> None:
    inv = inventory(trail_buckets=(bucket("b", acl_public_grants=("AllUsers: READ",)),))
    (result,) = list(trail_bucket_public.CHECK.evaluate(inv, context()))
    assert result.evidence["acl_public_grants"] == ["AllUsers: READ"]
    assert result.resource.uid == "arn:aws:s3:::b"
