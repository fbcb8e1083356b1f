"""The one Okta client factory: which orgs, which credentials, and the SDK client for each.

posture's own https rule (`validate_endpoint`) decides before the SDK sees a URL. Only when it
allowed a loopback http URL (POSTURE_ALLOW_INSECURE_ENDPOINTS=1) is the SDK's own https check
switched off, and only while the client is built (the SDK validates its config then).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from okta.client import Client as OktaClient
from okta.jwt import JWT

from providers.okta.http import GuardedHttpClient
from providers.okta.permissions import NEEDS, scopes
from scanner import __version__
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.endpoints import validate_endpoint
from scanner.errors import CredentialsError, UsageError

SDK_ORG_URL_ENV = "OKTA_CLIENT_ORGURL"
SDK_TOKEN_ENV = "OKTA_CLIENT_TOKEN"
SDK_HTTPS_CHECK_ENV = "OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"


@dataclass(frozen=True)
class OrgTarget:
    """One org to scan: its normalised URL, its host (the findings' account) and settings."""

    org: OktaOrg
    url: str
    host: str
    insecure_loopback: bool


def normalise_org_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.username or parts.password:
        raise UsageError("an Okta org URL must not carry credentials (user:password@host)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UsageError(
            f"Okta org URL {url!r} must be just scheme and host, e.g. https://acme.okta.com"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def orgs_to_scan(config: OktaConfig, environ: Mapping[str, str] | None = None) -> list[OktaOrg]:
    """--okta-org-url picks one org (with its configured settings, if any); else all orgs."""
    env = os.environ if environ is None else environ
    if config.org_url:
        wanted = normalise_org_url(config.org_url)
        for org in config.orgs:
            if normalise_org_url(org.org_url) == wanted:
                return [org]
        return [OktaOrg(org_url=config.org_url)]
    if config.orgs:
        return list(config.orgs)
    if env.get(SDK_ORG_URL_ENV):
        return [OktaOrg(org_url=env[SDK_ORG_URL_ENV])]
    raise UsageError(
        f"no Okta org given: set {SDK_ORG_URL_ENV} (https://YOUR-ORG.okta.com) and "
        f"{SDK_TOKEN_ENV} (an API token), or use --okta-org-url, or `okta.orgs` in the config"
    )


def target(org: OktaOrg, environ: Mapping[str, str] | None = None) -> OrgTarget:
    url = normalise_org_url(org.org_url)
    insecure = validate_endpoint(url, "Okta org URL", environ)
    host = urlsplit(url).hostname or url
    return OrgTarget(org=org, url=url, host=host, insecure_loopback=insecure)


def _credentials(org: OktaOrg, host: str, environ: Mapping[str, str]) -> dict[str, Any]:
    if org.client_id and org.private_key_file is not None:
        try:
            key = org.private_key_file.expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise CredentialsError(
                f"Okta org {host}: cannot read private key file {org.private_key_file}: {reason}"
            ) from None
        try:
            JWT.get_PEM_JWK(key)  # type: ignore[no-untyped-call]
        except (ValueError, TypeError, SyntaxError):
            raise CredentialsError(
                f"Okta org {host}: {org.private_key_file} is not an RSA private key (PEM or JWK)"
            ) from None
        creds: dict[str, Any] = {
            "authorizationMode": "PrivateKey",
            "clientId": org.client_id,
            "scopes": list(org.scopes) if org.scopes is not None else scopes(NEEDS),
            "privateKey": key,
        }
        if org.key_id:
            creds["kid"] = org.key_id
        return creds
    variable = org.token_env or SDK_TOKEN_ENV
    token = environ.get(variable, "").strip()
    if not token:
        raise CredentialsError(
            f"Okta org {host}: no API token: set {variable} (or configure an OAuth service app)"
        )
    return {"authorizationMode": "SSWS", "token": token}


@contextmanager
def _sdk_https_check_waived(waive: bool) -> Iterator[None]:
    if not waive:
        yield
        return
    previous = os.environ.get(SDK_HTTPS_CHECK_ENV)
    os.environ[SDK_HTTPS_CHECK_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(SDK_HTTPS_CHECK_ENV, None)
        else:
            os.environ[SDK_HTTPS_CHECK_ENV] = previous


def build_client(
    org: OrgTarget, settings: OktaConfig, environ: Mapping[str, str] | None = None
) -> OktaClient:
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {
        "orgUrl": org.url,
        "userAgent": f"posture/{__version__}",
        "requestTimeout": settings.call_timeout_seconds,
        # Retries are posture's (providers.okta.api): the SDK's sleep holding a request slot.
        "rateLimit": {"maxRetries": 0},
        # Answers only from the org's origin, of bounded size (providers.okta.http).
        "httpClient": GuardedHttpClient,
        **_credentials(org.org, org.host, env),
    }
    with _sdk_https_check_waived(org.insecure_loopback):
        try:
            return OktaClient(config)
        except ValueError as exc:
            # The SDK's message lists config problems; it never contains the token itself.
            first = next(
                (ln for ln in str(exc).splitlines() if ln.strip() and "Errors" not in ln), ""
            )
            raise CredentialsError(
                f"Okta org {org.host}: invalid client settings: {first}"
            ) from None
