"""The organisation does not require two-factor authentication of its members."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.github import ORG, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.org.two_factor_not_required",
    title="GitHub organisation does not require 2FA",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="In the organisation's Authentication security settings, require two-factor "
    "authentication for everyone (members without it are removed: enable it with them first).",
    requires=(ORG,),
    description="Reads two_factor_requirement_enabled of GET /orgs/{org}; GitHub shows it to "
    "organisation owners only, and a token that cannot see it gives an error, not a pass.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    org = inventory.org
    resource = resources.org(inventory, "two_factor_requirement")
    if org is None or org.two_factor_requirement_enabled is None:
        yield error(
            resource,
            f"Not evaluated: GitHub did not show whether {inventory.account} requires 2FA "
            "(two_factor_requirement_enabled is shown to organisation owners only).",
        )
        return
    yield pass_or_fail(
        resource,
        org.two_factor_requirement_enabled,
        f"GitHub organisation {inventory.account} requires two-factor authentication.",
        f"GitHub organisation {inventory.account} does not require two-factor authentication.",
        evidence={"two_factor_requirement_enabled": org.two_factor_requirement_enabled},
    )


CHECK = Check(META, GithubInventory, evaluate)
