"""GitHub settings: the organisations to scan, how to authenticate, scope and thresholds.

Secrets are never written in the config: a token comes from the environment (GITHUB_TOKEN, or
the variable `token_env` names), a GitHub App from its id, installation and private key file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from scanner.models.inventory import Frozen

DEFAULT_API_URL = "https://api.github.com"


class RepositorySelection(Frozen):
    """Which repositories of an org are in scope. Empty `names` and `topics` select all."""

    names: tuple[str, ...] = Field((), description="Name globs (fnmatch), e.g. api-*")
    topics: tuple[str, ...] = Field((), description="Repositories with any of these topics")
    include_archived: bool = False
    include_forks: bool = False


class GithubThresholds(Frozen):
    max_owners: int = Field(3, ge=1, description="More organisation owners than this fail")
    min_approvals: int = Field(1, ge=1, description="Approving reviews the default branch needs")
    change_window_days: int = Field(90, ge=1, description="Merged pull requests looked at")
    dependabot_sla_days: int = Field(30, ge=0, description="Days an open alert may stay open")
    dependabot_severities: tuple[str, ...] = ("critical", "high")


class GithubConfig(Frozen):
    """`max_requests_in_flight` bounds requests on the wire per org (a request waiting out a
    rate limit holds none); `call_timeout_seconds` bounds one call, its retries included."""

    orgs: tuple[str, ...] = Field((), description="Organisation logins (--github-org)")
    api_url: str = Field(
        DEFAULT_API_URL, description="REST root; GitHub Enterprise Server: https://HOST/api/v3"
    )
    token_env: str = Field("GITHUB_TOKEN", description="Environment variable holding a token")
    app_id: str | None = Field(None, description="GitHub App id (or client id)")
    installation_id: int | None = Field(None, description="The App's installation on the org")
    private_key_file: Path | None = Field(None, description="The App's PEM private key")
    repositories: RepositorySelection = RepositorySelection()
    max_requests_in_flight: int = Field(8, ge=1, le=64)
    max_attempts: int = Field(6, ge=1, le=21, description="Tries of a throttled request")
    call_timeout_seconds: float = Field(300, gt=0, le=3600)
    scan_timeout_seconds: float = Field(3600, gt=0)
    max_response_bytes: int = Field(64 * 1024 * 1024, ge=1024)
    thresholds: GithubThresholds = GithubThresholds()

    @model_validator(mode="after")
    def _whole_app(self) -> GithubConfig:
        app = (self.app_id, self.installation_id, self.private_key_file)
        if any(v is not None for v in app) and not all(v is not None for v in app):
            raise ValueError("a GitHub App needs app_id, installation_id and private_key_file")
        return self
