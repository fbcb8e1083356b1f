"""Outside collaborators (non-members) who can push to, or administer, repositories."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.github import OUTSIDE_COLLABORATORS, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.org.outside_collaborator_write_access",
    title="Outside collaborator with write or admin access",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3", "CC9.2"),
    remediation="Lower the collaborator to read (or triage), or make the vendor's people "
    "members under your identity provider and a reviewed team; record the vendor's access.",
    requires=(OUTSIDE_COLLABORATORS, REPOS),
    description="Outside collaborators of the org (GET /orgs/{org}/outside_collaborators) and "
    "their role on each repository in scope (collaborators?affiliation=outside): admin, "
    "maintain and write (push) fail.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for person in inventory.outside_collaborators:
        writes = [f"{g.repo} ({g.permission})" for g in person.grants if g.can_write]
        resource = resources.user(inventory, person.login, person.url)
        if not writes and person.unreadable:
            yield error(
                resource,
                f"Not evaluated: the access of outside collaborator {person.login} could not be "
                f"read on every repository: {'; '.join(person.unreadable)}.",
            )
            continue
        yield pass_or_fail(
            resource,
            not writes,
            f"Outside collaborator {person.login} has read-only access.",
            f"Outside collaborator {person.login} can write to {', '.join(writes)}.",
            evidence={
                "write_access": writes,
                "grants": [f"{g.repo} ({g.permission})" for g in person.grants],
            },
        )


CHECK = Check(META, GithubInventory, evaluate)
