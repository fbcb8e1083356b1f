"""No incident response tabletop exercise in the last 12 months."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.evidence import EXERCISES, EvidenceInventory
from scanner.models.enums import Category, Severity

EXERCISES_FILE = "incident-response/exercises.yaml"

META = CheckMeta(
    id="evidence.incident.tabletop_overdue",
    title="No incident response tabletop exercise in the last 12 months",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC7.4",),
    remediation="Run a tabletop exercise of the incident response plan and record its date, "
    "type and lessons learned.",
    requires=(EXERCISES,),
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    resource = resources.evidence_file(EXERCISES_FILE, "IncidentResponseExercises")
    if inventory.exercises is None:
        if not inventory.collected(EXERCISES):
            return  # present but invalid: the engine reports the error with file and line
        yield fail(
            resource,
            f"No incident response exercises are recorded ({EXERCISES_FILE} is missing).",
            evidence={"file": EXERCISES_FILE, "present": False},
        )
        return
    today = ctx.now.date()
    max_age = ctx.config.evidence.thresholds.tabletop_max_age_days
    kinds = {t.lower() for t in ctx.config.evidence.tabletop_types}
    tabletops = [e for e in inventory.exercises if e.type.lower() in kinds and e.date <= today]
    last = max((e.date for e in tabletops), default=None)
    evidence = {
        "file": EXERCISES_FILE,
        "exercises": len(inventory.exercises),
        "tabletops": len(tabletops),
        "last_tabletop": last.isoformat() if last else None,
        "max_age_days": max_age,
    }
    if last is None:
        yield fail(resource, "No tabletop exercise has ever been recorded.", evidence=evidence)
    elif (today - last).days > max_age:
        yield fail(
            resource,
            f"The last tabletop exercise was on {last}, {(today - last).days} days ago "
            f"(limit {max_age}).",
            evidence=evidence,
        )
    else:
        yield passed(resource, f"A tabletop exercise was held on {last}.", evidence=evidence)


CHECK = Check(META, EvidenceInventory, evaluate)
