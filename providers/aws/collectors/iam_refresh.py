"""Rows of a reused credential report brought up to date for the users it would flag.

IAM hands out the same credential report for four hours. When the report predates the scan by
more than `FRESH`, the rows a fix would change (a console password without MFA, an active
access key) are checked against IAM's current answers: GetLoginProfile, ListMFADevices and
ListAccessKeys, for those users only and at most `MAX_USERS` of them. A call that fails leaves
the row as the report has it (the verdict then says how old the report is).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from providers.aws.errors import AWS_CALL_ERRORS, error_code
from providers.aws.paginate import paginate
from scanner.inventory.aws import identity as inv

FRESH = timedelta(minutes=15)
MAX_USERS = 200


def _flaggable(row: inv.CredentialReportUser) -> bool:
    return row.name != inv.ROOT_REPORT_ROW and (
        (row.password_enabled and not row.mfa_active) or bool(row.active_keys)
    )


def refresh_stale_rows(
    iam: Any,
    rows: list[inv.CredentialReportUser],
    generated: datetime | None,
    now: datetime,
) -> list[inv.CredentialReportUser]:
    if generated is None or now - generated <= FRESH:
        return rows
    budget = MAX_USERS
    out = []
    for row in rows:
        if budget and _flaggable(row):
            budget -= 1
            row = _refreshed(iam, row)
        out.append(row)
    return out


def _second(stamp: datetime | None) -> datetime | None:
    return stamp.replace(microsecond=0) if stamp else None


def _keys(
    reported: tuple[inv.AccessKey, ...], current: list[dict[str, Any]]
) -> tuple[inv.AccessKey, ...]:
    """The report's keys as IAM has them now: a key is matched by its creation time (the
    report's access_key_N_last_rotated); one gone is dropped, a new one takes a free slot."""
    by_created = {_second(k.get("CreateDate")): k for k in current}
    kept = [
        key.model_copy(update={"active": by_created[created].get("Status") == "Active"})
        for key in reported
        if (created := _second(key.created)) in by_created
    ]
    known = {_second(k.created) for k in reported}
    free = [slot for slot in (1, 2) if slot not in {k.slot for k in kept}]
    added = [
        inv.AccessKey(slot=slot, active=k.get("Status") == "Active", created=k.get("CreateDate"))
        for slot, k in zip(
            free, [k for k in current if _second(k.get("CreateDate")) not in known], strict=False
        )
    ]
    return tuple(sorted([*kept, *added], key=lambda k: k.slot))


def _refreshed(iam: Any, row: inv.CredentialReportUser) -> inv.CredentialReportUser:
    update: dict[str, Any] = {"refreshed": True}
    try:
        if row.password_enabled and not row.mfa_active:
            try:
                iam.get_login_profile(UserName=row.name)
            except ClientError as exc:
                if error_code(exc) != "NoSuchEntity":
                    raise
                update["password_enabled"] = False  # the console password was removed
            if paginate(iam, "list_mfa_devices", "MFADevices", UserName=row.name):
                update["mfa_active"] = True
        if row.access_keys:
            current = paginate(iam, "list_access_keys", "AccessKeyMetadata", UserName=row.name)
            update["access_keys"] = _keys(row.access_keys, current)
    except AWS_CALL_ERRORS:
        return row
    return row.model_copy(update=update)
