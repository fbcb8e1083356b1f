"""A policy of the library SOC 2 expects is missing from the evidence directory."""

from __future__ import annotations

from collections.abc import Iterator

from checks.evidence import resources
from checks.evidence.policies.library import fulfils
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.evidence import POLICIES, EvidenceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="evidence.policies.required_missing",
    title="Required policy missing",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC5.3", "CC1.1", "CC1.3"),
    remediation="Write the policy (`posture evidence init` has a starter), name an owner and "
    "have leadership approve it.",
    requires=(POLICIES,),
    description="Every policy of evidence.required_policies has a document under policies/.",
)


def evaluate(inventory: EvidenceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for policy_id in ctx.config.evidence.required_policies:
        found = next((p for p in inventory.policies if fulfils(p, policy_id)), None)
        if found is None:
            yield fail(
                resources.policy(policy_id),
                f"No {policy_id} policy: add policies/{policy_id}.md with an owner and approval.",
                evidence={"expected_file": f"policies/{policy_id}.md", "present": False},
            )
        else:
            yield passed(
                resources.policy(policy_id),
                f"The {policy_id} policy is documented in {found.path}.",
                evidence={"file": found.path, "title": found.title, "owner": found.owner},
            )


CHECK = Check(META, EvidenceInventory, evaluate)
