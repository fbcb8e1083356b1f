"""Where each kind of evidence lives inside the evidence directory (docs/evidence.md)."""

from __future__ import annotations

from typing import Final

MANIFEST_FILE: Final = "evidence.yaml"
POLICIES_DIR: Final = "policies"
RISK_REGISTER_FILE: Final = "risk-register.csv"
TRAINING_FILE: Final = "training.csv"
VENDORS_FILE: Final = "vendors.yaml"
EXERCISES_FILE: Final = "incident-response/exercises.yaml"
ACCESS_REVIEWS_FILE: Final = "access-reviews.csv"
LEAVERS_FILE: Final = "hr/leavers.csv"
IDENTITY_MAP_FILE: Final = "identity-map.yaml"

RISK_COLUMNS: Final = ("risk", "likelihood", "impact", "owner", "controls", "last_reviewed")
TRAINING_COLUMNS: Final = ("email", "course", "completed_on")
ACCESS_REVIEW_COLUMNS: Final = ("system", "reviewer", "completed_on")
LEAVER_COLUMNS: Final = ("email", "left_on")
VENDOR_COLUMNS: Final = ("name", "criticality", "data_access")
EXERCISE_COLUMNS: Final = ("date", "type", "lessons")


def candidates(*stems: str, exts: tuple[str, ...] = ("csv", "yaml", "yml")) -> tuple[str, ...]:
    """The paths a file may have, documented name first: stems x extensions."""
    return tuple(f"{stem}.{ext}" for stem in stems for ext in exts)


RISK_REGISTER_NAMES: Final = candidates("risk-register", "risk_register", "risks")
TRAINING_NAMES: Final = candidates(
    "training", "training-records", "training_records", "security-awareness-training"
)
VENDORS_NAMES: Final = candidates(
    "vendors",
    "vendor-inventory",
    "vendor_inventory",
    "vendor-register",
    exts=("yaml", "yml", "csv"),
)
EXERCISES_NAMES: Final = candidates(
    "incident-response/exercises",
    "incident-response/tabletops",
    "incident_response/exercises",
    "exercises",
    "tabletop-exercises",
    "incident-response-exercises",
    exts=("yaml", "yml", "csv"),
)
ACCESS_REVIEWS_NAMES: Final = candidates("access-reviews", "access_reviews")
LEAVERS_NAMES: Final = candidates("hr/leavers", "leavers", "hr-leavers", "hr_leavers")
IDENTITY_MAP_NAMES: Final = candidates(
    "identity-map", "identity_map", "identity-mapping", exts=("yaml", "yml")
)
MANIFEST_NAMES: Final = candidates("evidence", "posture-evidence", exts=("yaml", "yml"))

COLUMN_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "completed_on": ("completed", "completion_date", "completed_at", "date_completed"),
    "last_reviewed": ("reviewed_on", "last_review", "review_date", "last_reviewed_on"),
    "left_on": ("leave_date", "termination_date", "last_day", "left", "end_date", "left_at"),
    "email": ("user_email", "employee_email", "mail", "email_address"),
    "last_assessed": ("assessed_on", "last_assessment", "assessment_date"),
    "soc2_report_expires": ("soc2_expires", "soc2_report_expiry", "soc2_expiry"),
    "contract_security_clause": ("security_clause",),
    "data_access": ("data",),
}
