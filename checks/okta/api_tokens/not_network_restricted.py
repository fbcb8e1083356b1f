"""API tokens usable from anywhere."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.api_tokens._common import owner_login, token_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import API_TOKENS, NETWORK_ZONES, USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.api_tokens.not_network_restricted",
    title="Okta API token not restricted to a network zone",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC6.3"),
    remediation="Restrict the token to the network zone its integration calls from "
    "(Security > API > Tokens > network restriction).",
    requires=(API_TOKENS,),
    # Only names: the owner's login and the zones' names; without them the evidence shows ids.
    optional=(USERS, NETWORK_ZONES),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    zone_names = {z.id: z.name for z in inventory.network_zones}
    for token in inventory.api_tokens:
        zones = [zone_names.get(z, z) for z in token.network_include]
        evidence = {
            "owner": owner_login(inventory, token),
            "network_connection": token.network_connection,
            "allowed_zones": zones,
        }
        yield pass_or_fail(
            token_resource(inventory, token),
            token.network_connection == "ZONE" and bool(token.network_include),
            f"API token {token.name!r} works only from {', '.join(zones)}.",
            f"Okta API token {token.name!r} can be used from any network: restrict it to "
            "its integration's network zone.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
