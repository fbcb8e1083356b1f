"""Organisational-control checks over the evidence directory. Order is display order."""

from __future__ import annotations

from checks.evidence.access import review_overdue as access_review_overdue
from checks.evidence.incident import tabletop_overdue
from checks.evidence.policies import approval_overdue, required_missing
from checks.evidence.risk import register_missing
from checks.evidence.risk import review_overdue as risk_review_overdue
from checks.evidence.vendors import (
    assessment_overdue,
    security_clause_missing,
    soc2_report_expired,
)
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = (
    required_missing.CHECK,
    approval_overdue.CHECK,
    register_missing.CHECK,
    risk_review_overdue.CHECK,
    assessment_overdue.CHECK,
    soc2_report_expired.CHECK,
    security_clause_missing.CHECK,
    tabletop_overdue.CHECK,
    access_review_overdue.CHECK,
)
