from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from checks.aws.ebs import encryption_by_default_disabled, snapshot_unencrypted, volume_unencrypted
from checks.aws.kms import key_pending_deletion, key_rotation_disabled
from scanner.check import CheckContext
from scanner.inventory.aws import storage as data
from scanner.models.enums import Outcome

from .builders import inventory, results, unknown, verdicts


def key(key_id: str, **kw: Any) -> data.KmsKey:
    fields: dict[str, Any] = {
        "manager": "CUSTOMER",
        "state": "Enabled",
        "key_spec": "SYMMETRIC_DEFAULT",
        "key_usage": "ENCRYPT_DECRYPT",
        "origin": "AWS_KMS",
        "rotation_enabled": True,
    }
    fields.update(kw)
    return data.KmsKey(
        key_id=key_id,
        arn=f"arn:aws:kms:us-east-1:123456789012:key/{key_id}",
        region=fields.pop("region", "us-east-1"),
        **fields,
    )


KEYS = (
    key("rotating"),
    key("stale", rotation_enabled=False, region="eu-west-1"),
    key("aws-managed", manager="AWS", rotation_enabled=None),
    key("mislabelled-aws", aliases=("alias/aws/ebs",), rotation_enabled=False),
    key("asymmetric", key_spec="RSA_2048", key_usage="SIGN_VERIFY", rotation_enabled=None),
    key("imported", origin="EXTERNAL", rotation_enabled=None),
    key("disabled", state="Disabled", rotation_enabled=False),
    key(
        "doomed",
        state="PendingDeletion",
        rotation_enabled=None,
        deletion_date=datetime(2026, 6, 8, tzinfo=UTC),
    ),
    key("locked-out", manager=None, state=None, unknown=(unknown("metadata", "kms:DescribeKey"),)),
    key(
        "rotation-hidden",
        rotation_enabled=None,
        unknown=(unknown("rotation", "kms:GetKeyRotationStatus"),),
    ),
)


def test_rotation_exact_verdicts(ctx: CheckContext) -> None:
    assert verdicts(key_rotation_disabled.CHECK, inventory(kms_keys=KEYS), ctx) == {
        "rotating": "pass",
        "stale": "fail",
        "locked-out": "error",
        "rotation-hidden": "error",
    }
    stale = results(key_rotation_disabled.CHECK, inventory(kms_keys=KEYS), ctx)["stale"]
    assert stale.region == "eu-west-1"
    assert stale.evidence["rotation_enabled"] is False


def test_pending_deletion_exact_verdicts(ctx: CheckContext) -> None:
    got = results(key_pending_deletion.CHECK, inventory(kms_keys=KEYS), ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "rotating": "pass",
        "stale": "pass",
        "asymmetric": "pass",
        "imported": "pass",
        "disabled": "pass",
        "doomed": "fail",
        "rotation-hidden": "pass",
        "locked-out": "error",
    }
    assert got["doomed"].evidence["deletion_date"] == "2026-06-08T00:00:00+00:00"
    assert "2026-06-08" in got["doomed"].message


def test_failed_kms_region_drops_its_passes_only(ctx: CheckContext) -> None:
    inv = inventory(kms_keys=KEYS[:2])
    outcomes = (
        *inv.outcomes,
        data_outcome := inv.outcomes[0].model_copy(
            update={"collection": data.KMS_KEYS, "scope": "ap-south-1", "outcome": Outcome.ERROR}
        ),
    )
    inv = inv.model_copy(update={"outcomes": outcomes})
    got = verdicts(key_rotation_disabled.CHECK, inv, ctx)
    assert got == {"rotating": "pass", "stale": "fail", data_outcome.collection: "error"}


def test_ebs_default_per_region(ctx: CheckContext) -> None:
    inv = inventory(
        ebs_defaults=(
            data.EbsRegionSettings(region="us-east-1", encryption_by_default=False),
            data.EbsRegionSettings(region="eu-west-1", encryption_by_default=True),
        )
    )
    got = results(encryption_by_default_disabled.CHECK, inv, ctx)
    assert {r.region: r.status.value for r in got.values()} == {
        "us-east-1": "fail",
        "eu-west-1": "pass",
    }
    assert len({r.resource.uid for r in got.values()}) == 2


def test_volumes_and_snapshots(ctx: CheckContext) -> None:
    inv = inventory(
        ebs_volumes=(
            data.EbsVolume(volume_id="vol-1", arn="arn:v1", region="us-east-1", encrypted=False),
            data.EbsVolume(
                volume_id="vol-2", arn="arn:v2", region="eu-west-1", encrypted=True, name="db"
            ),
        ),
        ebs_snapshots=(
            data.EbsSnapshot(
                snapshot_id="snap-1", arn="arn:s1", region="us-east-1", encrypted=False
            ),
            data.EbsSnapshot(
                snapshot_id="snap-2", arn="arn:s2", region="us-east-1", encrypted=True
            ),
        ),
    )
    assert verdicts(volume_unencrypted.CHECK, inv, ctx) == {"vol-1": "fail", "db": "pass"}
    assert verdicts(snapshot_unencrypted.CHECK, inv, ctx) == {"snap-1": "fail", "snap-2": "pass"}
