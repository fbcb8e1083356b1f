"""The GitHub provider plugin."""

from scanner.inventory import github as inv
from scanner.plugin import IdentityRole, ProviderPlugin, ScanOption

PLUGIN = ProviderPlugin(
    name="github",
    extra="github",
    adapter="providers.github.adapter:GithubProvider",
    collections="providers.github.collections:COLLECTIONS",
    config_section="github",
    scopes="providers.github.scopes",
    options=(
        ScanOption(
            "--github-org", "orgs", "GitHub organisation login (repeatable).", multiple=True
        ),
        ScanOption(
            "--github-api-url",
            "api_url",
            "GitHub REST API root [default: https://api.github.com]; "
            "GitHub Enterprise Server: https://HOST/api/v3.",
        ),
    ),
    demo="providers.github.demo:demo_environment",
    permissions="providers.github.permissions:render",
    identity=IdentityRole(cloud=inv.MEMBERS),
)
