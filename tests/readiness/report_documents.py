"""Findings documents for the report tests, built as the engine builds them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html.parser import HTMLParser

from scanner.document import summarise
from scanner.models.enums import Category, Severity, Status
from scanner.models.findings import (
    Finding,
    FindingsDocument,
    Resource,
    ScanError,
    ScanHeader,
    ScanTarget,
    Waiver,
)


def finding(
    check_id: str,
    status: Status,
    name: str,
    *,
    soc2: tuple[str, ...],
    severity: Severity = Severity.HIGH,
    category: Category = Category.GOVERNANCE,
    when: datetime,
    waiver: Waiver | None = None,
    message: str | None = None,
) -> Finding:
    return Finding(
        fingerprint=f"{check_id}:{name}",
        check_id=check_id,
        title=check_id.rsplit(".", 1)[-1].replace("_", " "),
        status=status,
        severity=severity,
        category=category,
        soc2=soc2,
        provider=check_id.split(".")[0],
        account="acme",
        region=None,
        resource=Resource(uid=f"uid://{name}", type="T", name=name),
        message=message or f"{name}: {status.value}",
        evidence={"observed": name, "count": 3, "flags": ["a", "b"]},
        remediation="Fix it.",
        first_seen=when,
        last_seen=when,
        waiver=waiver,
    )


def document(
    when: datetime, findings: list[Finding], errors: tuple[ScanError, ...] = ()
) -> FindingsDocument:
    return FindingsDocument(
        scan=ScanHeader(
            tool_version="0.1.0",
            started_at=when,
            finished_at=when + timedelta(seconds=5),
            providers=("aws", "evidence"),
            targets=(
                ScanTarget(provider="aws", account="111122223333"),
                ScanTarget(provider="evidence", account="Acme"),
            ),
            checks_run=9,
            partial=bool(errors),
            errors=errors,
            summary=summarise(findings),
        ),
        findings=tuple(findings),
    )


def sample(when: datetime, *, bob_fixed: bool = False) -> FindingsDocument:
    f = [
        finding(
            "evidence.policies.required_missing",
            Status.FAIL,
            "encryption",
            soc2=("CC5.3", "CC1.1", "CC1.3"),
            when=when,
        ),
        finding(
            "evidence.policies.required_missing",
            Status.PASS,
            "acceptable-use",
            soc2=("CC5.3", "CC1.1", "CC1.3"),
            when=when,
        ),
        finding(
            "evidence.risk.review_overdue",
            Status.FAIL,
            "Phishing <script>alert(1)</script>",
            soc2=("CC3.1", "CC3.2"),
            severity=Severity.MEDIUM,
            when=when,
        ),
        finding(
            "identity.training.new_hire_overdue",
            Status.FAIL,
            "dave@acme.example",
            soc2=("CC1.4", "CC2.2"),
            severity=Severity.MEDIUM,
            when=when,
        ),
        finding(
            "identity.access.orphaned_access",
            Status.PASS if bob_fixed else Status.FAIL,
            "bob",
            soc2=("CC6.2",),
            category=Category.ACCESS_CONTROL,
            when=when,
        ),
        finding(
            "aws.iam.user_console_without_mfa",
            Status.MUTED,
            "alice",
            soc2=("CC6.1",),
            category=Category.ACCESS_CONTROL,
            when=when,
            waiver=Waiver(
                reason="Break-glass | sealed", owner="ciso@acme.example", expires=date(2027, 1, 31)
            ),
        ),
        finding(
            "aws.iam.access_key_too_old",
            Status.MUTED,
            "deploy",
            soc2=("CC6.1",),
            severity=Severity.MEDIUM,
            category=Category.ACCESS_CONTROL,
            when=when,
            waiver=Waiver(reason="Migrating", owner="cto@acme.example", expires=date(2026, 10, 1)),
        ),
        finding(
            "aws.iam.role_cross_account_without_external_id",
            Status.FAIL,
            "vendor-role",
            soc2=("CC9.2", "CC6.1"),
            category=Category.ACCESS_CONTROL,
            when=when,
        ),
        finding(
            "evidence.vendors.assessment_overdue",
            Status.ERROR,
            "vendors.yaml",
            soc2=("CC9.2",),
            when=when,
        ),
        finding(
            "evidence.incident.tabletop_overdue",
            Status.PASS,
            "exercises",
            soc2=("CC7.4",),
            when=when,
        ),
        finding(
            "aws.logs.trail_missing",
            Status.FAIL,
            "trail",
            soc2=("CC7.2",),
            severity=Severity.CRITICAL,
            category=Category.LOGGING,
            when=when,
        ),
    ]
    errors = (
        ScanError(
            provider="evidence",
            account="Acme",
            collection="evidence.vendors",
            scope=None,
            outcome="error",
            missing="a valid vendors.yaml",
            message="vendors.yaml:7: vendors[1].last_assessed: bad date",
        ),
    )
    return document(when, f, errors)


class CountParser(HTMLParser):
    """Collects the numbers the report shows in its data-* cells."""

    def __init__(self) -> None:
        super().__init__()
        self.totals: dict[str, int] = {}
        self.areas: dict[str, dict[str, int]] = {}
        self.criteria: set[str] = set()
        self.waivers: list[str] = []
        self._area: str | None = None
        self._field: tuple[str, str] | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href"):
            value = a.get(key) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag in ("link", "img", "iframe") or (tag == "script" and a.get("src")):
            self.external.append(tag)
        if "data-area" in a:
            self._area = a["data-area"]
            self.areas[self._area or ""] = {}
        if "data-criterion" in a:
            self.criteria.add(a["data-criterion"] or "")
        if "data-waiver" in a:
            self.waivers.append(a["data-waiver"] or "")
        if "data-total" in a:
            self._field = ("total", a["data-total"] or "")
        elif "data-count" in a and self._area is not None:
            self._field = ("area", a["data-count"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._area = None

    def handle_data(self, data: str) -> None:
        if self._field is None or not data.strip():
            return
        kind, name = self._field
        if kind == "total":
            self.totals[name] = int(data)
        elif self._area is not None:
            self.areas[self._area][name] = int(data)
        self._field = None


def parse(html: str) -> CountParser:
    parser = CountParser()
    parser.feed(html)
    return parser
