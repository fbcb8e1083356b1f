"""SARIF 2.1.0 (validated against schema/sarif-schema-2.1.0.json in the tests), shaped for
GitHub code scanning ("SARIF support for code scanning", docs.github.com).

GitHub accepts a result only with a `physicalLocation.artifactLocation.uri`; a cloud resource
has no file, so each result names a stable resource path (provider/account/region/type/name,
percent-encoded) as its artifact, beside the logical location carrying the resource uid. The
`partialFingerprints` (our fingerprint) keep one alert per problem across uploads; rules carry
`help` and the `security-severity` GitHub ranks by.

`sarif` holds the failing results only (what code scanning should alert on); `sarif-all` keeps
every status: fail, muted (fail with an accepted external suppression), error (kind open: the
tool could not decide) and pass (kind pass).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO
from urllib.parse import quote

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
    criteria = ", ".join(f.soc2)
    return {
        "id": f.check_id,
        "name": f.check_id.rsplit(".", 1)[-1],
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f"{f.title} (SOC 2 {criteria})"},
        "help": {
            "text": f"{f.remediation}\n\nSOC 2 criteria: {criteria}.",
            "markdown": f"**Remediation:** {_md(f.remediation)}\n\n**SOC 2 criteria:** {criteria}",
        },
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
                "physicalLocation": {
                    "artifactLocation": {"uri": resource_uri(f)},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [
                    {
                        "fullyQualifiedName": f.resource.uid,
                        "name": f.resource.name,
                        "kind": f.resource.type,
                    }
                ],
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


def resource_uri(f: Finding) -> str:
    """A relative URI that names the resource, the same in every scan (GitHub keys alerts by
    it with the fingerprint): provider/account/region/type/name, each segment encoded."""
    parts = (f.provider, f.account, f.region or "global", f.resource.type, f.resource.name)
    return "/".join(quote(p, safe="") or "-" for p in parts)


def _md(value: str) -> str:
    """Plain text in GitHub's Markdown help: no markup, links or HTML of its own."""
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]<>()#+-.!|~" else ch for ch in value)


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


Keep = Callable[[Finding], bool]


def failing(f: Finding) -> bool:
    return f.status is Status.FAIL


def every_status(f: Finding) -> bool:
    return True


def _first_per_check(doc: Document, keep: Keep) -> dict[str, Finding]:
    firsts: dict[str, Finding] = {}
    for f in doc.findings:
        if keep(f):
            firsts.setdefault(f.check_id, f)
    return firsts


def _results(doc: Document, firsts: dict[str, Finding], keep: Keep) -> Iterator[dict[str, Any]]:
    index = {rid: i for i, rid in enumerate(sorted(firsts))}
    return (_result(f, index[f.check_id]) for f in doc.findings if keep(f))


def to_sarif(doc: Document, keep: Keep = failing) -> dict[str, Any]:
    firsts = _first_per_check(doc, keep)
    return _skeleton(doc, firsts, list(_results(doc, firsts, keep)))


def _write(doc: Document, out: TextIO, keep: Keep) -> None:
    """Two passes over the findings: the rules (one per check) first, then the results."""
    firsts = _first_per_check(doc, keep)
    results = (json.dumps(r, indent=2) for r in _results(doc, firsts, keep))
    write_json(out, _skeleton(doc, firsts, STREAMED), results)


def write(doc: Document, out: TextIO) -> None:
    """The failing results: what GitHub code scanning should open alerts for."""
    _write(doc, out, failing)


def write_all(doc: Document, out: TextIO) -> None:
    """Every result, passing, muted and not evaluated included (`sarif-all`)."""
    _write(doc, out, every_status)
