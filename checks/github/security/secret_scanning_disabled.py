"""Secret scanning or its push protection is off on a repository."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.github import REPOS, SECURITY_ANALYSIS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.security.secret_scanning_disabled",
    title="Secret scanning or push protection off",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC7.1"),
    remediation="Enable secret scanning and push protection (repository Settings, Code security; "
    "or for every repository in the organisation's security configuration).",
    requires=(SECURITY_ANALYSIS, REPOS),
    description="Reads security_and_analysis.secret_scanning and "
    "secret_scanning_push_protection (shown to repository admins).",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for analysis in inventory.security_analysis:
        resource = resources.repo(inventory, analysis.repo)
        if analysis.unreadable is not None:
            yield resources.unreadable(
                resource, f"secret scanning settings of {analysis.repo}", analysis.unreadable
            )
            continue
        off = [
            what
            for what, status in (
                ("secret scanning", analysis.secret_scanning),
                ("push protection", analysis.secret_scanning_push_protection),
            )
            if status != "enabled"
        ]
        yield pass_or_fail(
            resource,
            not off,
            f"{analysis.repo} has secret scanning and push protection on.",
            f"{analysis.repo} has {' and '.join(off)} off.",
            evidence={
                "secret_scanning": analysis.secret_scanning,
                "secret_scanning_push_protection": analysis.secret_scanning_push_protection,
            },
        )


CHECK = Check(META, GithubInventory, evaluate)
