"""The one Graph client factory: endpoint rule, credential choice, retry policy, request
slots, base URL."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from kiota_abstractions.authentication import (
    AnonymousAuthenticationProvider,
    AuthenticationProvider,
)
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.kiota_client_factory import KiotaClientFactory
from kiota_http.middleware import RetryHandler
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.graph_service_client import GraphServiceClient
from msgraph_core import GraphClientFactory
from msgraph_core.middleware import GraphTelemetryHandler

from providers.azuread.bounds import BoundedAnswerHandler
from providers.azuread.retry import GraphRetryHandler
from providers.azuread.slots import RequestSlotHandler
from scanner.config.azuread import NATIONAL_AUTHORITIES, AzureAdConfig
from scanner.endpoints import validate_endpoint
from scanner.errors import CredentialsError, UsageError

API_VERSION = "v1.0"


@dataclass
class GraphSession:
    client: GraphServiceClient
    http: httpx.AsyncClient
    base_url: str
    endpoint: str
    anonymous: bool
    credential: Any | None

    async def close(self) -> None:
        await self.http.aclose()
        if self.credential is not None and hasattr(self.credential, "close"):
            self.credential.close()


def authority_for(config: AzureAdConfig) -> str:
    if config.authority:
        return config.authority
    host = urlsplit(config.graph_endpoint).hostname or ""
    authority = NATIONAL_AUTHORITIES.get(host)
    if authority is None:
        raise UsageError(
            f"no known login authority for graph endpoint {config.graph_endpoint!r}: "
            "set azuread.authority in the config"
        )
    return authority


def _require(value: str | None, what: str) -> str:
    if not value:
        raise CredentialsError(f"Azure AD credential needs {what}")
    return value


def make_credential(config: AzureAdConfig, environ: Mapping[str, str]) -> Any:
    """An azure-identity credential. Secrets come only from the environment, never the config."""
    from azure.identity import AzureCliCredential, CertificateCredential, ClientSecretCredential

    tenant = config.tenant_id or environ.get("AZURE_TENANT_ID")
    client_id = config.client_id or environ.get("AZURE_CLIENT_ID")
    secret = environ.get("AZURE_CLIENT_SECRET")
    cert_path = config.certificate_path or environ.get("AZURE_CLIENT_CERTIFICATE_PATH")
    choice = config.credential
    if choice == "auto":
        choice = "client_secret" if secret else "certificate" if cert_path else "cli"
    authority = authority_for(config)
    if choice == "cli":
        # azure-identity warns "AzureCliCredential.get_token failed" itself; the failure is
        # reported once, as the scan's error line (providers.azuread.adapter.sign_in_failed).
        logging.getLogger("azure.identity._internal.decorators").setLevel(logging.ERROR)
        return AzureCliCredential(tenant_id=tenant or "")
    tenant = _require(tenant, "a tenant id (--tenant, azuread.tenant_id or AZURE_TENANT_ID)")
    client_id = _require(client_id, "a client id (azuread.client_id or AZURE_CLIENT_ID)")
    if choice == "client_secret":
        return ClientSecretCredential(
            tenant, client_id, _require(secret, "AZURE_CLIENT_SECRET"), authority=authority
        )
    path = _require(
        cert_path, "a certificate (azuread.certificate_path or AZURE_CLIENT_CERTIFICATE_PATH)"
    )
    try:
        return CertificateCredential(
            tenant,
            client_id,
            certificate_path=path,
            password=environ.get("AZURE_CLIENT_CERTIFICATE_PASSWORD"),
            authority=authority,
        )
    except (OSError, ValueError) as exc:
        raise CredentialsError(
            f"cannot read the certificate {path!r} ({type(exc).__name__})"
        ) from None


def _http_client(config: AzureAdConfig, base_url: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(config.call_timeout_seconds, connect=30),
        follow_redirects=False,
    )
    middleware = [
        GraphRetryHandler(config.max_attempts - 1, config.max_retry_wait_seconds)
        if isinstance(m, RetryHandler)
        else m
        for m in KiotaClientFactory.get_default_middleware(None)
    ]
    middleware.append(GraphTelemetryHandler())
    # Per attempt, inside the retries: each answer whole within the call timeout, size-bound.
    middleware.append(BoundedAnswerHandler(config.call_timeout_seconds))
    # Last, so inside the retry handler: the concurrency bound is per attempt, not per wait.
    middleware.append(RequestSlotHandler(config.max_requests_in_flight))
    wired: httpx.AsyncClient = GraphClientFactory.create_with_custom_middleware(
        middleware, client=http
    )
    return wired


def build_session(config: AzureAdConfig, environ: Mapping[str, str] | None = None) -> GraphSession:
    env = os.environ if environ is None else environ
    endpoint = config.graph_endpoint.rstrip("/")
    if endpoint.endswith(f"/{API_VERSION}"):
        endpoint = endpoint[: -len(API_VERSION) - 1]
    anonymous = validate_endpoint(endpoint, "graph endpoint", env)
    # A local test server may live under a path; a cloud endpoint is a host (the token scope).
    if urlsplit(endpoint).path not in ("", "/") and not anonymous:
        raise UsageError(f"graph endpoint {endpoint!r}: give the host only, without a path")
    base_url = f"{endpoint}/{API_VERSION}"
    credential: Any | None = None
    auth: AuthenticationProvider
    if anonymous:
        # A loopback test server: never request a token, never send one.
        auth = AnonymousAuthenticationProvider()
    else:
        credential = make_credential(config, env)
        host = urlsplit(endpoint).hostname or ""
        auth = AzureIdentityAuthenticationProvider(
            credential, scopes=[f"{endpoint}/.default"], allowed_hosts=[host]
        )
    http = _http_client(config, base_url)
    adapter = GraphRequestAdapter(auth, client=http)
    return GraphSession(
        client=GraphServiceClient(request_adapter=adapter),
        http=http,
        base_url=base_url,
        endpoint=endpoint,
        anonymous=anonymous,
        credential=credential,
    )
