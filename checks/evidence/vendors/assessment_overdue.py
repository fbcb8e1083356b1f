"""A critical vendor not assessed in the last 12 months (or no vendor inventory at all)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from checks.evidence.vendors.common import assessed, vendor_evidence
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, pass_or_fail, passed
from scanner.inventory.evidence import VENDORS, EvidenceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="evidence.vendors.assessment_overdue",
    title="Critical vendor not assessed in the last 12 months",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC9.2",),
    remediation="Assess the vendor's security (questionnaire, SOC 2 report review) and record "
    "last_assessed in vendors.yaml.",
    requires=(VENDORS,),
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.vendors is None:
        if not inventory.collected(VENDORS):
            return  # present but invalid: the engine reports the error with file and line
        yield fail(
            resources.evidence_file("vendors.yaml", "VendorInventory"),
            "There is no vendor inventory (vendors.yaml) in the evidence directory.",
            evidence={"file": "vendors.yaml", "present": False},
        )
        return
    if not inventory.vendors:
        yield fail(
            resources.evidence_file("vendors.yaml", "VendorInventory"),
            "The vendor inventory (vendors.yaml) lists no vendors; every company relies on some "
            "(cloud, identity, payroll, support).",
            evidence={"file": "vendors.yaml", "vendors": 0},
        )
        return
    today = ctx.now.date()
    max_age = ctx.config.evidence.thresholds.vendor_assessment_max_age_days
    if not any(assessed(v, ctx) for v in inventory.vendors):
        yield passed(
            resources.evidence_file("vendors.yaml", "VendorInventory"),
            f"{len(inventory.vendors)} vendors are listed; none is of a criticality that needs "
            "an annual assessment.",
            evidence={"file": "vendors.yaml", "vendors": len(inventory.vendors)},
        )
    for vendor in inventory.vendors:
        if not assessed(vendor, ctx):
            continue
        evidence = vendor_evidence(vendor)
        if vendor.last_assessed is None:
            yield fail(
                resources.vendor(vendor.name),
                f"{vendor.criticality.value.capitalize()} vendor {vendor.name} has never been "
                "assessed.",
                evidence=evidence,
            )
            continue
        age = (today - vendor.last_assessed).days
        yield pass_or_fail(
            resources.vendor(vendor.name),
            age <= max_age,
            f"Vendor {vendor.name} was assessed on {vendor.last_assessed}.",
            f"{vendor.criticality.value.capitalize()} vendor {vendor.name} was last assessed "
            f"on {vendor.last_assessed}, {age} days ago (limit {max_age}).",
            evidence=evidence,
        )


CHECK = Check(META, EvidenceInventory, evaluate)
