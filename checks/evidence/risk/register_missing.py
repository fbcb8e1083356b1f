"""No risk register, or one with no risks in it."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.evidence import RISK_REGISTER, EvidenceInventory
from scanner.models.enums import Category, Severity

REGISTER_FILE = "risk-register.csv"

META = CheckMeta(
    id="evidence.risk.register_missing",
    title="Risk register missing or empty",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC3.1", "CC3.2"),
    remediation="Run a risk assessment and record each risk with likelihood, impact, owner and "
    "controls in risk-register.csv.",
    requires=(RISK_REGISTER,),
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    register = inventory.risk_register
    resource = resources.evidence_file(REGISTER_FILE, "RiskRegister")
    if register is None:
        if not inventory.collected(RISK_REGISTER):
            return  # present but invalid: the engine reports the error with file and line
        yield fail(
            resource,
            f"There is no risk register ({REGISTER_FILE}) in the evidence directory.",
            evidence={"file": REGISTER_FILE, "present": False},
        )
    elif not register.risks:
        yield fail(
            resource,
            f"The risk register {register.path} lists no risks.",
            evidence={"file": register.path, "risks": 0},
        )
    else:
        last = register.last_reviewed
        yield passed(
            resource,
            f"The risk register lists {len(register.risks)} risks.",
            evidence={
                "file": register.path,
                "risks": len(register.risks),
                "last_reviewed": last.isoformat() if last else None,
            },
        )


CHECK = Check(META, EvidenceInventory, evaluate)
