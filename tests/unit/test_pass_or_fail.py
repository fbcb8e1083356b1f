"""pass_or_fail is exactly the passed(...)/fail(...) pair it replaces."""

from __future__ import annotations

from scanner.check import fail, pass_or_fail, passed
from scanner.models.findings import Resource

BUCKET = Resource(uid="arn:aws:s3:::b", type="AWS::S3::Bucket", name="b")
EVIDENCE = {"versioning": "Disabled"}


def test_ok_gives_the_pass_result() -> None:
    got = pass_or_fail(
        BUCKET, True, "on", "off", evidence=EVIDENCE, region="eu-west-1", sub_key="k"
    )
    assert got == passed(BUCKET, "on", evidence=EVIDENCE, region="eu-west-1", sub_key="k")


def test_not_ok_gives_the_fail_result() -> None:
    got = pass_or_fail(BUCKET, False, "on", "off", evidence=EVIDENCE, account="c1")
    assert got == fail(BUCKET, "off", evidence=EVIDENCE, account="c1")


def test_no_evidence_is_empty_evidence() -> None:
    assert pass_or_fail(BUCKET, True, "on", "off").evidence == {}
