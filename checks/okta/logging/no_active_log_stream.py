"""Orgs that stream their System Log nowhere."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import LOG_STREAMS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.logging.no_active_log_stream",
    title="Okta System Log not streamed to a SIEM",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Add and activate a log stream (AWS EventBridge or Splunk Cloud) so System Log "
    "events reach your SIEM and outlive Okta's 90-day retention.",
    requires=(LOG_STREAMS,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if resources.missing(inventory, LOG_STREAMS):
        return
    active = sorted(s.name for s in inventory.log_streams if s.status == "ACTIVE")
    evidence = {
        "active_streams": active,
        "streams": [
            {"name": s.name, "type": s.type, "status": s.status} for s in inventory.log_streams
        ],
    }
    resource = resources.org(inventory, "log_streaming")
    yield pass_or_fail(
        resource,
        bool(active),
        f"System Log streams to {', '.join(active)}.",
        f"Okta org {inventory.account} has no active log stream: stream the System Log "
        "to your SIEM.",
        evidence=evidence,
    )


CHECK = Check(META, OktaInventory, evaluate)
