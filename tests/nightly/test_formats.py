"""Every formatter is pure and matches its golden file; SARIF and OCSF validate against the
published schemas vendored in schema/."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import jsonschema
import pytest

from scanner.models.enums import Status
from scanner.models.findings import Resource
from scanner.output import Format, render
from scanner.output.sarif import resource_uri
from tests.nightly.documents import golden_document

GOLDEN = Path(__file__).parent / "golden"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
EXT = {
    Format.JSON: "json",
    Format.JSONL: "jsonl",
    Format.CSV: "csv",
    Format.SARIF: "sarif.json",
    Format.SARIF_ALL: "sarif-all.json",
    Format.OCSF: "ocsf.json",
    Format.MARKDOWN: "md",
}


@pytest.mark.parametrize("fmt", list(EXT))
def test_matches_golden_and_is_pure(fmt: Format) -> None:
    doc = golden_document()
    text = render(doc, fmt)
    assert render(golden_document(), fmt) == text
    path = GOLDEN / f"document.{EXT[fmt]}"
    if os.environ.get("POSTURE_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _schema(name: str) -> dict[str, object]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("fmt", [Format.SARIF, Format.SARIF_ALL])
def test_sarif_meets_github_code_scanning(fmt: Format) -> None:
    """GitHub rejects a result without physicalLocation.artifactLocation.uri; it keys alerts on
    ruleId and partialFingerprints and ranks them by the rule's security-severity."""
    sarif = json.loads(render(golden_document(), fmt))
    jsonschema.Draft4Validator(_schema("sarif-schema-2.1.0.json")).validate(sarif)
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    run = sarif["runs"][0]
    assert run["results"]
    for r in run["results"]:
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"]
        assert location["region"]["startLine"] >= 1
        assert r["message"]["text"] and r["ruleId"]
        assert r["partialFingerprints"]["postureFingerprint/v1"]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert uris[0].startswith("aws/123456789012/")


def test_sarif_holds_the_failing_results_only_by_default() -> None:
    doc = golden_document()
    failing = [f for f in doc.findings if f.status is Status.FAIL]
    run = json.loads(render(doc, Format.SARIF))["runs"][0]
    assert sorted(r["partialFingerprints"]["postureFingerprint/v1"] for r in run["results"]) == (
        sorted(f.fingerprint for f in failing)
    )
    assert {r["kind"] for r in run["results"]} == {"fail"}
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} == {f.check_id for f in failing}


def test_sarif_resource_uri_is_encoded_and_stable() -> None:
    doc = golden_document()
    f = next(iter(doc.findings)).model_copy(
        update={"resource": Resource(uid="x", type="AWS::S3::Bucket", name="a b/../c?d#e")}
    )
    uri = resource_uri(f)
    assert " " not in uri and "?" not in uri and "#" not in uri and "/../" not in uri
    assert uri == resource_uri(f)


def test_sarif_all_is_valid_2_1_0_and_keeps_every_status() -> None:
    sarif = json.loads(render(golden_document(), Format.SARIF_ALL))
    schema = _schema("sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert run["invocations"][0]["executionSuccessful"] is False  # a collection failed
    by_rule = {r["ruleId"]: r for r in run["results"] if r["kind"] == "fail"}
    assert by_rule["aws.iam.root_mfa_disabled"]["level"] == "error"
    muted = by_rule["aws.iam.user_direct_policies"]
    assert muted["suppressions"][0]["justification"] == "key migration, SEC-12"
    kinds = sorted(r["kind"] for r in run["results"])
    assert kinds == ["fail", "fail", "fail", "fail", "open", "pass"]
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_schema_rejects_a_broken_document() -> None:
    sarif = json.loads(render(golden_document(), Format.SARIF_ALL))
    sarif["runs"][0]["results"][0]["kind"] = "exploded"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(_schema("sarif-schema-2.1.0.json")).validate(sarif)


def test_ocsf_events_are_valid_detection_findings() -> None:
    events = json.loads(render(golden_document(), Format.OCSF))
    validator = jsonschema.Draft202012Validator(_schema("ocsf-1.3.0-detection_finding.schema.json"))
    assert len(events) == 6
    for event in events:
        validator.validate(event)
    by_uid = {e["finding_info"]["uid"]: e for e in events}
    doc = golden_document()
    for f in doc.findings:
        event = by_uid[f.fingerprint]
        assert event["class_uid"] == 2004
        assert event["status_code"] == f.status.value.upper()
    statuses = sorted(e["status"] for e in events)
    assert statuses == ["New", "New", "New", "Not evaluated", "Resolved", "Suppressed"]


def test_ocsf_schema_rejects_an_unknown_attribute() -> None:
    event = json.loads(render(golden_document(), Format.OCSF))[0]
    event["soc2"] = ["CC6.1"]  # not an OCSF attribute: belongs under unmapped
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(
            _schema("ocsf-1.3.0-detection_finding.schema.json")
        ).validate(event)


def test_csv_defuses_formulas_and_round_trips() -> None:
    rows = list(csv.DictReader(io.StringIO(render(golden_document(), Format.CSV))))
    assert len(rows) == 6
    evil = next(r for r in rows if "HYPERLINK" in r["resource_name"])
    assert evil["resource_name"].startswith("'=")
    muted = next(r for r in rows if r["status"] == "muted")
    assert (muted["waiver_owner"], muted["waiver_expires"]) == ("secops", "2026-12-31")


def test_jsonl_is_one_finding_per_line() -> None:
    lines = render(golden_document(), Format.JSONL).splitlines()
    fingerprints = [json.loads(line)["fingerprint"] for line in lines]
    assert fingerprints == [f.fingerprint for f in golden_document().findings]


def test_markdown_escapes_table_cells() -> None:
    text = render(golden_document(), Format.MARKDOWN)
    assert "=HYPERLINK(evil)\\|pipe" in text
    assert "## Collection errors (1)" in text
    assert "key migration, SEC-12" in text


def test_json_output_matches_the_published_findings_schema() -> None:
    doc = json.loads(render(golden_document(), Format.JSON))
    jsonschema.Draft202012Validator(_schema("findings.schema.json")).validate(doc)
    assert doc["scan"]["check_ids"] and doc["schema_version"] == "1.2.0"
