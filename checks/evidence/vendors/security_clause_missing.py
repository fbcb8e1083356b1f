"""A critical vendor, or one with access to data, without a security clause in its contract."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from checks.evidence.vendors.common import assessed, vendor_evidence
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.evidence import VENDORS, EvidenceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="evidence.vendors.security_clause_missing",
    title="Vendor contract without a security clause",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC9.2",),
    remediation="Add security and confidentiality requirements (breach notification, data "
    "handling, right to audit) to the vendor's contract.",
    requires=(VENDORS,),
    description="Applies to critical vendors and to every vendor with access to data.",
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for vendor in inventory.vendors or ():
        if not (assessed(vendor, ctx) or vendor.has_data_access):
            continue
        evidence = vendor_evidence(vendor)
        yield pass_or_fail(
            resources.vendor(vendor.name),
            vendor.contract_security_clause,
            f"The contract with {vendor.name} has a security clause.",
            f"The contract with {vendor.name} ({vendor.criticality.value}, data access: "
            f"{vendor.data_access}) has no security clause.",
            evidence=evidence,
        )


CHECK = Check(META, EvidenceInventory, evaluate)
