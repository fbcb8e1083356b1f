"""Azure AD (Entra ID) settings and thresholds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from scanner.models.inventory import Frozen

GLOBAL_GRAPH_ENDPOINT = "https://graph.microsoft.com"

DEFAULT_PRIVILEGED_ROLES: tuple[str, ...] = (
    "Global Administrator",
    "Privileged Role Administrator",
    "Privileged Authentication Administrator",
    "Security Administrator",
    "Conditional Access Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
    "User Administrator",
    "Exchange Administrator",
    "SharePoint Administrator",
)

# Graph host -> the Entra ID login host of the same cloud.
NATIONAL_AUTHORITIES: dict[str, str] = {
    "graph.microsoft.com": "login.microsoftonline.com",
    "graph.microsoft.us": "login.microsoftonline.us",
    "dod-graph.microsoft.us": "login.microsoftonline.us",
    "microsoftgraph.chinacloudapi.cn": "login.chinacloudapi.cn",
}

CredentialChoice = Literal["auto", "client_secret", "certificate", "cli"]


class AzureAdThresholds(Frozen):
    stale_sign_in_days: int = Field(90, ge=1, description="No sign-in for this long: stale")
    never_signed_in_grace_days: int = Field(
        30, ge=0, description="A new account may stay unused this long after creation"
    )
    guest_stale_days: int = Field(90, ge=1)
    credential_expiry_warning_days: int = Field(30, ge=0)
    max_secret_lifetime_days: int = Field(180, ge=1)
    max_certificate_lifetime_days: int = Field(365, ge=1)
    global_admin_min: int = Field(2, ge=0)
    global_admin_max: int = Field(4, ge=1)
    privileged_roles: tuple[str, ...] = DEFAULT_PRIVILEGED_ROLES

    @model_validator(mode="after")
    def _admin_range(self) -> AzureAdThresholds:
        if self.global_admin_min > self.global_admin_max:
            raise ValueError("global_admin_min is larger than global_admin_max")
        return self


class AzureAdConfig(Frozen):
    """`max_requests_in_flight` bounds Graph requests on the wire (a retry's wait holds none);
    `call_timeout_seconds` bounds one HTTP request; `max_attempts` counts every try of a
    request, the first included."""

    tenant_id: str | None = Field(None, description="Default: AZURE_TENANT_ID")
    client_id: str | None = Field(None, description="Default: AZURE_CLIENT_ID")
    credential: CredentialChoice = Field(
        "auto",
        description="auto: AZURE_* environment variables (secret or certificate), "
        "else the Azure CLI login. The secret itself is read only from AZURE_CLIENT_SECRET.",
    )
    certificate_path: str | None = Field(
        None, description="PEM/PFX; default AZURE_CLIENT_CERTIFICATE_PATH"
    )
    graph_endpoint: str = GLOBAL_GRAPH_ENDPOINT
    authority: str | None = Field(
        None, description="Login host; default: the one matching graph_endpoint's cloud"
    )
    max_requests_in_flight: int = Field(4, ge=1, le=32, description="Graph requests in flight")
    max_attempts: int = Field(
        11, ge=1, le=11, description="Tries of a request on 429/503/504, the first included"
    )
    max_retry_wait_seconds: float = Field(
        300, ge=0, description="Total time one request may spend waiting for Retry-After"
    )
    call_timeout_seconds: float = Field(100, gt=0)
    scan_timeout_seconds: float = Field(
        3600, gt=0, description="Collections unfinished by then become errors; the scan ends"
    )
    collect_pim_eligibility: bool = Field(
        True,
        description="Read PIM-eligible role assignments (needs an Entra ID P2 licence; without "
        "it they are not available, which does not make the scan partial)",
    )
    thresholds: AzureAdThresholds = AzureAdThresholds()
