"""API tokens that have not been used for a long time."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from checks.okta.api_tokens._common import owner_login, token_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import API_TOKENS, USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.api_tokens.unused",
    title="Okta API token unused for 90 days",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC6.3"),
    remediation="Revoke the token if nothing uses it any more.",
    requires=(API_TOKENS,),
    # Only the owner's login; without the users the evidence shows the owner's id.
    optional=(USERS,),
    description="Okta records no last-use time; each use pushes the expiry out by the token "
    "window, so last use = expiresAt - tokenWindow.",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limit = ctx.config.okta.thresholds.api_token_unused_days
    for token in inventory.api_tokens:
        last_used = token.last_used
        idle = resources.days_since(last_used or token.created, ctx.now)
        evidence = {
            "owner": owner_login(inventory, token),
            "last_used": resources.stamp(last_used),
            "created": resources.stamp(token.created),
            "expires_at": resources.stamp(token.expires_at),
            "days_unused": idle,
            "threshold_days": limit,
        }
        unused = idle is not None and idle >= limit
        basis = "last used" if last_used else "created and never seen in use"
        yield pass_or_fail(
            token_resource(inventory, token),
            not unused,
            f"API token {token.name!r} was used within {limit} days.",
            f"Okta API token {token.name!r} was {basis} {idle} days ago: revoke it if it "
            "is no longer needed.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
