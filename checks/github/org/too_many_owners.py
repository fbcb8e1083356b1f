"""More organisation owners than the org needs."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.github import OWNERS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.org.too_many_owners",
    title="Too many GitHub organisation owners",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Keep the owner role to a few administrators; make the others members with "
    "repository or team roles that fit their work.",
    requires=(OWNERS,),
    description="Counts GET /orgs/{org}/members?role=admin (threshold "
    "github.thresholds.max_owners, default 3).",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limit = ctx.config.github.thresholds.max_owners
    owners = list(inventory.owners)
    yield pass_or_fail(
        resources.org(inventory, "owners"),
        len(owners) <= limit,
        f"GitHub organisation {inventory.account} has {len(owners)} owners (at most {limit}).",
        f"GitHub organisation {inventory.account} has {len(owners)} owners (more than {limit}): "
        "make the others members.",
        evidence={"owner_count": len(owners), "threshold": limit, "owners": owners},
    )


CHECK = Check(META, GithubInventory, evaluate)
