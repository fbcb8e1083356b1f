from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from fixtures import load
from providers.aws.collectors import detail, ebs, kms
from providers.aws.runner import run_collections
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data
from scanner.models.enums import Outcome

from .support import ACCOUNT, body_text, inject


def _seed_keys() -> dict[str, str]:
    client = boto3.client("kms", region_name="us-east-1")
    ids = {}
    for name in ("stale", "doomed", "signing", "rotating"):
        spec = {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"} if name == "signing" else {}
        ids[name] = client.create_key(Description=name, **spec)["KeyMetadata"]["KeyId"]
        client.create_alias(AliasName=f"alias/{name}", TargetKeyId=ids[name])
    client.enable_key_rotation(KeyId=ids["rotating"])
    client.schedule_key_deletion(KeyId=ids["doomed"], PendingWindowInDays=7)
    return ids


def test_kms_reads_metadata_aliases_and_rotation(clients: AwsClients) -> None:
    ids = _seed_keys()
    keys = {k.aliases[0]: k for k in kms.fetch_keys(clients, "us-east-1", ACCOUNT)}
    assert set(keys) == {"alias/rotating", "alias/stale", "alias/doomed", "alias/signing"}
    assert keys["alias/rotating"].rotation_enabled is True
    assert keys["alias/stale"].rotation_enabled is False
    assert keys["alias/stale"].key_id == ids["stale"]
    assert keys["alias/stale"].arn.startswith("arn:aws:kms:us-east-1:123456789012:key/")
    doomed = keys["alias/doomed"]
    assert (doomed.state, doomed.rotation_enabled) == ("PendingDeletion", None)
    assert doomed.deletion_date is not None
    assert keys["alias/signing"].rotatable is False
    assert all(k.region == "us-east-1" and k.customer_managed for k in keys.values())


def test_kms_key_policy_lockout_is_per_key(
    clients: AwsClients, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seed_keys()
    monkeypatch.setattr(detail, "DETAIL_WORKERS", 1)  # in order: the rotating key comes last
    inject(
        clients.client("kms", "us-east-1"),
        "DescribeKey",
        400,
        "AccessDeniedException",
        times=5,
        when=lambda request: ids["stale"] in body_text(request),
    )
    fault = inject(
        clients.client("kms", "us-east-1"), "GetKeyRotationStatus", 400, "ThrottlingException"
    )
    keys = {k.key_id: k for k in kms.fetch_keys(clients, "us-east-1", ACCOUNT)}
    stale = keys[ids["stale"]]
    assert [(u.aspect, u.missing) for u in stale.unknown] == [("metadata", "kms:DescribeKey")]
    assert stale.manager is None
    assert fault.injected == 1
    assert keys[ids["rotating"]].rotation_enabled is True
    assert not keys[ids["rotating"]].unknown


def test_kms_every_page_is_read(
    offline_clients: AwsClients, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto answers ListKeys and ListAliases in one page; these are recorded pages."""
    monkeypatch.setattr(detail, "DETAIL_WORKERS", 1)
    recorded: dict[str, Any] = load("aws/kms_pages.json")
    client = offline_clients.client("kms", "eu-west-1")
    with Stubber(client) as stub:
        for page in recorded["list_keys"]:
            stub.add_response("list_keys", page)
        for page in recorded["list_aliases"]:
            stub.add_response("list_aliases", page)
        for key_id, described in recorded["describe_key"].items():
            stub.add_response("describe_key", described, {"KeyId": key_id})
            if key_id in recorded["rotation"]:
                stub.add_response(
                    "get_key_rotation_status", recorded["rotation"][key_id], {"KeyId": key_id}
                )
        keys = kms.fetch_keys(offline_clients, "eu-west-1", ACCOUNT)
        stub.assert_no_pending_responses()
    assert len(recorded["list_keys"]) >= 2
    by_alias = {k.aliases[0] if k.aliases else k.key_id: k for k in keys}
    assert len(by_alias) == sum(len(p["Keys"]) for p in recorded["list_keys"])
    assert by_alias["alias/billing"].rotation_enabled is False
    assert by_alias["alias/orders"].rotation_enabled is True
    assert by_alias["alias/aws/s3"].customer_managed is False


def _seed_volumes() -> None:
    boto3.client("ec2", region_name="eu-west-1").enable_ebs_encryption_by_default()
    client = boto3.client("ec2", region_name="us-east-1")
    plain = client.create_volume(AvailabilityZone="us-east-1a", Size=4)
    sealed = client.create_volume(AvailabilityZone="us-east-1a", Size=4, Encrypted=True)
    client.create_snapshot(VolumeId=plain["VolumeId"])
    client.create_snapshot(VolumeId=sealed["VolumeId"])


def test_ebs_settings_volumes_and_own_snapshots(clients: AwsClients) -> None:
    _seed_volumes()
    defaults = [
        *ebs.fetch_defaults(clients, "us-east-1", ACCOUNT),
        *ebs.fetch_defaults(clients, "eu-west-1", ACCOUNT),
    ]
    assert [(d.region, d.encryption_by_default) for d in defaults] == [
        ("us-east-1", False),
        ("eu-west-1", True),
    ]
    volumes = ebs.fetch_volumes(clients, "us-east-1", ACCOUNT)
    assert sorted(v.encrypted for v in volumes) == [False, True]
    assert all(v.arn.startswith("arn:aws:ec2:us-east-1:123456789012:volume/vol-") for v in volumes)
    snapshots = ebs.fetch_snapshots(clients, "us-east-1", ACCOUNT)
    # moto also lists public AMI snapshots for OwnerIds=self; only ours are kept.
    assert sorted(s.encrypted for s in snapshots) == [False, True]
    assert {s.volume_id for s in snapshots} == {v.volume_id for v in volumes}


def test_ebs_throttle_retried_and_denial_recorded(clients: AwsClients) -> None:
    _seed_volumes()
    ec2 = clients.client("ec2", "us-east-1")
    throttle = inject(ec2, "DescribeSnapshots", 503, "RequestLimitExceeded")
    inject(ec2, "DescribeSnapshots", 403, "UnauthorizedOperation", times=10)
    with ThreadPoolExecutor(1) as pool:  # in order, so the throttle comes last
        collected = run_collections(ebs.COLLECTIONS, ("us-east-1",), clients, ACCOUNT, pool)
    assert throttle.injected == 1 and throttle.attempts == 2
    outcomes = {o.collection: o for o in collected.outcomes}
    assert outcomes[data.EBS_ENCRYPTION_DEFAULTS].outcome is Outcome.OK
    assert outcomes[data.EBS_VOLUMES].outcome is Outcome.OK
    denied = outcomes[data.EBS_SNAPSHOTS]
    assert (denied.outcome, denied.missing, denied.scope) == (
        Outcome.ACCESS_DENIED,
        "ec2:DescribeSnapshots",
        "us-east-1",
    )
    assert "ebs_snapshots" not in collected.fields()
    assert len(collected.fields()["ebs_volumes"]) == 2


def test_ebs_every_page_is_read(offline_clients: AwsClients) -> None:
    """moto answers DescribeVolumes/DescribeSnapshots in one page; these are recorded pages."""
    recorded: dict[str, Any] = load("aws/ec2_ebs_pages.json")
    client = offline_clients.client("ec2", "us-east-1")
    with Stubber(client) as stub:
        for page in recorded["describe_volumes"]:
            stub.add_response("describe_volumes", page)
        for page in recorded["describe_snapshots"]:
            stub.add_response("describe_snapshots", page)
        volumes = ebs.fetch_volumes(offline_clients, "us-east-1", ACCOUNT)
        snapshots = ebs.fetch_snapshots(offline_clients, "us-east-1", ACCOUNT)
        stub.assert_no_pending_responses()
    assert [v.volume_id for v in volumes] == [
        v["VolumeId"] for p in recorded["describe_volumes"] for v in p["Volumes"]
    ]
    assert [s.snapshot_id for s in snapshots] == [
        s["SnapshotId"] for p in recorded["describe_snapshots"] for s in p["Snapshots"]
    ]
    assert {v.name for v in volumes} >= {"db-data"}
    assert volumes[0].attached_to == ("i-0abc123def4567890",)
