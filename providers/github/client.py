"""The one GitHub client factory: which orgs, which API root, which credentials.

A token comes from the environment (GITHUB_TOKEN by default). A GitHub App signs a JWT (RS256,
PyJWT) with its private key and exchanges it for an installation token, which is renewed five
minutes before it expires (installation tokens live an hour). The API root is checked by
posture's endpoint rule: https, or plain http on loopback with
POSTURE_ALLOW_INSECURE_ENDPOINTS=1.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from urllib.parse import urlsplit

import httpx
import jwt

from providers.github.api import API_VERSION, GithubApi
from scanner import __version__
from scanner.config.github import GithubConfig
from scanner.endpoints import validate_endpoint
from scanner.errors import CredentialsError, UsageError

RENEW_BEFORE_SECONDS = 300.0
_ORG_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")


def api_root(config: GithubConfig, environ: Mapping[str, str] | None = None) -> str:
    url = config.api_url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise UsageError(f"GitHub API URL {url!r} is not a valid URL") from None
    if parts.username or parts.password:
        # Never echoed: the URL itself holds a credential.
        raise UsageError("a GitHub API URL must not carry credentials (user:password@host)")
    if parts.query or parts.fragment:
        raise UsageError(f"GitHub API URL {url!r} must be a plain URL, e.g. https://HOST/api/v3")
    validate_endpoint(url, "GitHub API URL", environ)
    return url


def orgs_to_scan(config: GithubConfig) -> list[str]:
    orgs = list(dict.fromkeys(o.strip() for o in config.orgs if o.strip()))
    if not orgs:
        raise UsageError("no GitHub organisation given: use --github-org or `github.orgs`")
    for org in orgs:
        if not _ORG_LOGIN.match(org):
            raise UsageError(f"{org!r} is not a GitHub organisation login")
    return orgs


class InstallationToken:
    """A GitHub App installation's token, renewed before it expires (thread-safe)."""

    def __init__(
        self,
        app_id: str,
        private_key: str,
        installation_id: int,
        api_url: str,
        transport: httpx.BaseTransport | None = None,
        timeout_seconds: float = 30,
    ) -> None:
        self._app_id = app_id
        self._key = private_key
        self._installation = installation_id
        self._url = f"{api_url}/app/installations/{installation_id}/access_tokens"
        self._transport = transport
        self._timeout = timeout_seconds
        self._lock = threading.Lock()
        self._token = ""
        self._expires = 0.0

    def app_jwt(self, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        # iat a minute back for clock drift; GitHub accepts at most ten minutes of life.
        claims = {"iat": issued - 60, "exp": issued + 540, "iss": self._app_id}
        try:
            return jwt.encode(claims, self._key, algorithm="RS256")
        except (ValueError, TypeError, jwt.PyJWTError):
            raise CredentialsError("GitHub App private key is not an RSA private key") from None

    def __call__(self) -> str:
        with self._lock:
            if not self._token or time.time() >= self._expires - RENEW_BEFORE_SECONDS:
                self._renew()
            return self._token

    def _renew(self) -> None:
        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self.app_jwt()}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"posture/{__version__}",
        }
        try:
            with httpx.Client(transport=self._transport, timeout=self._timeout) as client:
                response = client.post(self._url, headers=headers)
        except httpx.HTTPError as exc:
            raise CredentialsError(
                f"GitHub App installation token request failed ({type(exc).__name__})"
            ) from None
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        token, expires = body.get("token"), body.get("expires_at")
        if response.status_code != 201 or not isinstance(token, str) or not token:
            message = str(body.get("message", ""))[:200] if isinstance(body, dict) else ""
            raise CredentialsError(
                f"GitHub App {self._app_id} installation {self._installation}: no installation "
                f"token (HTTP {response.status_code}{': ' + message if message else ''})"
            )
        self._token = token
        try:
            self._expires = datetime.fromisoformat(str(expires)).timestamp()
        except ValueError:
            self._expires = time.time() + 3600


def token_source(
    config: GithubConfig,
    api_url: str,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Callable[[], str]:
    env = os.environ if environ is None else environ
    if config.app_id is not None and config.private_key_file is not None:
        assert config.installation_id is not None
        try:
            key = config.private_key_file.expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise CredentialsError(
                f"cannot read GitHub App private key file {config.private_key_file}: {reason}"
            ) from None
        source = InstallationToken(config.app_id, key, config.installation_id, api_url, transport)
        source.app_jwt()  # a bad key is one line now, not an error per collection
        return source
    token = env.get(config.token_env, "").strip()
    if not token:
        raise CredentialsError(
            f"no GitHub token: set {config.token_env} (or configure a GitHub App: "
            "github.app_id, github.installation_id, github.private_key_file)"
        )
    return lambda: token


def build_api(
    config: GithubConfig,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> GithubApi:
    root = api_root(config, environ)
    return GithubApi(
        root,
        token_source(config, root, environ, transport),
        max_requests_in_flight=config.max_requests_in_flight,
        max_attempts=config.max_attempts,
        call_timeout_seconds=config.call_timeout_seconds,
        max_response_bytes=config.max_response_bytes,
        transport=transport,
    )
