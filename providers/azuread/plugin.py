"""The Azure AD (Entra ID) provider plugin."""

from scanner.inventory import azuread as inv
from scanner.plugin import IdentityRole, ProviderPlugin, ScanOption

PLUGIN = ProviderPlugin(
    name="azuread",
    extra="azuread",
    adapter="providers.azuread.adapter:AzureAdProvider",
    collections="providers.azuread.collections:COLLECTIONS",
    config_section="azuread",
    options=(
        ScanOption(
            "--graph-endpoint",
            "graph_endpoint",
            "Microsoft Graph endpoint for Azure AD (national clouds; or POSTURE_GRAPH_ENDPOINT).",
            envvar="POSTURE_GRAPH_ENDPOINT",
        ),
        ScanOption("--tenant", "tenant_id", "Azure AD tenant id (default: AZURE_TENANT_ID)."),
    ),
    demo="providers.azuread.demo:demo_environment",
    permissions="providers.azuread.permissions:render",
    identity=IdentityRole(directory=inv.USERS),
    waits_for="an Entra ID token and the tenant (Microsoft Graph GET /organization)",
)
