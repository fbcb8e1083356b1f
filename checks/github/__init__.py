"""GitHub checks. The list below is the GitHub part of the catalogue; order is display order."""

from __future__ import annotations

from checks.registry import checks_of
from scanner.check import AnyCheck

CHECKS: tuple[AnyCheck, ...] = checks_of(
    __name__,
    "org.two_factor_not_required",
    "org.members_without_2fa",
    "org.too_many_owners",
    "org.outside_collaborator_write_access",
    "branch.default_branch_unprotected",
    "branch.too_few_required_approvals",
    "branch.stale_approvals_not_dismissed",
    "branch.code_owner_review_not_required",
    "branch.rules_bypassable",
    "branch.force_push_or_deletion_allowed",
    "branch.no_required_status_checks",
    "changes.merged_without_approval",
    "security.secret_scanning_disabled",
    "security.dependabot_alerts_disabled",
    "security.dependabot_alerts_overdue",
    "security.deploy_key_write_access",
)
