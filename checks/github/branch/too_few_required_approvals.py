"""The default branch merges pull requests with fewer approving reviews than required."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.github import BRANCH_RULES, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.branch.too_few_required_approvals",
    title="Default branch requires too few approving reviews",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Require pull requests with at least one approving review before merging "
    "(ruleset rule 'Require a pull request before merging', or classic protection).",
    requires=(BRANCH_RULES, REPOS),
    description="The most approvals any source requires (classic protection's "
    "required_approving_review_count, a ruleset's pull_request rule) against "
    "github.thresholds.min_approvals (default 1). Unprotected branches are "
    "default_branch_unprotected's.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    need = ctx.config.github.thresholds.min_approvals
    for rules in resources.protected_branches(inventory):
        got = rules.required_approvals
        where = f"{rules.repo}:{rules.branch}"
        required = "no pull request" if not rules.required_reviews else f"{got} approving review(s)"
        yield resources.branch_verdict(
            inventory,
            rules,
            got >= need,
            f"{where} requires {got} approving review(s) (at least {need}).",
            f"{where} requires {required} before merging (at least {need} needed).",
            {
                "required_approving_review_count": got,
                "pull_request_required": rules.required_reviews,
                "threshold": need,
            },
        )


CHECK = Check(META, GithubInventory, evaluate)
