"""Open critical or high Dependabot alerts older than the remediation SLA."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.github import DEPENDABOT_ALERTS, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.security.dependabot_alerts_overdue",
    title="Dependabot alerts open past the remediation SLA",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC7.1",),
    remediation="Upgrade (or patch) the vulnerable dependencies, or dismiss the alert with a "
    "recorded reason; track remediation against the SLA.",
    requires=(DEPENDABOT_ALERTS, REPOS),
    description="Open alerts of github.thresholds.dependabot_severities (default critical, "
    "high) created more than github.thresholds.dependabot_sla_days (default 30) days ago.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limits = ctx.config.github.thresholds
    severities = {s.lower() for s in limits.dependabot_severities}
    for found in inventory.dependabot_alerts:
        resource = resources.repo(inventory, found.repo)
        if found.unreadable is not None:
            yield resources.unreadable(
                resource, f"the Dependabot alerts of {found.repo}", found.unreadable
            )
            continue
        overdue = [
            a
            for a in found.alerts
            if a.state == "open"
            and a.severity.lower() in severities
            and (ctx.now - a.created_at).days > limits.dependabot_sla_days
        ]
        listed = [
            {
                "number": a.number,
                "severity": a.severity,
                "package": a.package,
                "advisory": a.ghsa_id,
                "open_days": (ctx.now - a.created_at).days,
                "url": a.html_url or a.url,
            }
            for a in overdue
        ]
        yield pass_or_fail(
            resource,
            not overdue,
            f"{found.repo} has no {'/'.join(sorted(severities))} Dependabot alert open longer "
            f"than {limits.dependabot_sla_days} days.",
            f"{found.repo} has {len(overdue)} {'/'.join(sorted(severities))} Dependabot "
            f"alert(s) open longer than {limits.dependabot_sla_days} days.",
            evidence={"sla_days": limits.dependabot_sla_days, "overdue": listed},
        )


CHECK = Check(META, GithubInventory, evaluate)
