"""Administrators or bypass actors can skip the default branch's rules."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.github import BRANCH_RULES, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.branch.rules_bypassable",
    title="Administrators or bypass actors can skip the branch rules",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Include administrators in classic protection (enforce_admins), remove bypass "
    "allowances, and keep rulesets' bypass lists empty (or a break-glass role whose use is "
    "reviewed).",
    requires=(BRANCH_RULES, REPOS),
    description="Classic protection without enforce_admins lets repository admins push past it; "
    "bypass_pull_request_allowances and every ruleset's bypass_actors (always, or through a "
    "pull request) may skip the rules. A ruleset whose bypass list GitHub did not show (it is "
    "shown to those who may edit it) is an error.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for rules in resources.protected_branches(inventory):
        resource = resources.branch(inventory, rules)
        where = f"{rules.repo}:{rules.branch}"
        who = list(rules.bypassers)
        evidence = {**resources.branch_evidence(rules), "bypass": who}
        if who:
            yield fail(
                resource,
                f"{where}: the rules can be skipped by {'; '.join(who)}.",
                evidence=evidence,
            )
        elif rules.unreadable or rules.hidden_bypass:
            hidden = [f"ruleset {name}: bypass actors not shown" for name in rules.hidden_bypass]
            yield error(
                resource,
                f"Not evaluated: who can skip the rules of {where} could not be read: "
                f"{'; '.join([*rules.unreadable, *hidden])}.",
                evidence=evidence,
            )
        else:
            yield passed(resource, f"{where}: nobody can skip the rules.", evidence=evidence)


CHECK = Check(META, GithubInventory, evaluate)
