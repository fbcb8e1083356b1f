"""Which vendors the vendor checks hold to the annual assessment."""

from __future__ import annotations

from scanner.check import CheckContext
from scanner.inventory.evidence import Vendor


def assessed(vendor: Vendor, ctx: CheckContext) -> bool:
    wanted = {c.lower() for c in ctx.config.evidence.assessed_criticalities}
    return vendor.criticality.value in wanted


def vendor_evidence(vendor: Vendor) -> dict[str, str | bool | int | None]:
    return {
        "file": "vendors.yaml",
        "line": vendor.line,
        "criticality": vendor.criticality.value,
        "data_access": vendor.data_access,
        "last_assessed": vendor.last_assessed.isoformat() if vendor.last_assessed else None,
        "soc2_report_expires": vendor.soc2_report_expires.isoformat()
        if vendor.soc2_report_expires
        else None,
        "contract_security_clause": vendor.contract_security_clause,
    }
