"""Cloud KMS: locations, then key rings in each (no wildcard), then keys and key policies."""

from __future__ import annotations

from typing import Any

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.inventory import gcp as inv


def _key(raw: dict[str, Any], location: str, policy: inv.IamPolicy) -> inv.CryptoKey:
    primary = raw.get("primary") or {}
    return inv.CryptoKey(
        name=str(raw["name"]),
        location=location,
        purpose=str(raw.get("purpose", "ENCRYPT_DECRYPT")),
        rotation_period_seconds=parse.duration_seconds(raw.get("rotationPeriod")),
        next_rotation=parse.timestamp(raw.get("nextRotationTime")),
        primary_state=primary.get("state"),
        import_only=parse.flag(raw.get("importOnly"), "importOnly"),
        iam=policy,
    )


def fetch_crypto_keys(clients: GcpClients, project: Project) -> tuple[inv.CryptoKey, ...]:
    locations_api = clients.service("cloudkms").projects().locations()
    rings_api = locations_api.keyRings()
    keys_api = rings_api.cryptoKeys()
    locations = clients.paginate(
        "cloudkms", locations_api, "list", "locations", name=f"projects/{project.id}"
    )
    out = []
    for location in locations:
        location_id = str(location.get("locationId") or location["name"].rsplit("/", 1)[-1])
        rings = clients.paginate(
            "cloudkms", rings_api, "list", "keyRings", parent=location["name"], pageSize=1000
        )
        for ring in rings:
            keys = clients.paginate(
                "cloudkms", keys_api, "list", "cryptoKeys", parent=ring["name"], pageSize=1000
            )
            for raw in keys:
                policy = clients.execute(
                    "cloudkms",
                    keys_api.getIamPolicy(resource=raw["name"], options_requestedPolicyVersion=3),
                )
                out.append(_key(raw, location_id, parse.iam_policy(policy)))
    return tuple(out)


COLLECTIONS = (gcp_collection(inv.CRYPTO_KEYS, ("crypto_keys",), fetch_crypto_keys),)
