"""The client factory: credential choice, national-cloud authorities, endpoint rules."""

from __future__ import annotations

import pytest

from providers.azuread.client import authority_for, build_session, make_credential
from scanner.config.azuread import AzureAdConfig
from scanner.errors import CredentialsError, UsageError


@pytest.mark.parametrize(
    ("endpoint", "authority"),
    [
        ("https://graph.microsoft.com", "login.microsoftonline.com"),
        ("https://graph.microsoft.us", "login.microsoftonline.us"),
        ("https://dod-graph.microsoft.us", "login.microsoftonline.us"),
        ("https://microsoftgraph.chinacloudapi.cn", "login.chinacloudapi.cn"),
    ],
)
def test_authority_follows_the_graph_cloud(endpoint: str, authority: str) -> None:
    assert authority_for(AzureAdConfig(graph_endpoint=endpoint)) == authority
    custom = AzureAdConfig(graph_endpoint="https://graph.example", authority="login.example")
    assert authority_for(custom) == "login.example"


def test_auto_credential_choice() -> None:
    base = {"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"}
    secret = make_credential(AzureAdConfig(), {**base, "AZURE_CLIENT_SECRET": "not-a-real-secret"})
    assert type(secret).__name__ == "ClientSecretCredential"
    assert type(make_credential(AzureAdConfig(), base)).__name__ == "AzureCliCredential"
    with pytest.raises(CredentialsError, match="certificate"):
        make_credential(
            AzureAdConfig(), {**base, "AZURE_CLIENT_CERTIFICATE_PATH": "/nonexistent/cert.pem"}
        )


def test_explicit_choices_need_their_inputs() -> None:
    with pytest.raises(CredentialsError, match="tenant id"):
        make_credential(AzureAdConfig(credential="client_secret"), {})
    with pytest.raises(CredentialsError, match="client id"):
        make_credential(AzureAdConfig(credential="certificate", tenant_id="t"), {})


def test_https_endpoint_uses_a_real_credential_and_a_scoped_token() -> None:
    env = {"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "x"}
    session = build_session(AzureAdConfig(graph_endpoint="https://graph.microsoft.us/"), env)
    assert not session.anonymous and session.base_url == "https://graph.microsoft.us/v1.0"
    assert type(session.credential).__name__ == "ClientSecretCredential"


def test_loopback_needs_the_opt_in_and_is_anonymous() -> None:
    with pytest.raises(UsageError, match="plain http"):
        build_session(AzureAdConfig(graph_endpoint="http://127.0.0.1:1"), {})
    session = build_session(
        AzureAdConfig(graph_endpoint="http://localhost:1/v1.0"),
        {"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"},
    )
    assert session.anonymous and session.credential is None
    with pytest.raises(UsageError, match="without a path"):
        build_session(AzureAdConfig(graph_endpoint="https://graph.microsoft.com/beta/x"), {})
