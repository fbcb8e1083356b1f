"""Approvals survive new commits pushed to the pull request."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.github import BRANCH_RULES, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.branch.stale_approvals_not_dismissed",
    title="Stale approvals are not dismissed on new commits",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Turn on 'Dismiss stale pull request approvals when new commits are pushed' "
    "(dismiss_stale_reviews_on_push in a ruleset, dismiss_stale_reviews in classic protection).",
    requires=(BRANCH_RULES, REPOS),
    description="Without it, code pushed after the approval is merged unreviewed. Unprotected "
    "branches are default_branch_unprotected's.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for rules in resources.protected_branches(inventory):
        where = f"{rules.repo}:{rules.branch}"
        yield resources.branch_verdict(
            inventory,
            rules,
            rules.dismisses_stale_approvals,
            f"{where} dismisses approvals when new commits are pushed.",
            f"{where} keeps approvals after new commits are pushed: later changes merge "
            "without review.",
            {"dismiss_stale_reviews": rules.dismisses_stale_approvals},
        )


CHECK = Check(META, GithubInventory, evaluate)
