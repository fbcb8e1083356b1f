"""ThreatInsight set to log only, or off."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import NETWORK_ZONES, THREAT_INSIGHT, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.security.threat_insight_not_blocking",
    title="Okta ThreatInsight does not block suspicious IPs",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Set ThreatInsight to 'Log and enforce security based on threat level' "
    "(Security > General).",
    requires=(THREAT_INSIGHT,),
    # Only the excluded zones' names; without the zones the evidence shows their ids.
    optional=(NETWORK_ZONES,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    ti = inventory.threat_insight
    if ti is None:
        return
    zones = {z.id: z.name for z in inventory.network_zones}
    evidence = {"action": ti.action, "excluded_zones": [zones.get(z, z) for z in ti.exclude_zones]}
    resource = resources.org(inventory, "threat_insight")
    yield pass_or_fail(
        resource,
        ti.action == "block",
        "ThreatInsight blocks suspicious sign-in attempts.",
        f"Okta ThreatInsight action is {ti.action!r}: set it to block so requests from "
        "suspicious IPs are denied.",
        evidence=evidence,
    )


CHECK = Check(META, OktaInventory, evaluate)
