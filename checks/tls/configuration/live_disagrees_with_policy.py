"""A cloud endpoint accepts, when probed, protocol versions its configuration does not allow
(a proxy in front, a stale policy, a listener the API does not show)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.tls.resources import endpoint_resource
from checks.tls.verdicts import place
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.tls import ENDPOINTS, TlsInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="tls.configuration.live_disagrees_with_policy",
    title="Endpoint accepts protocols its cloud TLS policy does not allow",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Find what terminates TLS in front of the endpoint (a proxy, an old listener, "
    "another distribution on the same name) and bring it to the policy; the configuration "
    "alone is not the evidence.",
    requires=(ENDPOINTS,),
    description="Runs on endpoints probed with --probe-tls whose cloud configuration is known.",
)


def evaluate(inventory: TlsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for endpoint in inventory.endpoints:
        for claim in endpoint.configured:
            if not claim.protocols:
                continue  # the configuration's versions are unknown: nothing to compare
            extra = [p for p in endpoint.protocols if p not in claim.protocols]
            live = ", ".join(endpoint.protocols)
            said = f"{claim.kind} {claim.uid} has policy {claim.policy}"
            yield pass_or_fail(
                endpoint_resource(endpoint),
                not extra,
                f"{endpoint.name} accepts {live}, as {said} allows.",
                f"{said} allowing {', '.join(claim.protocols)}, but {endpoint.name} accepts "
                f"{live} when probed ({', '.join(extra)} beyond the policy).",
                evidence={
                    "configured_uid": claim.uid,
                    "configured_policy": claim.policy,
                    "configured_protocols": list(claim.protocols),
                    "probed_protocols": list(endpoint.protocols),
                    "beyond_policy": extra,
                },
                region=place(endpoint),
                sub_key=claim.uid,
            )


CHECK = Check(META, TlsInventory, evaluate)
