"""SARIF 2.1.0 (validated against schema/sarif-schema-2.1.0.json in the tests).

Cloud resources have no file, so results carry logical locations (the resource uid). Every
status is kept: fail (kind fail), muted (fail with an accepted external suppression), error
(kind open: the tool could not decide) and pass (kind pass).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from scanner.document import Document
from scanner.models.enums import Severity, Status
from scanner.models.findings import Finding
from scanner.output.streaming import STREAMED, write_json

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "postureFingerprint/v1"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads this property to rank security results (0.0-10.0).
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
_KIND = {Status.FAIL: "fail", Status.MUTED: "fail", Status.ERROR: "open", Status.PASS: "pass"}


def _rule(f: Finding) -> dict[str, Any]:
    return {
        "id": f.check_id,
        "name": f.check_id.rsplit(".", 1)[-1],
        "shortDescription": {"text": f.title},
        "help": {"text": f.remediation},
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {
            "tags": ["security", f.category.value, *(f"soc2:{c}" for c in f.soc2)],
            "security-severity": _SECURITY_SEVERITY[f.severity],
            "severity": f.severity.value,
        },
    }


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.check_id,
        "ruleIndex": rule_index,
        "kind": _KIND[f.status],
        "level": _LEVEL[f.severity] if f.status in (Status.FAIL, Status.MUTED) else "none",
        "message": {"text": f.message},
        "locations": [
            {
                "logicalLocations": [
                    {
                        "fullyQualifiedName": f.resource.uid,
                        "name": f.resource.name,
                        "kind": f.resource.type,
                    }
                ]
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "status": f.status.value,
            "provider": f.provider,
            "account": f.account,
            "region": f.region,
            "evidence": f.evidence,
            "firstSeen": f.first_seen.isoformat(),
            "lastSeen": f.last_seen.isoformat(),
        },
    }
    if f.status is Status.MUTED and f.waiver is not None:
        w = f.waiver
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": w.reason,
                "properties": {"owner": w.owner, "expires": w.expires.isoformat()},
            }
        ]
    return result


def _skeleton(doc: Document, firsts: dict[str, Finding], results: Any) -> dict[str, Any]:
    rule_ids = sorted(firsts)
    h = doc.scan
    notifications = [
        {
            "level": "error",
            "message": {
                "text": f"{e.provider}:{e.account} {e.collection}"
                + (f" in {e.scope}" if e.scope else "")
                + f": {e.outcome}"
                + (f" (needs {e.missing})" if e.missing else "")
            },
            "descriptor": {"id": e.collection},
        }
        for e in h.errors
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": h.tool,
                        "version": h.tool_version,
                        "rules": [_rule(firsts[rid]) for rid in rule_ids],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not h.partial,
                        "startTimeUtc": h.started_at.isoformat(),
                        "endTimeUtc": h.finished_at.isoformat(),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "properties": {
                    "findingsSchemaVersion": doc.schema_version,
                    "targets": [t.model_dump(mode="json") for t in h.targets],
                },
            }
        ],
    }


def _first_per_check(doc: Document) -> dict[str, Finding]:
    firsts: dict[str, Finding] = {}
    for f in doc.findings:
        firsts.setdefault(f.check_id, f)
    return firsts


def _results(doc: Document, firsts: dict[str, Finding]) -> Iterator[dict[str, Any]]:
    index = {rid: i for i, rid in enumerate(sorted(firsts))}
    return (_result(f, index[f.check_id]) for f in doc.findings)


def to_sarif(doc: Document) -> dict[str, Any]:
    firsts = _first_per_check(doc)
    return _skeleton(doc, firsts, list(_results(doc, firsts)))


def write(doc: Document, out: TextIO) -> None:
    """Two passes over the findings: the rules (one per check) first, then the results."""
    firsts = _first_per_check(doc)
    results = (json.dumps(r, indent=2) for r in _results(doc, firsts))
    write_json(out, _skeleton(doc, firsts, STREAMED), results)
