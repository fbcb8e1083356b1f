"""The default branch merges without any required status check."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.github import BRANCH_RULES, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.branch.no_required_status_checks",
    title="Default branch requires no status checks",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Require the CI checks that test a change to pass before it merges (ruleset rule "
    "required_status_checks, or classic protection's required status checks).",
    requires=(BRANCH_RULES, REPOS),
    description="Changes must be tested before they ship: at least one required status check "
    "from either source. Unprotected branches are default_branch_unprotected's.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for rules in resources.protected_branches(inventory):
        where = f"{rules.repo}:{rules.branch}"
        checks = list(rules.status_checks)
        yield resources.branch_verdict(
            inventory,
            rules,
            bool(checks),
            f"{where} requires status checks: {', '.join(checks)}.",
            f"{where} requires no status check: untested changes can merge.",
            {"required_status_checks": checks},
        )


CHECK = Check(META, GithubInventory, evaluate)
