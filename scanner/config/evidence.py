"""Settings and thresholds of the evidence provider and the cross-provider identity checks."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from scanner.models.inventory import Frozen

POLICY_LIBRARY: tuple[str, ...] = (
    "information-security",
    "acceptable-use",
    "access-management",
    "incident-response",
    "risk-management",
    "change-management",
    "data-retention",
    "vendor-management",
    "business-continuity",
    "encryption",
)
"""The policy library SOC 2 auditors expect; ids are the file stems under policies/."""


class EvidenceThresholds(Frozen):
    policy_max_age_days: int = Field(
        365, ge=1, description="A policy older than this (or its own interval) is overdue"
    )
    vendor_assessment_max_age_days: int = Field(365, ge=1)
    tabletop_max_age_days: int = Field(365, ge=1)
    training_max_age_days: int = Field(365, ge=1)
    new_hire_training_days: int = Field(7, ge=0)


class EvidenceConfig(Frozen):
    dir: Path | None = Field(None, description="The evidence directory (or --evidence DIR)")
    required_policies: tuple[str, ...] = POLICY_LIBRARY
    assessed_criticalities: tuple[str, ...] = Field(
        ("critical",), description="Vendors of these criticalities need an annual assessment"
    )
    tabletop_types: tuple[str, ...] = Field(
        ("tabletop",), description="Exercise types that count as a tabletop exercise"
    )
    match_email_local_part: bool = Field(
        True,
        description="Match a cloud user name (bob) to an email (bob@example.com) when exactly "
        "one person has that local part",
    )
    thresholds: EvidenceThresholds = EvidenceThresholds()
