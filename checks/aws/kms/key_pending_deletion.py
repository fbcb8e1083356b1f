"""Customer-managed keys scheduled for deletion: what they encrypt will become unreadable."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import kms_key, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.kms.key_pending_deletion",
    title="Customer-managed KMS key pending deletion",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Confirm nothing still uses the key (CloudTrail Decrypt events); if anything does, "
        "cancel the deletion (aws kms cancel-key-deletion) and re-enable the key."
    ),
    requires=(data.KMS_KEYS,),
)

PENDING = frozenset({"PendingDeletion", "PendingReplicaDeletion"})


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for key in inventory.kms_keys:
        if key.unknown_of(data.KMS_METADATA):
            yield not_evaluated(kms_key(key), key.unknown_of(data.KMS_METADATA), key.region)
            continue
        if not key.customer_managed:
            continue
        evidence = {
            "key_id": key.key_id,
            "aliases": list(key.aliases),
            "key_state": key.state,
            "deletion_date": key.deletion_date.isoformat() if key.deletion_date else None,
        }
        when = f" on {key.deletion_date.date().isoformat()}" if key.deletion_date else ""
        yield pass_or_fail(
            kms_key(key),
            key.state not in PENDING,
            f"KMS key {key.key_id} is not pending deletion ({key.state}).",
            f"KMS key {key.key_id} is scheduled for deletion{when}; cancel the deletion "
            "unless you have confirmed nothing it encrypted is still needed.",
            evidence=evidence,
            region=key.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
