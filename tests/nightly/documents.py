"""Hand-built findings documents with a fixed clock, for pure tests and golden files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from scanner.document import ordered, summarise
from scanner.fingerprint import fingerprint
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

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
ACCOUNT = "123456789012"


def finding(
    check: str,
    user: str,
    status: Status = Status.FAIL,
    severity: Severity = Severity.HIGH,
    region: str | None = None,
    account: str = ACCOUNT,
    seen: datetime = T0,
    **kw: object,
) -> Finding:
    uid = f"arn:aws:iam::{account}:user/{user}"
    return Finding(
        fingerprint=fingerprint("aws", account, check, uid),
        check_id=check,
        title=f"Title of {check}",
        status=status,
        severity=severity,
        category=Category.ACCESS_CONTROL,
        soc2=("CC6.1", "CC6.2"),
        provider="aws",
        account=account,
        region=region,
        resource=Resource(uid=uid, type="AWS::IAM::User", name=user),
        message=f"{user}: {check} is {status.value}.",
        evidence=kw.pop("evidence", {"mfa_active": False}),  # type: ignore[arg-type]
        remediation="Fix it.",
        first_seen=seen,
        last_seen=seen,
        **kw,  # type: ignore[arg-type]
    )


def document(
    findings: list[Finding],
    started: datetime = T0,
    check_ids: tuple[str, ...] = (),
    accounts: tuple[str, ...] = (ACCOUNT,),
    regions: tuple[str, ...] = ("us-east-1", "eu-west-1"),
    errors: tuple[ScanError, ...] = (),
) -> FindingsDocument:
    kept = ordered(findings)
    ids = check_ids or tuple(sorted({f.check_id for f in findings}))
    return FindingsDocument(
        scan=ScanHeader(
            tool_version="0.1.0",
            started_at=started,
            finished_at=started + timedelta(seconds=42),
            providers=("aws",),
            targets=tuple(ScanTarget(provider="aws", account=a, regions=regions) for a in accounts),
            checks_run=len(ids),
            check_ids=ids,
            partial=bool(errors),
            errors=errors,
            summary=summarise(kept),
        ),
        findings=kept,
    )


def golden_document() -> FindingsDocument:
    """Every status, a waiver, a collection error, and a name a spreadsheet would execute."""
    error = ScanError(
        provider="aws",
        account=ACCOUNT,
        collection="aws.iam.users",
        scope=None,
        outcome="access_denied",
        missing="iam:ListUsers",
        message="AccessDenied",
    )
    return document(
        [
            finding("aws.iam.user_console_without_mfa", "alice", severity=Severity.HIGH),
            finding(
                "aws.iam.user_multiple_active_keys",
                "=HYPERLINK(evil)|pipe",
                severity=Severity.MEDIUM,
                evidence={"active_keys": 2},
            ),
            finding(
                "aws.iam.root_mfa_disabled", "root", severity=Severity.CRITICAL, region="us-east-1"
            ),
            finding(
                "aws.iam.user_direct_policies",
                "frank",
                status=Status.MUTED,
                severity=Severity.LOW,
                waiver=Waiver(
                    reason="key migration, SEC-12", owner="secops", expires=date(2026, 12, 31)
                ),
            ),
            finding("aws.iam.user_has_admin", "users", status=Status.ERROR, evidence={}),
            finding("aws.iam.user_console_without_mfa", "carol", status=Status.PASS),
        ],
        errors=(error,),
    )
