"""One person holding both halves of a duty that should be split (SA admin/user, KMS admin/use)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals, roles
from checks.gcp.resources import member
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.gcp import ANCESTOR_IAM_POLICY, IAM_POLICY, GcpIamInventory
from scanner.models.enums import Category, Severity

# (administers, uses): holding one of each is a conflict.
CONFLICTS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"roles/iam.serviceAccountAdmin"}), frozenset({"roles/iam.serviceAccountUser"})),
    (
        frozenset({"roles/cloudkms.admin"}),
        frozenset(
            {
                "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                "roles/cloudkms.cryptoKeyEncrypter",
                "roles/cloudkms.cryptoKeyDecrypter",
            }
        ),
    ),
)

META = CheckMeta(
    id="gcp.iam.duties_not_separated",
    title="User holds both administration and use of service accounts or KMS keys",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation=(
        "Split the duties: those who administer service accounts or keys should not also use "
        "them (Service Account User, CryptoKey Encrypter/Decrypter)."
    ),
    requires=(IAM_POLICY, ANCESTOR_IAM_POLICY),
    optional=roles.READS,
)


def evaluate(inventory: GcpIamInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.iam_policy is None:
        return
    for who, granted in sorted(inventory.iam_policy.roles_of().items()):
        if not principals.is_human(who):
            continue
        held = roles.resolve(inventory, granted)
        conflicts = [
            f"{held.named(sorted(held.roles & admin)[0])} + "
            f"{held.named(sorted(held.roles & use)[0])}"
            for admin, use in CONFLICTS
            if held.roles & admin and held.roles & use
        ]
        evidence = {"member": who, "conflicting_roles": conflicts}
        if not conflicts and held.unknown:
            yield error(member(inventory, who), held.unknown_message(who), evidence=evidence)
        elif conflicts:
            yield fail(
                member(inventory, who),
                f"{who} holds {conflicts[0]} on {inventory.label}; give "
                "administration and use to different people.",
                evidence=evidence,
            )
        else:
            yield passed(
                member(inventory, who), f"{who} holds no conflicting roles.", evidence=evidence
            )


CHECK = Check(META, GcpIamInventory, evaluate)
