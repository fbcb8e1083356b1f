"""Cloud KMS: locations, then key rings in each (no wildcard), then keys and key policies."""

from __future__ import annotations

from typing import Any

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.inventory import gcp as inv


def _key(
    raw: dict[str, Any], location: str, policy: inv.IamPolicy, modes: dict[str, str]
) -> inv.CryptoKey:
    primary = raw.get("primary") or {}
    level = str((raw.get("versionTemplate") or {}).get("protectionLevel") or "SOFTWARE")
    backend = raw.get("cryptoKeyBackend") or None
    return inv.CryptoKey(
        name=str(raw["name"]),
        location=location,
        purpose=str(raw.get("purpose", "ENCRYPT_DECRYPT")),
        rotation_period_seconds=parse.duration_seconds(raw.get("rotationPeriod")),
        next_rotation=parse.timestamp(raw.get("nextRotationTime")),
        primary_state=primary.get("state"),
        import_only=parse.flag(raw.get("importOnly"), "importOnly"),
        iam=policy,
        protection_level=level,
        crypto_key_backend=backend,
        # EXTERNAL keys link key material by URI: always manual. EXTERNAL_VPC keys follow their
        # EkmConnection's keyManagementMode, which defaults to MANUAL when unset.
        key_management_mode=(
            "MANUAL"
            if level == "EXTERNAL"
            else modes.get(str(backend), "MANUAL")
            if level == "EXTERNAL_VPC"
            else None
        ),
    )


def _ekm_modes(clients: GcpClients, api: Any, keys: list[dict[str, Any]]) -> dict[str, str]:
    """EkmConnection name -> keyManagementMode, read only for the EXTERNAL_VPC keys' backends."""
    backends = {
        str(k["cryptoKeyBackend"])
        for k in keys
        if (k.get("versionTemplate") or {}).get("protectionLevel") == "EXTERNAL_VPC"
        and str(k.get("cryptoKeyBackend") or "").count("/ekmConnections/")
    }
    modes = {}
    for name in sorted(backends):
        connection = clients.execute("cloudkms", api.get(name=name))
        modes[name] = str(connection.get("keyManagementMode") or "MANUAL")
    return modes


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
            keys = list(
                clients.paginate(
                    "cloudkms", keys_api, "list", "cryptoKeys", parent=ring["name"], pageSize=1000
                )
            )
            modes = _ekm_modes(clients, locations_api.ekmConnections(), keys)
            for raw in keys:
                policy = clients.execute(
                    "cloudkms",
                    keys_api.getIamPolicy(resource=raw["name"], options_requestedPolicyVersion=3),
                )
                out.append(_key(raw, location_id, parse.iam_policy(policy), modes))
    return tuple(out)


COLLECTIONS = (gcp_collection(inv.CRYPTO_KEYS, ("crypto_keys",), fetch_crypto_keys),)
