"""A half-year of nightly findings documents with known gaps, partial scans, exceptions and a
waiver, built directly (no scan runs) so that every number of the evidence pack is known.

Window 2026-01-01..2026-06-29 (180 UTC days), one AWS account, a scan at 02:00 each night:
- no scan on days 40, 41 and 100 (3 days without scan);
- days 60 and 61 are partial: the credential report was denied, so
  `aws.iam.user_console_without_mfa` has only an error result (not evaluated);
- bob's console login lacks MFA (high, SLA 30) on days 10..54 and is fixed on day 55: open 45
  days, outside the SLA; scanned on 43 of those days (40 and 41 have no scan);
- the root account lacks MFA (critical, SLA 7) on days 70..74, fixed on day 75: 5 days, within;
- KMS key `k1` has rotation off all window; it is waived until 2026-03-31 (day 89), after
  which it fails: an episode open 179 days at the window's end (medium, SLA 90);
- users alice, bob and carol; dave joins on day 50, carol leaves on day 120.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from scanner.config.suppressions import Suppression
from scanner.document import ordered, summarise
from scanner.fingerprint import fingerprint
from scanner.history import HistoryStore
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

START = date(2026, 1, 1)
END = date(2026, 6, 29)
DAYS = 180
ACCOUNT = "111122223333"
NO_SCAN = frozenset({40, 41, 100})
PARTIAL = frozenset({60, 61})
BOB_FAILS = range(10, 55)
ROOT_FAILS = range(70, 75)
WAIVER_ENDS = date(2026, 3, 31)
DAVE_JOINS, CAROL_LEAVES = 50, 120

MFA = "aws.iam.user_console_without_mfa"
ROOT = "aws.iam.root_mfa_disabled"
ROTATION = "aws.kms.key_rotation_disabled"
KEY_AGE = "aws.iam.access_key_too_old"
BUCKET = "aws.s3.bucket_encryption_disabled"
CHECKS = (KEY_AGE, MFA, ROOT, ROTATION, BUCKET)

WAIVER = Suppression(
    check=ROTATION,
    resource="k1",
    reason="Key k1 is replaced by the Q1 migration",
    owner="secops@example.com",
    expires=WAIVER_ENDS,
    approved_by="ciso@example.com",
    approved_on=date(2025, 12, 15),
)


def day(n: int) -> date:
    return START + timedelta(days=n)


def when(n: int) -> datetime:
    return datetime.combine(day(n), datetime.min.time(), UTC) + timedelta(hours=2)


def _finding(
    check: str,
    uid: str,
    rtype: str,
    name: str,
    status: Status,
    severity: Severity,
    category: Category,
    soc2: tuple[str, ...],
    at: datetime,
    evidence: dict[str, object] | None = None,
    waiver: Waiver | None = None,
) -> Finding:
    return Finding(
        fingerprint=fingerprint("aws", ACCOUNT, check, uid),
        check_id=check,
        title=f"Title of {check}",
        status=status,
        severity=severity,
        category=category,
        soc2=soc2,
        provider="aws",
        account=ACCOUNT,
        region=None,
        resource=Resource(uid=uid, type=rtype, name=name),
        message=f"{name}: {check} is {status.value}.",
        evidence=evidence or {},  # type: ignore[arg-type]
        remediation=f"Fix {check}.",
        first_seen=at,
        last_seen=at,
        waiver=waiver,
    )


def _user(name: str) -> tuple[str, str, str]:
    return (f"arn:aws:iam::{ACCOUNT}:user/{name}", "AWS::IAM::User", name)


def users_on(n: int) -> list[str]:
    users = ["alice", "bob"]
    if n < CAROL_LEAVES:
        users.append("carol")
    if n >= DAVE_JOINS:
        users.append("dave")
    return users


def night(n: int) -> FindingsDocument:
    at = when(n)
    access = (Category.ACCESS_CONTROL, ("CC6.1",))
    found: list[Finding] = []
    errors: tuple[ScanError, ...] = ()
    if n in PARTIAL:
        errors = (
            ScanError(
                provider="aws",
                account=ACCOUNT,
                collection="aws.iam.credential_report",
                scope=None,
                outcome="access_denied",
                missing="iam:GenerateCredentialReport",
                message="AccessDenied",
            ),
        )
        found.append(
            _finding(
                MFA,
                f"arn:aws:iam::{ACCOUNT}:credential-report",
                "AWS::IAM::CredentialReport",
                "credential report",
                Status.ERROR,
                Severity.HIGH,
                *access,
                at,
            )
        )
    for name in users_on(n):
        if n not in PARTIAL:
            failing = name == "bob" and n in BOB_FAILS
            found.append(
                _finding(
                    MFA,
                    *_user(name),
                    Status.FAIL if failing else Status.PASS,
                    Severity.HIGH,
                    *access,
                    at,
                    {"password_enabled": True, "mfa_active": not failing},
                )
            )
    found.append(
        _finding(KEY_AGE, *_user("bob"), Status.PASS, Severity.MEDIUM, *access, at, {"key_slot": 1})
    )
    found.append(
        _finding(
            ROOT,
            f"arn:aws:iam::{ACCOUNT}:root",
            "AWS::IAM::Root",
            "root",
            Status.FAIL if n in ROOT_FAILS else Status.PASS,
            Severity.CRITICAL,
            *access,
            at,
        )
    )
    waived = day(n) <= WAIVER_ENDS
    found.append(
        _finding(
            ROTATION,
            f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1",
            "AWS::KMS::Key",
            "k1",
            Status.MUTED if waived else Status.FAIL,
            Severity.MEDIUM,
            Category.ENCRYPTION,
            ("CC6.1", "CC6.7"),
            at,
            waiver=Waiver(
                reason=WAIVER.reason,
                owner=WAIVER.owner,
                expires=WAIVER.expires,
                approved_by=WAIVER.approved_by,
                approved_on=WAIVER.approved_on,
            )
            if waived
            else None,
        )
    )
    found.append(
        _finding(
            BUCKET,
            "arn:aws:s3:::acme-logs",
            "AWS::S3::Bucket",
            "acme-logs",
            Status.PASS,
            Severity.HIGH,
            Category.ENCRYPTION,
            ("CC6.1", "CC6.7"),
            at,
        )
    )
    kept = ordered(found)
    return FindingsDocument(
        scan=ScanHeader(
            id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"posture-test-night-{n}")),
            tool_version="0.1.0",
            started_at=at,
            finished_at=at + timedelta(minutes=3),
            providers=("aws",),
            targets=(ScanTarget(provider="aws", account=ACCOUNT, regions=("us-east-1",)),),
            checks_run=len(CHECKS),
            check_ids=tuple(sorted(CHECKS)),
            partial=bool(errors),
            errors=errors,
            summary=summarise(kept),
        ),
        findings=kept,
    )


def nights() -> list[FindingsDocument]:
    return [night(n) for n in range(DAYS) if n not in NO_SCAN]


def build_store(path: Path) -> Path:
    with HistoryStore(path) as store:
        for doc in nights():
            store.record(doc)
    return path
