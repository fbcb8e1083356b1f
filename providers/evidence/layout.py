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
