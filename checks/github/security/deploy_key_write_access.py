"""Deploy keys that can push to a repository."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.github import DEPLOY_KEYS, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.security.deploy_key_write_access",
    title="Deploy key with write access",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Replace the key with a read-only one, or with a GitHub App whose changes go "
    "through pull requests; a write key bypasses review and is tied to no person.",
    requires=(DEPLOY_KEYS, REPOS),
    description="GET /repos/{owner}/{repo}/keys: read_only false means the key can push.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for found in inventory.deploy_keys:
        resource = resources.repo(inventory, found.repo)
        if found.unreadable is not None:
            yield resources.unreadable(
                resource, f"the deploy keys of {found.repo}", found.unreadable
            )
            continue
        writers = [k for k in found.keys if not k.read_only]
        yield pass_or_fail(
            resource,
            not writers,
            f"{found.repo}: its {len(found.keys)} deploy key(s) are read-only.",
            f"{found.repo} has deploy key(s) that can push: "
            f"{', '.join(repr(k.title) for k in writers)}.",
            evidence={
                "write_keys": [{"id": k.id, "title": k.title} for k in writers],
                "keys": len(found.keys),
            },
        )


CHECK = Check(META, GithubInventory, evaluate)
