"""Cross-provider identity checks over the whole run (provider "identity"). Display order."""

from __future__ import annotations

from checks.registry import checks_of
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = checks_of(
    __name__,
    "training.not_completed",
    "training.new_hire_overdue",
    "access.orphaned_access",
    "access.unmanaged_console_identity",
)
