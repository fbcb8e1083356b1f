"""App registration client secrets or certificates issued for too long."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.resources import application
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.azuread import APPLICATIONS, AzureAdInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.apps.credential_lifetime_too_long",
    title="App registration credential valid for too long",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Replace the credential with one of a shorter lifetime (client secrets at most "
    "180 days, certificates at most a year) and enforce it with an app management policy.",
    requires=(APPLICATIONS,),
    description="SAML signing certificates of enterprise apps (service principals) are not "
    "held to this; only app registrations' own credentials are.",
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limits = ctx.config.azuread.thresholds
    for app in inventory.applications:
        for cred in app.credentials:
            lifetime = cred.lifetime_days
            if lifetime is None:
                continue
            is_secret = cred.kind == "password"
            allowed = (
                limits.max_secret_lifetime_days
                if is_secret
                else limits.max_certificate_lifetime_days
            )
            what = "client secret" if is_secret else "certificate"
            label = f"{what} {cred.display_name or cred.key_id}"
            days = round(lifetime)
            evidence = {
                "key_id": cred.key_id,
                "kind": cred.kind,
                "display_name": cred.display_name,
                "valid_from": cred.start.isoformat() if cred.start else None,
                "expires_at": cred.end.isoformat() if cred.end else None,
                "lifetime_days": days,
                "allowed_days": allowed,
            }
            resource = application(app)
            # A day of slack: portals compute "180 days" from the local time of creation.
            yield pass_or_fail(
                resource,
                lifetime <= allowed + 1,
                f"The {label} of {app.display_name} is valid for {days} days.",
                f"The {label} of app registration {app.display_name} is valid for {days} "
                f"days (allowed: {allowed}).",
                evidence=evidence,
                sub_key=cred.key_id,
            )


CHECK = Check(META, AzureAdInventory, evaluate)
