"""Risks in the register not reviewed this calendar quarter."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from checks.evidence.dates import quarter_name, quarter_start
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.evidence import RISK_REGISTER, EvidenceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="evidence.risk.review_overdue",
    title="Risk register not reviewed this quarter",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC3.1", "CC3.2"),
    remediation="Review the register with the risk owners this quarter and update last_reviewed "
    "for every risk.",
    requires=(RISK_REGISTER,),
    description="Every risk's last_reviewed falls in the current calendar quarter. A missing or "
    "empty register is reported by evidence.risk.register_missing.",
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    register = inventory.risk_register
    if register is None:
        return
    today = ctx.now.date()
    start = quarter_start(today)
    quarter = quarter_name(today)
    for risk in register.risks:
        resource = resources.risk(register.path, risk.risk)
        evidence = {
            "file": register.path,
            "line": risk.line,
            "owner": risk.owner,
            "last_reviewed": risk.last_reviewed.isoformat(),
            "quarter_start": start.isoformat(),
        }
        days = (today - risk.last_reviewed).days
        yield pass_or_fail(
            resource,
            risk.last_reviewed >= start,
            f"Risk '{risk.risk}' was reviewed on {risk.last_reviewed} ({quarter}).",
            f"Risk '{risk.risk}' ({register.path} line {risk.line}) was last reviewed on "
            f"{risk.last_reviewed}, {days} days ago; not reviewed in {quarter}.",
            evidence=evidence,
        )


CHECK = Check(META, EvidenceInventory, evaluate)
