"""The Okta provider plugin."""

from scanner.inventory import okta as inv
from scanner.plugin import IdentityRole, ProviderPlugin, ScanOption

PLUGIN = ProviderPlugin(
    name="okta",
    extra="okta",
    adapter="providers.okta.adapter:OktaProvider",
    collections="providers.okta.collections:COLLECTIONS",
    config_section="okta",
    options=(
        ScanOption("--okta-org-url", "org_url", "Okta org to scan, e.g. https://acme.okta.com."),
    ),
    demo="providers.okta.demo:demo_environment",
    permissions="providers.okta.permissions:render",
    identity=IdentityRole(directory=inv.USERS),
    waits_for="the Okta org to accept the credential",
)
