"""GitHub in a distributed run: one job per organisation (`github.orgs`, --github-org)."""

from __future__ import annotations

from providers.github.client import orgs_to_scan
from scanner.config import PostureConfig
from scanner.plugin import PlannedScope


def list_scopes(config: PostureConfig) -> list[PlannedScope]:
    """The organisations the in-process scan would read, in its order (no API call: the logins
    are the configuration's)."""
    return [PlannedScope(org) for org in orgs_to_scan(config.github)]


def narrow(config: PostureConfig, scope: str) -> PostureConfig:
    """The config of one job: that organisation only."""
    github = config.github.model_copy(update={"orgs": (scope,)})
    return config.model_copy(update={"github": github})
