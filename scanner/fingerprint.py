"""Stable finding fingerprints."""

from __future__ import annotations

import hashlib


def fingerprint(
    provider: str, account: str, check_id: str, resource_uid: str, sub_key: str | None = None
) -> str:
    """Same problem on the same resource gives the same value on every run and machine.

    Parts are length-prefixed so no two different tuples can produce the same input.
    """
    parts = (provider, account, check_id, resource_uid, sub_key or "")
    material = "".join(f"{len(p)}:{p};" for p in parts)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
