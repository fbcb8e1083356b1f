"""Where results go besides stdout: history, extra output files, ticketing sinks."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from scanner.config.secrets import SecretRef
from scanner.models.enums import Severity
from scanner.models.inventory import Frozen
from scanner.output import Format


class HistoryConfig(Frozen):
    enabled: bool = True
    path: Path | None = Field(None, description="SQLite file; default: the XDG state directory")
    keep_scans: int = Field(400, ge=1, description="Older scans are pruned when a scan is recorded")


class OutputSpec(Frozen):
    format: Format
    path: Path


class JiraSinkConfig(Frozen):
    enabled: bool = True
    url: str = Field(min_length=1, description="https://your-site.atlassian.net or a Jira DC URL")
    project: str = Field(min_length=1, pattern=r"^[A-Z][A-Z0-9_]*$")
    issue_type: str = "Bug"
    auth: Literal["basic", "bearer"] = Field(
        "basic", description="basic: email + API token (Cloud); bearer: personal access token"
    )
    email: str | None = None
    token: SecretRef
    min_severity: Severity = Severity.LOW
    labels: tuple[str, ...] = ("posture",)
    done_transition: str = "Done"
    reopen_transition: str | None = Field(
        None, description="Moves a done issue back when seen again"
    )
    call_timeout_seconds: int = Field(30, ge=1, le=300)
    max_attempts: int = Field(4, ge=1, le=11, description="Tries of a request, the first included")

    @model_validator(mode="after")
    def _basic_needs_email(self) -> JiraSinkConfig:
        if self.auth == "basic" and not self.email:
            raise ValueError("auth basic needs email (or use auth: bearer with a PAT)")
        return self


class WebhookSinkConfig(Frozen):
    enabled: bool = True
    url: str = Field(min_length=1)
    secret: SecretRef
    min_severity: Severity = Severity.LOW
    send_when_unchanged: bool = False
    call_timeout_seconds: int = Field(30, ge=1, le=300)
    max_attempts: int = Field(5, ge=1, le=11, description="Tries of a request, the first included")


class SinksConfig(Frozen):
    deliver: bool = Field(
        False,
        description="Run the enabled sinks on every scan (cron); otherwise only with --ticket",
    )
    jira: JiraSinkConfig | None = None
    webhook: WebhookSinkConfig | None = None
