"""A repository has a CODEOWNERS file but its default branch does not require their review."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.github import BRANCH_RULES, CODEOWNERS, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.branch.code_owner_review_not_required",
    title="Code owner review not required although CODEOWNERS exists",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Require review from code owners on the default branch (require_code_owner_review "
    "in the ruleset's pull request rule, or classic protection's require_code_owner_reviews).",
    requires=(BRANCH_RULES, CODEOWNERS, REPOS),
    description="Looks for CODEOWNERS where GitHub does (.github/, the root, docs/). Repositories "
    "without one are not judged; unprotected branches are default_branch_unprotected's.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    owners = {c.repo: c for c in inventory.codeowners}
    for rules in resources.protected_branches(inventory):
        found = owners.get(rules.repo)
        if found is None:
            continue
        if found.unreadable is not None:
            yield resources.unreadable(
                resources.branch(inventory, rules), f"CODEOWNERS of {rules.repo}", found.unreadable
            )
            continue
        if found.path is None:
            continue
        where = f"{rules.repo}:{rules.branch}"
        yield resources.branch_verdict(
            inventory,
            rules,
            rules.requires_code_owner_review,
            f"{where} requires code owner review ({found.path}).",
            f"{where} has {found.path} but does not require code owner review.",
            {
                "codeowners": found.path,
                "require_code_owner_review": rules.requires_code_owner_review,
            },
        )


CHECK = Check(META, GithubInventory, evaluate)
