"""A repository's default branch has neither classic branch protection nor an active ruleset."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.github import BRANCH_RULES, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.branch.default_branch_unprotected",
    title="Default branch is not protected",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Protect the default branch with a ruleset (or classic branch protection) "
    "that requires reviewed pull requests and passing status checks.",
    requires=(BRANCH_RULES, REPOS),
    description="A branch is protected by classic branch protection, by an active ruleset "
    "(GET /repos/{owner}/{repo}/rules/branches/{branch}), or both. A 404 from branch protection "
    "counts as 'not protected' only when GitHub says 'Branch not protected'; any other refusal "
    "is an error naming Administration read.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for rules in inventory.branch_rules:
        resource = resources.branch(inventory, rules)
        evidence = resources.branch_evidence(rules)
        if not rules.protected and rules.unreadable:
            yield error(
                resource,
                f"Not evaluated: whether {rules.repo}:{rules.branch} is protected could not be "
                f"read: {'; '.join(rules.unreadable)}.",
                evidence=evidence,
            )
            continue
        sources = " and ".join(
            s
            for s, on in (("classic branch protection", rules.classic), ("rulesets", rules.rules))
            if on
        )
        yield pass_or_fail(
            resource,
            rules.protected,
            f"{rules.repo}:{rules.branch} is protected by {sources}.",
            f"{rules.repo}: the default branch {rules.branch} has no branch protection and no "
            "ruleset; anyone with write access can push to it directly.",
            evidence=evidence,
        )


CHECK = Check(META, GithubInventory, evaluate)
