"""Dependabot (vulnerability) alerts are off on a repository."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.github import REPOS, VULNERABILITY_ALERTS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.security.dependabot_alerts_disabled",
    title="Dependabot alerts off",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC7.1",),
    remediation="Enable Dependabot alerts for the repository (or for all repositories in the "
    "organisation's security configuration).",
    requires=(VULNERABILITY_ALERTS, REPOS),
    description="GET /repos/{owner}/{repo}/vulnerability-alerts: 204 on, 404 off (a 404 to a "
    "token without admin rights is an error).",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for alerts in inventory.vulnerability_alerts:
        resource = resources.repo(inventory, alerts.repo)
        if alerts.unreadable is not None or alerts.enabled is None:
            yield resources.unreadable(
                resource, f"the Dependabot alerts setting of {alerts.repo}", alerts.unreadable or ""
            )
            continue
        yield pass_or_fail(
            resource,
            alerts.enabled,
            f"{alerts.repo} has Dependabot alerts on.",
            f"{alerts.repo} has Dependabot alerts off: vulnerable dependencies go unnoticed.",
            evidence={"vulnerability_alerts": alerts.enabled},
        )


CHECK = Check(META, GithubInventory, evaluate)
