"""Personal Google accounts (gmail.com) granted roles on a project, its buckets or its keys, or on
a folder or the organization above it."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals
from checks.gcp.resources import bucket, member
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.gcp import (
    ANCESTOR_IAM_POLICY,
    BUCKETS,
    CRYPTO_KEYS,
    IAM_POLICY,
    GcpIamInventory,
    GcpInventory,
    IamPolicy,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.iam.personal_account_access",
    title="Personal Gmail account with access to a project, folder or organization",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation=(
        "Remove consumer accounts; grant access to managed identities in your Workspace or "
        "Cloud Identity domain, and set the iam.allowedPolicyMemberDomains organization policy."
    ),
    requires=(IAM_POLICY, ANCESTOR_IAM_POLICY, BUCKETS, CRYPTO_KEYS),
)


def _grants(inventory: GcpIamInventory) -> dict[str, list[str]]:
    """person -> where it holds which role (the resource's own policy; a project's bucket
    and key policies too)."""
    policies: list[tuple[str, IamPolicy]] = []
    if inventory.iam_policy is not None:
        policies.append((inventory.kind, inventory.iam_policy))
    if isinstance(inventory, GcpInventory):
        policies += [(f"bucket {b.name}", b.iam) for b in inventory.buckets]
        policies += [(f"key {k.short_name}", k.iam) for k in inventory.crypto_keys]
    out: dict[str, list[str]] = {}
    for where, policy in policies:
        for binding in policy.bindings:
            for who in binding.members:
                if principals.is_person(who):
                    out.setdefault(who, []).append(f"{where}: {binding.role}")
    return out


def evaluate(inventory: GcpIamInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for who, grants in sorted(_grants(inventory).items()):
        evidence = {"member": who, "grants": sorted(grants)}
        federated = principals.workforce_member(who)
        managed = (
            f"{who} is federated through workforce pool {federated.pool}."
            if federated is not None
            else f"{who} is a managed account."
        )
        yield pass_or_fail(
            member(inventory, who),
            not principals.is_personal_account(who),
            managed,
            f"Personal account {who} has access in {inventory.label} "
            f"({sorted(grants)[0]}); replace it with a managed corporate identity.",
            evidence=evidence,
        )
    for b in inventory.buckets if isinstance(inventory, GcpInventory) else ():
        if b.iam_unreadable:  # whoever it grants to is unknown
            yield error(
                bucket(b),
                f"Not evaluated: the IAM policy of bucket {b.name} could not be read "
                f"({b.iam_unreadable}); the accounts it grants to are unknown.",
                evidence={"iam_unreadable": b.iam_unreadable},
                region=b.location,
            )


CHECK = Check(META, GcpIamInventory, evaluate)
