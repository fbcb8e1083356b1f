"""Organisation members who have not enabled two-factor authentication."""

from __future__ import annotations

from collections.abc import Iterator

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.github import MEMBERS, MEMBERS_WITHOUT_2FA, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.org.members_without_2fa",
    title="GitHub organisation member without 2FA",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Ask the member to enable two-factor authentication (or remove them), then "
    "require 2FA for the organisation.",
    requires=(MEMBERS_WITHOUT_2FA,),
    optional=(MEMBERS,),
    description="GET /orgs/{org}/members?filter=2fa_disabled (answered to owners only); every "
    "other member passes.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    without = {login.lower() for login in inventory.members_without_2fa}
    logins = {m.login for m in inventory.members} | set(inventory.members_without_2fa)
    for login in sorted(logins, key=str.lower):
        yield pass_or_fail(
            resources.user(inventory, login),
            login.lower() not in without,
            f"{login} has two-factor authentication on.",
            f"{login} is a member of {inventory.account} without two-factor authentication.",
            evidence={"two_factor_disabled": login.lower() in without},
        )


CHECK = Check(META, GithubInventory, evaluate)
