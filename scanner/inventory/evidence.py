"""The evidence inventory: the organisational controls a company keeps as files in git.

Built by `providers.evidence` from an evidence directory (see docs/evidence.md), read by
`checks.evidence` and by the cross-provider identity checks. No IO here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, field_validator

from scanner.models.inventory import Frozen, Inventory


class Criticality(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Manifest(Frozen):
    """`evidence.yaml`: who the evidence belongs to and what is in scope."""

    organisation: str
    systems_in_scope: tuple[str, ...] = Field(
        (), description="Systems whose access must be reviewed every quarter"
    )
    awareness_courses: tuple[str, ...] = Field(
        (), description="Course names that count as security awareness training; empty: any"
    )


class PolicyDocument(Frozen):
    """One policy: a Markdown file with YAML front matter under `policies/`."""

    id: str = Field(description="Library key, e.g. information-security (default: file stem)")
    path: str
    title: str
    owner: str | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    review_interval_months: int = Field(12, ge=1, le=36)
    version: str | None = None


class Risk(Frozen):
    """A row of `risk-register.csv`."""

    line: int
    risk: str
    likelihood: str
    impact: str
    owner: str
    controls: str
    last_reviewed: date


class RiskRegister(Frozen):
    path: str
    risks: tuple[Risk, ...] = ()

    @property
    def last_reviewed(self) -> date | None:
        return max((r.last_reviewed for r in self.risks), default=None)


class TrainingRecord(Frozen):
    """A row of `training.csv`."""

    line: int
    email: str
    course: str
    completed_on: date


class Vendor(Frozen):
    """An entry of `vendors.yaml`."""

    name: str
    criticality: Criticality
    data_access: str = Field(description="What data or systems the vendor reaches; 'none' if none")
    last_assessed: date | None = None
    soc2_report_expires: date | None = None
    contract_security_clause: bool = False
    line: int = 0

    @field_validator("data_access", mode="before")
    @classmethod
    def _yes_no(cls, v: object) -> object:
        if isinstance(v, bool):
            return "yes" if v else "none"
        return v

    @property
    def has_data_access(self) -> bool:
        return self.data_access.strip().lower() not in {"", "none", "no", "false"}


class Exercise(Frozen):
    """An incident response exercise or incident review, from incident-response/exercises.yaml."""

    date: date
    type: str
    lessons: str
    line: int = 0


class AccessReview(Frozen):
    """A row of `access-reviews.csv`."""

    line: int
    system: str
    reviewer: str
    completed_on: date


class Leaver(Frozen):
    """A row of the optional HR leavers export `hr/leavers.csv`."""

    line: int
    email: str
    left_on: date
    name: str | None = None


class PersonMapping(Frozen):
    """An entry of `identity-map.yaml`: one person and the names they go by elsewhere."""

    person: str = Field(description="The person's email or login in the identity provider")
    aliases: tuple[str, ...] = Field((), description="Other emails, e.g. in training records")
    identities: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Per provider (aws, gcp, ...): user names, ARNs, emails or members",
    )
    line: int = 0


class EvidenceInventory(Inventory):
    """What the evidence directory holds. None means the file is absent (itself a finding)."""

    provider: str = "evidence"
    root: str
    manifest: Manifest | None = None
    policies: tuple[PolicyDocument, ...] = ()
    risk_register: RiskRegister | None = None
    training: tuple[TrainingRecord, ...] | None = None
    vendors: tuple[Vendor, ...] | None = None
    exercises: tuple[Exercise, ...] | None = None
    access_reviews: tuple[AccessReview, ...] | None = None
    leavers: tuple[Leaver, ...] = ()
    identity_map: tuple[PersonMapping, ...] = ()


# Collection names: checks declare them in `requires`; the provider records their outcomes.
MANIFEST = "evidence.manifest"
POLICIES = "evidence.policies"
RISK_REGISTER = "evidence.risk_register"
TRAINING = "evidence.training"
VENDORS = "evidence.vendors"
EXERCISES = "evidence.exercises"
ACCESS_REVIEWS = "evidence.access_reviews"
LEAVERS = "evidence.leavers"
IDENTITY_MAP = "evidence.identity_map"
