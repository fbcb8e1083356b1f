"""Weak authenticators (SMS, voice call, security question) that users can use."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, pass_or_fail, passed
from scanner.inventory.okta import AUTHENTICATORS, Authenticator, OktaInventory
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="okta.authenticators.weak_enabled",
    title="Weak Okta authenticator enabled (SMS, voice or security question)",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Deactivate the SMS and voice methods of the Phone authenticator and the "
    "Security Question authenticator; offer Okta Verify or FIDO2 instead.",
    requires=(AUTHENTICATORS,),
)

WEAK_PHONE_METHODS = ("sms", "voice")


def _resource(inventory: OktaInventory, a: Authenticator) -> Resource:
    return resources.obj(inventory, "authenticators", "Okta::Authenticator", a.id, a.name)


def _evidence(a: Authenticator, method: str | None = None) -> dict[str, str | None]:
    evidence = {"key": a.key, "status": a.status, "allowed_for": a.allowed_for}
    if method:
        evidence["method"] = method
    return evidence


def _phone(inventory: OktaInventory, a: Authenticator) -> Iterator[CheckResult]:
    status = {m.type: m.status for m in a.methods}
    for method in WEAK_PHONE_METHODS:
        # An active phone authenticator whose methods are unknown is treated as offering both.
        enabled = (
            a.active and status.get(method, "ACTIVE" if not a.methods else "INACTIVE") == "ACTIVE"
        )
        evidence = {**_evidence(a, method), "method_status": status.get(method)}
        yield pass_or_fail(
            _resource(inventory, a),
            not enabled,
            f"{a.name}: {method} is off.",
            f"Okta authenticator {a.name!r} lets users verify by {method}: deactivate it.",
            evidence=evidence,
            sub_key=method,
        )


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for a in inventory.authenticators:
        if a.key == "phone_number":
            yield from _phone(inventory, a)
        elif a.key == "security_question" and a.active:
            yield fail(
                _resource(inventory, a),
                f"Okta authenticator {a.name!r} (security question) is active: deactivate it.",
                evidence=_evidence(a),
            )
        else:
            verdict = "inactive" if not a.active else "not a weak authenticator"
            yield passed(_resource(inventory, a), f"{a.name} is {verdict}.", evidence=_evidence(a))


CHECK = Check(META, OktaInventory, evaluate)
