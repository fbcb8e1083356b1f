"""Cross-provider identity checks over the whole run (provider "identity"). Display order."""

from __future__ import annotations

from checks.identity.access import orphaned_access, unmanaged_console_identity
from checks.identity.training import new_hire_overdue, not_completed
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = (
    not_completed.CHECK,
    new_hire_overdue.CHECK,
    orphaned_access.CHECK,
    unmanaged_console_identity.CHECK,
)
