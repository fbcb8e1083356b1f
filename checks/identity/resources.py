"""Resource references and shared helpers for cross-provider identity findings."""

from __future__ import annotations

from scanner.check import CheckResult, error
from scanner.identity.matching import DirectoryEntry
from scanner.inventory.common import CloudIdentity
from scanner.models.findings import Resource

_CLOUD_TYPES = {"aws": "AWS::IAM::User", "gcp": "GCP::IAM::Member", "github": "GitHub::User"}


def directory_user(entry: DirectoryEntry) -> Resource:
    return Resource(uid=entry.user.uid, type=f"{entry.provider}:user", name=entry.user.login)


def cloud_identity(identity: CloudIdentity) -> Resource:
    kind = _CLOUD_TYPES.get(identity.provider, f"{identity.provider}:identity")
    return Resource(uid=identity.uid, type=kind, name=identity.name)


def not_evaluated(check_id: str, message: str) -> CheckResult:
    """The one result of a cross-provider check whose inputs are not in the run."""
    return error(
        Resource(uid=f"run/{check_id}", type="check", name=check_id),
        f"Not evaluated: {message}",
    )


def identity_evidence(identity: CloudIdentity) -> dict[str, str | bool | int | list[str] | None]:
    return {
        "cloud": identity.provider,
        "account": identity.account,
        "console_access": identity.console_access,
        "active_keys": len(identity.active_keys),
        "grants": list(identity.grants),
        "last_used": identity.last_used.isoformat() if identity.last_used else None,
    }
