"""KMS: every key in the region with its metadata, aliases and rotation status.

A key policy can lock the scanner out of one key: that key's metadata or rotation becomes
unknown, the rest of the region is still read.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from providers.aws.collectors.detail import AspectReader, ResourceGoneError, map_bounded
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data

GONE = ("NotFoundException",)
NO_ROTATION_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion", "Unavailable"})


def _aliases(kms: Any) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for alias in paginate(kms, "list_aliases", "Aliases"):
        if alias.get("TargetKeyId"):
            by_key[str(alias["TargetKeyId"])].append(str(alias["AliasName"]))
    return by_key


def read_key(
    kms: Any, region: str, listed: dict[str, Any], aliases: dict[str, list[str]]
) -> data.KmsKey:
    key_id = str(listed["KeyId"])
    reader = AspectReader(gone_codes=GONE)
    described = reader.read(
        data.KMS_METADATA, "kms:DescribeKey", lambda: kms.describe_key(KeyId=key_id)
    )
    meta: dict[str, Any] = (described or {}).get("KeyMetadata", {})
    rotation: bool | None = None
    if (
        meta.get("KeyManager") == "CUSTOMER"
        and meta.get("KeySpec", meta.get("CustomerMasterKeySpec")) == "SYMMETRIC_DEFAULT"
        and meta.get("Origin") == "AWS_KMS"
        and meta.get("KeyState") not in NO_ROTATION_STATES
    ):
        status = reader.read(
            data.KMS_ROTATION,
            "kms:GetKeyRotationStatus",
            lambda: kms.get_key_rotation_status(KeyId=key_id),
        )
        if status is not None:
            rotation = bool(status.get("KeyRotationEnabled"))
    return data.KmsKey(
        key_id=key_id,
        arn=str(meta.get("Arn") or listed.get("KeyArn") or key_id),
        region=region,
        aliases=tuple(sorted(aliases.get(key_id, ()))),
        manager=meta.get("KeyManager"),
        state=meta.get("KeyState"),
        key_spec=meta.get("KeySpec", meta.get("CustomerMasterKeySpec")),
        key_usage=meta.get("KeyUsage"),
        origin=meta.get("Origin"),
        multi_region=bool(meta.get("MultiRegion")),
        deletion_date=meta.get("DeletionDate"),
        rotation_enabled=rotation,
        unknown=tuple(reader.unknown),
    )


def fetch_keys(clients: AwsClients, region: str, account: AwsAccount) -> tuple[data.KmsKey, ...]:
    kms = clients.client("kms", region)
    listed = paginate(kms, "list_keys", "Keys")
    aliases = _aliases(kms)

    def one(item: dict[str, Any]) -> data.KmsKey | None:
        try:
            return read_key(kms, region, item, aliases)
        except ResourceGoneError:
            return None

    return tuple(k for k in map_bounded(one, listed) if k is not None)


COLLECTIONS = (
    aws_collection(
        data.KMS_KEYS,
        "kms_keys",
        "kms",
        ("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey", "kms:GetKeyRotationStatus"),
        fetch_keys,
        regional=True,
    ),
)
