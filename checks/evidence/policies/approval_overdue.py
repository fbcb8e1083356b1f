"""A policy never approved, or not approved again within its review interval (at most a year)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pydantic import JsonValue

from checks.evidence import resources
from checks.evidence.dates import add_months
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.evidence import POLICIES, EvidenceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="evidence.policies.approval_overdue",
    title="Policy not approved within the last 12 months",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC5.3", "CC1.1", "CC1.3"),
    remediation="Have the owner review the policy and leadership approve it; record approved_by "
    "and approved_on in its front matter.",
    requires=(POLICIES,),
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    today = ctx.now.date()
    max_age = ctx.config.evidence.thresholds.policy_max_age_days
    for policy in inventory.policies:
        resource = resources.policy(policy.id)
        evidence: dict[str, JsonValue] = {
            "file": policy.path,
            "owner": policy.owner,
            "approved_by": policy.approved_by,
            "approved_on": policy.approved_on.isoformat() if policy.approved_on else None,
            "review_interval_months": policy.review_interval_months,
        }
        absent = [
            name
            for name, value in (
                ("owner", policy.owner),
                ("approved_by", policy.approved_by),
                ("approved_on", policy.approved_on),
            )
            if not value
        ]
        if absent:
            yield fail(
                resource,
                f"The {policy.id} policy ({policy.path}) is not approved: no "
                f"{', '.join(absent)} in its front matter.",
                evidence=evidence,
            )
            continue
        assert policy.approved_on is not None
        due = min(
            add_months(policy.approved_on, policy.review_interval_months),
            policy.approved_on + timedelta(days=max_age),
        )
        age = (today - policy.approved_on).days
        evidence.update({"age_days": age, "due": due.isoformat()})
        if policy.approved_on > today:
            yield fail(
                resource,
                f"The {policy.id} policy's approval date {policy.approved_on} is in the future; "
                "record the date it was actually approved.",
                evidence=evidence,
            )
        elif today > due:
            yield fail(
                resource,
                f"The {policy.id} policy was last approved on {policy.approved_on} "
                f"({age} days ago); its review was due on {due}.",
                evidence=evidence,
            )
        else:
            yield passed(
                resource,
                f"The {policy.id} policy was approved on {policy.approved_on} by "
                f"{policy.approved_by}; next review due {due}.",
                evidence=evidence,
            )


CHECK = Check(META, EvidenceInventory, evaluate)
