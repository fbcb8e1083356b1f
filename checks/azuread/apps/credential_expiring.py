"""Application and service principal secrets or certificates expired or about to expire."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from checks.azuread.resources import application, service_principal
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import (
    APPLICATIONS,
    SERVICE_PRINCIPALS,
    AppCredential,
    AzureAdInventory,
)
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="azuread.apps.credential_expiring",
    title="Application credential expired or expiring soon",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Rotate the secret or certificate before it expires (prefer certificates or "
    "managed identities), and delete expired credentials from the application.",
    requires=(APPLICATIONS, SERVICE_PRINCIPALS),
)

KIND_NAMES = {"password": "client secret", "certificate": "certificate"}


def _evidence(cred: AppCredential, days_left: int | None) -> dict[str, str | int | None]:
    return {
        "key_id": cred.key_id,
        "kind": cred.kind,
        "display_name": cred.display_name,
        "usage": cred.usage,
        "expires_at": cred.end.isoformat() if cred.end else None,
        "days_left": days_left,
    }


def _results(
    resource: Resource,
    owner: str,
    credentials: tuple[AppCredential, ...],
    now: datetime,
    warning_days: int,
    rests_on: str,
) -> Iterator[CheckResult]:
    for cred in credentials:
        label = f"{KIND_NAMES[cred.kind]} {cred.display_name or cred.key_id}"
        if cred.usage:
            label += f" ({cred.usage})"
        if cred.end is None:
            continue
        days_left = (cred.end - now).days
        evidence = _evidence(cred, days_left)
        sub_key = cred.key_id
        where = {"sub_key": sub_key, "rests_on": (rests_on,)}
        if cred.end <= now:
            yield fail(
                resource,
                f"The {label} of {owner} expired on {cred.end.date().isoformat()}: "
                "remove it, and rotate if it is still in use.",
                evidence=evidence,
                **where,
            )
        elif days_left < warning_days:
            yield fail(
                resource,
                f"The {label} of {owner} expires in {days_left} days "
                f"({cred.end.date().isoformat()}): rotate it.",
                evidence=evidence,
                **where,
            )
        else:
            yield passed(
                resource,
                f"The {label} of {owner} is valid for {days_left} more days.",
                evidence=evidence,
                **where,
            )


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    warning = ctx.config.azuread.thresholds.credential_expiry_warning_days
    for app in inventory.applications:
        yield from _results(
            application(app),
            f"app registration {app.display_name}",
            app.credentials,
            ctx.now,
            warning,
            APPLICATIONS,
        )
    for sp in inventory.service_principals:
        yield from _results(
            service_principal(sp),
            f"enterprise application {sp.display_name}",
            sp.credentials,
            ctx.now,
            warning,
            SERVICE_PRINCIPALS,
        )


CHECK = Check(META, AzureAdInventory, evaluate)
