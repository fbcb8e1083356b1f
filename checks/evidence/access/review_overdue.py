"""A system in scope without a user access review this calendar quarter."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from checks.evidence.dates import quarter_name, quarter_start
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.evidence import ACCESS_REVIEWS, MANIFEST, EvidenceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="evidence.access.review_overdue",
    title="No access review this quarter for a system in scope",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2", "CC6.3"),
    remediation="Review who has access to the system with its owner, remove what is not needed, "
    "and record the review in access-reviews.csv.",
    requires=(MANIFEST, ACCESS_REVIEWS),
    description="The systems in scope are listed in evidence.yaml (systems_in_scope).",
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    manifest = inventory.manifest
    if not inventory.collected(MANIFEST) or (
        inventory.access_reviews is None and not inventory.collected(ACCESS_REVIEWS)
    ):
        return  # present but invalid: the engine reports the error with file and line
    systems: tuple[str, ...] = manifest.systems_in_scope if manifest else ()
    if not systems:
        yield fail(
            resources.evidence_file("evidence.yaml", "Manifest"),
            "No systems in scope are declared (systems_in_scope in evidence.yaml), so access "
            "reviews cannot be verified for every system; the reviewed systems are checked.",
            evidence={"file": "evidence.yaml", "present": manifest is not None},
        )
        seen = {r.system.strip().lower(): r.system for r in inventory.access_reviews or ()}
        systems = tuple(seen.values())
    today = ctx.now.date()
    start = quarter_start(today)
    quarter = quarter_name(today)
    reviews = inventory.access_reviews
    for system in systems:
        done = [
            r
            for r in reviews or ()
            if r.system.strip().lower() == system.strip().lower() and r.completed_on <= today
        ]
        last = max(done, key=lambda r: r.completed_on, default=None)
        evidence = {
            "file": "access-reviews.csv",
            "present": reviews is not None,
            "last_review": last.completed_on.isoformat() if last else None,
            "reviewer": last.reviewer if last else None,
            "quarter_start": start.isoformat(),
        }
        if last is None:
            why = "there is no access-reviews.csv" if reviews is None else "no review is recorded"
            yield fail(
                resources.system(system),
                f"No access review of {system} in {quarter}: {why}.",
                evidence=evidence,
            )
        elif last.completed_on < start:
            yield fail(
                resources.system(system),
                f"The last access review of {system} was on {last.completed_on}; none in "
                f"{quarter}.",
                evidence=evidence,
            )
        else:
            yield passed(
                resources.system(system),
                f"Access to {system} was reviewed on {last.completed_on} by {last.reviewer}.",
                evidence=evidence,
            )


CHECK = Check(META, EvidenceInventory, evaluate)
