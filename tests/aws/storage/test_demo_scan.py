"""End to end: the demo account, collected by the adapter, judged by the storage checks."""

from __future__ import annotations

from datetime import UTC, datetime

from checks.aws import CHECKS
from providers.aws.demo import demo_environment
from scanner.config import PostureConfig
from scanner.models.enums import Status
from scanner.output import Format, render
from scanner.scan import ScanPlan, run_scan

SERVICES = {"s3", "kms", "ebs", "rds", "dynamodb", "secretsmanager", "lambda"}
STORAGE = tuple(c for c in CHECKS if c.id.split(".")[1] in SERVICES)


def test_demo_storage_findings(aws_env: None) -> None:
    with demo_environment(PostureConfig()) as config:
        doc = run_scan(
            ScanPlan(providers=("aws",), checks=STORAGE, config=config),
            clock=lambda: datetime(2026, 6, 1, tzinfo=UTC),
        )
    assert not doc.scan.errors
    fails = {
        (f.check_id, f.resource.name, f.region)
        for f in doc.findings
        if f.status is Status.FAIL
        and not f.resource.name.startswith("vol-")
        and not f.resource.name.startswith("snap-")
        and f.check_id.split(".")[1] != "kms"
    }
    passes = {(f.check_id, f.resource.name) for f in doc.findings if f.status is Status.PASS}
    assert {
        ("aws.s3.bucket_public", "demo-public-assets", "us-east-1"),
        ("aws.s3.bucket_public", "demo-partner-share", "eu-west-1"),
        (
            "aws.ebs.encryption_by_default_disabled",
            "EBS encryption by default (us-east-1)",
            "us-east-1",
        ),
        ("aws.rds.instance_unencrypted", "demo-legacy-db", "us-east-1"),
        ("aws.rds.instance_publicly_accessible", "demo-legacy-db", "us-east-1"),
        ("aws.rds.backup_retention_too_short", "demo-legacy-db", "us-east-1"),
        ("aws.rds.ssl_not_enforced", "demo-legacy-db", "us-east-1"),
        ("aws.dynamodb.pitr_disabled", "demo-sessions", "eu-west-1"),
        ("aws.secretsmanager.secret_rotation_disabled", "demo/legacy-api-key", "us-east-1"),
        ("aws.lambda.plaintext_credentials_in_environment", "demo-billing-sync", "us-east-1"),
    } <= fails
    # Clean twins never fail, and each is judged.
    for name in ("demo-records", "demo-orders-db", "demo-orders", "demo/db", "demo-secret-rotator"):
        assert not any(f[1] == name for f in fails), name
        assert any(p[1] == name for p in passes), name
    assert ("aws.kms.key_rotation_disabled", "alias/demo-app") in {
        (f.check_id, f.resource.name) for f in doc.findings if f.status is Status.FAIL
    }
    assert ("aws.kms.key_rotation_disabled", "alias/demo-records") in passes
    assert {f.status for f in doc.findings if f.check_id == "aws.ebs.volume_unencrypted"} == {
        Status.FAIL,
        Status.PASS,
    }
    text = render(doc, Format.JSON)
    assert "Demo-Fabricated" not in text and "fabricated0value" not in text
    assert "demo-not-a-real-password" not in text
