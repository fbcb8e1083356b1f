"""Resource references for Azure AD findings (uids are Graph object ids)."""

from __future__ import annotations

from scanner.inventory.azuread import (
    AzureAdInventory,
    AzureApplication,
    AzureServicePrincipal,
    AzureUser,
)
from scanner.models.findings import Resource


def user(u: AzureUser) -> Resource:
    return Resource(uid=u.id, type="Microsoft.Graph/user", name=u.user_principal_name)


def principal(uid: str, kind: str, name: str | None) -> Resource:
    return Resource(uid=uid, type=f"Microsoft.Graph/{kind}", name=name or uid)


def application(app: AzureApplication) -> Resource:
    return Resource(uid=app.id, type="Microsoft.Graph/application", name=app.display_name)


def service_principal(sp: AzureServicePrincipal) -> Resource:
    return Resource(uid=sp.id, type="Microsoft.Graph/servicePrincipal", name=sp.display_name)


def tenant_setting(inventory: AzureAdInventory, setting: str) -> Resource:
    """A tenant-wide setting, e.g. ``policies/authorizationPolicy``."""
    return Resource(
        uid=f"{inventory.account}/{setting}", type="Microsoft.Graph/tenantSetting", name=setting
    )
