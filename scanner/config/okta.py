"""Okta settings: the orgs to scan, how to authenticate to each, and check thresholds.

Secrets are never written in the config: an org names the environment variable that holds its
API token, or an OAuth service app's client id and private key file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from scanner.models.inventory import Frozen


class OktaOrg(Frozen):
    org_url: str = Field(description="https://acme.okta.com")
    name: str | None = Field(None, description="A display name for reports")
    token_env: str | None = Field(
        None,
        description="Environment variable holding an SSWS API token "
        "(default: the SDK's OKTA_CLIENT_TOKEN)",
    )
    client_id: str | None = Field(None, description="OAuth 2.0 service app client id")
    private_key_file: Path | None = Field(None, description="PEM or JWK file of the service app")
    key_id: str | None = Field(None, description="kid of the service app's public key")
    scopes: tuple[str, ...] | None = Field(
        None,
        description="OAuth scopes the service app asks for; "
        "default: every read-only scope posture reads (`posture permissions --provider okta`)",
    )

    @model_validator(mode="after")
    def _one_way_to_authenticate(self) -> OktaOrg:
        if self.client_id and self.token_env:
            raise ValueError("give either token_env or client_id + private_key_file, not both")
        if self.client_id and self.private_key_file is None:
            raise ValueError("client_id needs private_key_file")
        if self.private_key_file is not None and not self.client_id:
            raise ValueError("private_key_file needs client_id")
        if self.client_id and self.scopes == ():
            raise ValueError("an OAuth service app needs at least one scope")
        return self


class OktaThresholds(Frozen):
    password_min_length: int = Field(14, ge=1)
    password_min_history: int = Field(5, ge=0)
    password_max_lockout_attempts: int = Field(10, ge=1)
    session_max_lifetime_hours: float = Field(12, gt=0)
    session_max_idle_minutes: int = Field(60, ge=1)
    max_super_admins: int = Field(4, ge=1)
    dormant_user_days: int = Field(90, ge=1)
    never_logged_in_days: int = Field(30, ge=1)
    api_token_unused_days: int = Field(90, ge=1)
    phishing_resistant_factor_types: tuple[str, ...] = ("webauthn", "u2f", "signed_nonce")
    mfa_ignored_factor_types: tuple[str, ...] = Field(
        ("question", "email"),
        description="Factor types that do not count as MFA (knowledge or recovery only)",
    )


class OktaConfig(Frozen):
    """`max_requests_in_flight` bounds requests on the wire per org (a request waiting out a
    rate limit holds none); `call_timeout_seconds` bounds one SDK call, its retries included;
    `max_attempts` counts every try of a request, the first included."""

    org_url: str | None = Field(
        None, description="Scan only this org (--okta-org-url); its settings come from `orgs`"
    )
    orgs: tuple[OktaOrg, ...] = ()
    max_requests_in_flight: int = Field(4, ge=1, le=32, description="Requests in flight per org")
    max_attempts: int = Field(
        6, ge=1, le=21, description="Tries of a request answered 429/503, the first included"
    )
    call_timeout_seconds: int = Field(120, ge=1, le=3600)
    scan_timeout_seconds: float = Field(
        3600, gt=0, description="Collections unfinished by then become errors; the scan ends"
    )
    rate_limit_reserve: int = Field(
        5, ge=0, description="Pause until the window resets when fewer calls than this remain"
    )
    thresholds: OktaThresholds = OktaThresholds()
