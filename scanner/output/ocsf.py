"""OCSF 1.3.0 Detection Finding events (class 2004) with the cloud profile, as a JSON array.

Validated in the tests against schema/ocsf-1.3.0-detection_finding.schema.json. The SOC 2
criteria and the evidence have no OCSF attribute in this class, so they go under `unmapped`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from scanner.document import Document
from scanner.models.enums import Severity, Status
from scanner.models.findings import Finding
from scanner.output.streaming import STREAMED, write_json

OCSF_VERSION = "1.3.0"
CLASS_UID = 2004
CATEGORY_UID = 2
_SEVERITY = {
    Severity.INFO: (1, "Informational"),
    Severity.LOW: (2, "Low"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.HIGH: (4, "High"),
    Severity.CRITICAL: (5, "Critical"),
}
_STATUS = {
    Status.FAIL: (1, "New"),
    Status.MUTED: (3, "Suppressed"),
    Status.PASS: (4, "Resolved"),
    Status.ERROR: (99, "Not evaluated"),
}


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def _event(f: Finding, doc: Document) -> dict[str, Any]:
    activity_id, activity = (1, "Create") if f.first_seen == f.last_seen else (2, "Update")
    severity_id, severity = _SEVERITY[f.severity]
    status_id, status = _STATUS[f.status]
    event: dict[str, Any] = {
        "activity_id": activity_id,
        "activity_name": activity,
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + activity_id,
        "type_name": f"Detection Finding: {activity}",
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "status_code": f.status.value.upper(),
        "time": _ms(f.last_seen),
        "message": f.message,
        "metadata": {
            "version": OCSF_VERSION,
            "profiles": ["cloud"],
            "uid": f"{f.fingerprint}-{_ms(f.last_seen)}",  # one event per finding per scan
            "event_code": f.check_id,
            "product": {
                "name": doc.scan.tool,
                "vendor_name": doc.scan.tool,
                "version": doc.scan.tool_version,
            },
        },
        "finding_info": {
            "uid": f.fingerprint,
            "title": f.title,
            "desc": f.message,
            "types": [f.category.value],
            "product_uid": f.check_id,
            "first_seen_time": _ms(f.first_seen),
            "last_seen_time": _ms(f.last_seen),
        },
        "cloud": {"provider": f.provider, "account": {"uid": f.account}},
        "resources": [
            {"uid": f.resource.uid, "name": f.resource.name, "type": f.resource.type}
            | ({"region": f.region} if f.region else {})
        ],
        "remediation": {"desc": f.remediation},
        "unmapped": {"soc2": list(f.soc2), "evidence": f.evidence},
    }
    if f.region:
        event["cloud"]["region"] = f.region
    if f.waiver is not None:
        w = f.waiver
        event["status_detail"] = f"Waived by {w.owner} until {w.expires.isoformat()}: {w.reason}"
    return event


def to_ocsf(doc: Document) -> list[dict[str, Any]]:
    return [_event(f, doc) for f in doc.findings]


def write(doc: Document, out: TextIO) -> None:
    write_json(out, STREAMED, (json.dumps(_event(f, doc), indent=2) for f in doc.findings))
