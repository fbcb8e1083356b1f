"""Shared pieces of the API token checks."""

from __future__ import annotations

from checks.okta import resources
from scanner.inventory.okta import ApiToken, OktaInventory
from scanner.models.findings import Resource


def token_resource(inventory: OktaInventory, token: ApiToken) -> Resource:
    return resources.obj(inventory, "api-tokens", "Okta::ApiToken", token.id, token.name)


def owner_login(inventory: OktaInventory, token: ApiToken) -> str | None:
    if token.user_id is None:
        return None
    user = inventory.user(token.user_id)
    return user.login if user else token.user_id
