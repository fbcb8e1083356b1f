"""The committed JSON Schema is the model's; a finding round-trips through JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema

from scanner.models.enums import Category, Severity, Status
from scanner.models.findings import (
    Finding,
    FindingsDocument,
    Resource,
    ScanHeader,
    ScanSummary,
)
from scanner.schema import findings_schema, findings_schema_text

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "findings.schema.json"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_committed_schema_matches_the_model() -> None:
    assert SCHEMA_FILE.read_text() == findings_schema_text(), (
        "schema/findings.schema.json is stale: run `posture schema --output "
        "schema/findings.schema.json` (and bump SCHEMA_VERSION if the change breaks consumers)"
    )


def _document() -> FindingsDocument:
    finding = Finding(
        fingerprint="0" * 32,
        check_id="aws.iam.root_mfa_disabled",
        title="t",
        status=Status.FAIL,
        severity=Severity.CRITICAL,
        category=Category.ACCESS_CONTROL,
        soc2=("CC6.1",),
        provider="aws",
        account="111122223333",
        region=None,
        resource=Resource(uid="arn:aws:iam::111122223333:root", type="AWS::IAM::Root", name="root"),
        message="m",
        evidence={"account_mfa_enabled": False, "nested": {"list": [1, "a"]}},
        remediation="r",
        first_seen=NOW,
        last_seen=NOW,
    )
    header = ScanHeader(
        tool_version="1",
        started_at=NOW,
        finished_at=NOW,
        providers=("aws",),
        targets=(),
        checks_run=1,
        partial=False,
        summary=ScanSummary(total=1, by_status={Status.FAIL: 1}, failed_by_severity={}),
    )
    return FindingsDocument(scan=header, findings=(finding,))


def test_document_round_trips_and_validates() -> None:
    doc = _document()
    text = doc.model_dump_json()
    assert FindingsDocument.model_validate_json(text) == doc
    jsonschema.validate(json.loads(text), findings_schema())
