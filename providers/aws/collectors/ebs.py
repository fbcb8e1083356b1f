"""EBS: the region's encryption-by-default setting, its volumes, and the snapshots it owns."""

from __future__ import annotations

from typing import Any

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data


def _name(item: dict[str, Any]) -> str | None:
    for tag in item.get("Tags") or []:
        if tag.get("Key") == "Name":
            return str(tag.get("Value"))
    return None


def fetch_defaults(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.EbsRegionSettings, ...]:
    ec2 = clients.client("ec2", region)
    enabled = bool(ec2.get_ebs_encryption_by_default().get("EbsEncryptionByDefault"))
    return (data.EbsRegionSettings(region=region, encryption_by_default=enabled),)


def fetch_volumes(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.EbsVolume, ...]:
    volumes = paginate(clients.client("ec2", region), "describe_volumes", "Volumes")
    return tuple(
        data.EbsVolume(
            volume_id=v["VolumeId"],
            arn=f"arn:{account.partition}:ec2:{region}:{account.id}:volume/{v['VolumeId']}",
            region=region,
            encrypted=bool(v.get("Encrypted")),
            state=v.get("State"),
            size_gib=v.get("Size"),
            attached_to=tuple(
                str(a["InstanceId"]) for a in v.get("Attachments", []) if a.get("InstanceId")
            ),
            name=_name(v),
        )
        for v in volumes
    )


def fetch_snapshots(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.EbsSnapshot, ...]:
    snapshots = paginate(
        clients.client("ec2", region), "describe_snapshots", "Snapshots", OwnerIds=["self"]
    )
    return tuple(
        data.EbsSnapshot(
            snapshot_id=s["SnapshotId"],
            arn=f"arn:{account.partition}:ec2:{region}::snapshot/{s['SnapshotId']}",
            region=region,
            encrypted=bool(s.get("Encrypted")),
            volume_id=s.get("VolumeId"),
            started=s.get("StartTime"),
            name=_name(s),
        )
        for s in snapshots
        # OwnerIds=self already asks for this; some endpoints (moto) return public ones too.
        if s.get("OwnerId") in (None, account.id)
    )


COLLECTIONS = (
    aws_collection(
        data.EBS_ENCRYPTION_DEFAULTS,
        "ebs_defaults",
        "ec2",
        ("ec2:GetEbsEncryptionByDefault",),
        fetch_defaults,
        regional=True,
    ),
    aws_collection(
        data.EBS_VOLUMES,
        "ebs_volumes",
        "ec2",
        ("ec2:DescribeVolumes",),
        fetch_volumes,
        regional=True,
    ),
    aws_collection(
        data.EBS_SNAPSHOTS,
        "ebs_snapshots",
        "ec2",
        ("ec2:DescribeSnapshots",),
        fetch_snapshots,
        regional=True,
    ),
)
