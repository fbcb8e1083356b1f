"""The default branch can be force-pushed or deleted."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.github import BRANCH_RULES, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.branch.force_push_or_deletion_allowed",
    title="Default branch allows force pushes or deletion",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Block force pushes and restrict deletions on the default branch (ruleset rules "
    "non_fast_forward and deletion, or classic protection with both off).",
    requires=(BRANCH_RULES, REPOS),
    description="A force push rewrites the reviewed history; deleting the branch removes it. "
    "Either source blocking them is enough. Unprotected branches are "
    "default_branch_unprotected's.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for rules in resources.protected_branches(inventory):
        where = f"{rules.repo}:{rules.branch}"
        allowed = [
            what
            for what, on in (
                ("force pushes", rules.force_push_allowed),
                ("deletion", rules.deletion_allowed),
            )
            if on
        ]
        yield resources.branch_verdict(
            inventory,
            rules,
            not allowed,
            f"{where} blocks force pushes and deletion.",
            f"{where} allows {' and '.join(allowed)}.",
            {
                "force_push_allowed": rules.force_push_allowed,
                "deletion_allowed": rules.deletion_allowed,
            },
        )


CHECK = Check(META, GithubInventory, evaluate)
