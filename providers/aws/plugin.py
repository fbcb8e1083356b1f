"""The AWS provider plugin."""

from scanner.inventory.aws import identity as inv
from scanner.plugin import IdentityRole, ProviderPlugin, ScanOption

PLUGIN = ProviderPlugin(
    name="aws",
    extra="aws",
    adapter="providers.aws.adapter:AwsProvider",
    collections="providers.aws.collections:COLLECTIONS",
    config_section="aws",
    scopes="providers.aws.scopes",
    options=(
        ScanOption(
            "--region", "regions", "AWS region (repeatable; default all enabled).", multiple=True
        ),
        ScanOption(
            "--profile", "profile", "AWS profile name (default: the standard credential chain)."
        ),
        ScanOption(
            "--org-role", "org_role", "AWS Organizations: assume this role in every member account."
        ),
        ScanOption("--account", "accounts", "With --org-role: only this account.", multiple=True),
    ),
    demo="providers.aws.demo:demo_environment",
    permissions="providers.aws.permissions:render",
    identity=IdentityRole(cloud=inv.CREDENTIAL_REPORT),
    waits_for="AWS STS to name the account of these credentials (sts:GetCallerIdentity)",
)
