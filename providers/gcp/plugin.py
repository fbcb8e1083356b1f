"""The GCP (and Google Workspace) provider plugin."""

from scanner.inventory import gcp as inv
from scanner.plugin import IdentityRole, ProviderPlugin, ScanOption

PLUGIN = ProviderPlugin(
    name="gcp",
    extra="gcp",
    adapter="providers.gcp.adapter:GcpProvider",
    collections="providers.gcp.collections:COLLECTIONS",
    config_section="gcp",
    scopes="providers.gcp.scopes",
    options=(
        ScanOption("--project", "projects", "GCP project id (repeatable).", multiple=True),
        ScanOption(
            "--organization", "organization", "GCP organization id: scan its active projects."
        ),
        ScanOption(
            "--workspace-admin",
            "workspace_admin",
            "Workspace admin email for domain-wide delegation.",
        ),
        ScanOption(
            "--workspace-customer",
            "workspace_customer",
            "Workspace customer id [default: my_customer].",
        ),
    ),
    demo="providers.gcp.demo:demo_environment",
    permissions="providers.gcp.permissions:render",
    identity=IdentityRole(directory=inv.WORKSPACE_USERS, cloud=inv.IAM_POLICY),
    waits_for="a Google access token and the projects to scan (Cloud Resource Manager)",
)
