"""`audit:` in posture.yaml: the remediation SLAs the evidence pack's exceptions are held to."""

from __future__ import annotations

from pydantic import Field

from scanner.models.enums import Severity
from scanner.models.inventory import Frozen


class RemediationSla(Frozen):
    """Days from the first failing scan to the fix, per severity; info has none by default."""

    critical: int = Field(7, ge=0)
    high: int = Field(30, ge=0)
    medium: int = Field(90, ge=0)
    low: int = Field(180, ge=0)
    info: int | None = Field(None, ge=0)

    def days(self, severity: Severity) -> int | None:
        value: int | None = getattr(self, severity.value)
        return value


class AuditConfig(Frozen):
    sla_days: RemediationSla = RemediationSla()
