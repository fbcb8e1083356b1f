"""Organisational-control checks over the evidence directory. Order is display order."""

from __future__ import annotations

from checks.registry import checks_of
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = checks_of(
    __name__,
    "policies.required_missing",
    "policies.approval_overdue",
    "risk.register_missing",
    "risk.review_overdue",
    "vendors.assessment_overdue",
    "vendors.soc2_report_expired",
    "vendors.security_clause_missing",
    "incident.tabletop_overdue",
    "access.review_overdue",
)
