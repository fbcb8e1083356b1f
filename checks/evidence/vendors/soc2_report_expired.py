"""A critical vendor whose SOC 2 report has expired or was never collected."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from checks.evidence.vendors.common import assessed, vendor_evidence
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.evidence import VENDORS, EvidenceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="evidence.vendors.soc2_report_expired",
    title="Critical vendor's SOC 2 report expired or missing",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC9.2",),
    remediation="Obtain the vendor's current SOC 2 Type II report (or an equivalent assurance), "
    "review it, and record soc2_report_expires.",
    requires=(VENDORS,),
    description="A missing vendor inventory is reported by evidence.vendors.assessment_overdue.",
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    today = ctx.now.date()
    for vendor in inventory.vendors or ():
        if not assessed(vendor, ctx):
            continue
        evidence = vendor_evidence(vendor)
        expires = vendor.soc2_report_expires
        if expires is None:
            yield fail(
                resources.vendor(vendor.name),
                f"No SOC 2 report is on file for {vendor.criticality.value} vendor {vendor.name}.",
                evidence=evidence,
            )
        elif expires < today:
            yield fail(
                resources.vendor(vendor.name),
                f"The SOC 2 report of {vendor.name} expired on {expires}.",
                evidence=evidence,
            )
        else:
            yield passed(
                resources.vendor(vendor.name),
                f"The SOC 2 report of {vendor.name} is current until {expires}.",
                evidence=evidence,
            )


CHECK = Check(META, EvidenceInventory, evaluate)
