"""The configuration file (`--config posture.yaml` or POSTURE_CONFIG), validated by pydantic."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from scanner.config.audit import AuditConfig
from scanner.config.aws import AwsConfig
from scanner.config.azuread import AzureAdConfig
from scanner.config.delivery import HistoryConfig, OutputSpec, SinksConfig
from scanner.config.evidence import EvidenceConfig
from scanner.config.gcp import GcpConfig
from scanner.config.github import GithubConfig
from scanner.config.okta import OktaConfig
from scanner.config.suppressions import Suppression
from scanner.config.tls import TlsConfig
from scanner.errors import ConfigError
from scanner.models.enums import Severity
from scanner.models.inventory import Frozen


class CheckSelection(Frozen):
    include: tuple[str, ...] = Field((), description="Check ids or globs; empty means all")
    exclude: tuple[str, ...] = ()


class PostureConfig(Frozen):
    providers: tuple[str, ...] = ()
    fail_on: Severity = Severity.LOW
    checks: CheckSelection = CheckSelection()
    aws: AwsConfig = AwsConfig()
    azuread: AzureAdConfig = AzureAdConfig()
    evidence: EvidenceConfig = EvidenceConfig()
    okta: OktaConfig = OktaConfig()
    history: HistoryConfig = HistoryConfig()
    suppressions: tuple[Suppression, ...] = ()
    outputs: tuple[OutputSpec, ...] = ()
    sinks: SinksConfig = SinksConfig()
    gcp: GcpConfig = GcpConfig()
    tls: TlsConfig = TlsConfig()
    github: GithubConfig = GithubConfig()
    audit: AuditConfig = AuditConfig()


def _part(part: int | str) -> str:
    text = str(part)
    return text if text.isprintable() and text.strip() == text and text else repr(text)


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(_part(p) for p in loc) or "(top level)"


_ATTEMPTS = "max_attempts (tries in all, the first included: retries + 1)"

RENAMED: dict[tuple[str, ...], str] = {
    ("gcp", "max_workers"): "max_requests_in_flight",
    ("okta", "max_concurrency"): "max_requests_in_flight",
    ("okta", "request_timeout_seconds"): "call_timeout_seconds",
    ("okta", "max_retries"): _ATTEMPTS,
    ("azuread", "max_concurrency"): "max_requests_in_flight",
    ("azuread", "timeout_seconds"): "call_timeout_seconds",
    ("azuread", "max_retries"): _ATTEMPTS,
    ("sinks", "jira", "timeout_seconds"): "call_timeout_seconds",
    ("sinks", "jira", "max_retries"): _ATTEMPTS,
    ("sinks", "webhook", "timeout_seconds"): "call_timeout_seconds",
    ("sinks", "webhook", "max_retries"): _ATTEMPTS,
}
"""Keys that were renamed (one name per concept across providers), to their new name."""


def _renamed(exc: ValidationError) -> str | None:
    for error in exc.errors():
        loc = tuple(str(p) for p in error["loc"])
        if error["type"] == "extra_forbidden" and loc in RENAMED:
            section = ".".join(loc[:-1])
            return f"{'.'.join(loc)} was renamed: use {section}.{RENAMED[loc]}"
    return None


def parse_config(data: object, source: str) -> PostureConfig:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level")
    try:
        return PostureConfig.model_validate(data)
    except ValidationError as exc:
        renamed = _renamed(exc)
        if renamed is not None:
            raise ConfigError(f"{source}: {renamed}") from None
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        msg = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise ConfigError(f"{source}: {_where(first['loc'])}: {msg}{more}") from None


class ConfigLoader(yaml.SafeLoader):
    """Safe YAML whose dates stay text: pydantic reads them, and a date that is not one
    (2026-13-45) becomes one line naming its key instead of a traceback."""


ConfigLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_config(path: Path | None) -> PostureConfig:
    if path is None:
        return PostureConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"config file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not UTF-8 text") from None
    try:
        data = yaml.load(text, Loader=ConfigLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"config file {path}:{where}: not valid YAML") from None
    except RecursionError:
        raise ConfigError(f"config file {path}: nested too deeply") from None
    try:
        return parse_config(data, f"config file {path}")
    except RecursionError:
        raise ConfigError(f"config file {path}: nested too deeply") from None
