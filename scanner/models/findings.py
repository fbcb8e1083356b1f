"""Findings and the findings document: the contract with ticketing.

The JSON Schema in ``schema/findings.schema.json`` is generated from `FindingsDocument`;
a change that breaks consumers bumps the major part of `SCHEMA_VERSION`.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, JsonValue

from scanner.models.enums import Category, Severity, Status
from scanner.models.inventory import CollectionOutcome, Frozen

SCHEMA_VERSION = "1.2.0"


class Resource(Frozen):
    """What a finding is about. `uid` is the provider's canonical id (the ARN on AWS)."""

    uid: str
    type: str
    name: str


class Waiver(Frozen):
    """The suppression that muted a finding."""

    reason: str
    owner: str
    expires: date
    approved_by: str | None = Field(None, description="Who approved the waiver (since 1.2.0).")
    approved_on: date | None = Field(None, description="When it was approved (since 1.2.0).")


class Finding(Frozen):
    fingerprint: str = Field(description="Stable id: same problem on same resource, same value.")
    check_id: str
    title: str
    status: Status
    severity: Severity
    category: Category
    soc2: tuple[str, ...]
    provider: str
    account: str
    region: str | None
    resource: Resource
    message: str
    evidence: dict[str, JsonValue] = Field(default_factory=dict)
    remediation: str
    first_seen: datetime
    last_seen: datetime
    waiver: Waiver | None = None


class ScanTarget(Frozen):
    """One account, project, tenant or org a scan looked at."""

    provider: str
    account: str
    account_name: str | None = None
    regions: tuple[str, ...] = ()


class ScanError(Frozen):
    """A collection that did not end ok, as reported in the scan header."""

    provider: str
    account: str
    collection: str
    scope: str | None
    outcome: str
    missing: str | None
    message: str

    @classmethod
    def from_outcome(cls, provider: str, account: str, o: CollectionOutcome) -> ScanError:
        return cls(
            provider=provider,
            account=account,
            collection=o.collection,
            scope=o.scope,
            outcome=o.outcome.value,
            missing=o.missing,
            message=o.message,
        )


class ScanSummary(Frozen):
    total: int
    by_status: dict[Status, int]
    failed_by_severity: dict[Severity, int]


class ScanHeader(Frozen):
    id: str | None = Field(
        None,
        description="A unique id of this scan (since 1.2.0; a UUID): `posture history import` "
        "records a document once by it, and the audit pack names each day's scans by it.",
    )
    tool: str = "posture"
    tool_version: str
    started_at: datetime
    finished_at: datetime
    providers: tuple[str, ...]
    targets: tuple[ScanTarget, ...]
    checks_run: int
    check_ids: tuple[str, ...] = Field(
        (),
        description="The checks this scan ran (since 1.1.0): a finding of another check that "
        "is absent was not evaluated, not resolved.",
    )
    partial: bool = Field(description="True when any collection failed; see errors.")
    errors: tuple[ScanError, ...] = ()
    summary: ScanSummary


class FindingsDocument(Frozen):
    schema_version: str = SCHEMA_VERSION
    scan: ScanHeader
    findings: tuple[Finding, ...]
