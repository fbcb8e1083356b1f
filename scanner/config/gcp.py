"""GCP settings and thresholds."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import Field, field_validator

from scanner.models.inventory import Frozen

# The APIs posture calls, as in https://<api>.googleapis.com (keys of gcp.endpoints).
GCP_APIS = frozenset(
    {
        "cloudresourcemanager",
        "iam",
        "storage",
        "cloudkms",
        "logging",
        "compute",
        "sqladmin",
        "admin",
        "cloudidentity",
    }
)


CLIENT_QUOTA_PER_MINUTE: dict[str, int] = {
    # Google's documented default less a fifth of headroom (docs/distributed.md, GCP quotas).
    "cloudresourcemanager": 480,  # 600/min per API consumer project (v3 reads and lists)
    "cloudkms": 240,  # read requests: 300/min, charged to the calling project
    "admin": 1920,  # Directory API: 2,400/min per user per Google Cloud project
}
"""Client-based APIs whose calls a brokered run's workers share one limiter for."""


def _known(apis: Iterable[str]) -> None:
    unknown = sorted(set(apis) - GCP_APIS)
    if unknown:
        raise ValueError(f"unknown API {unknown[0]!r} (known: {', '.join(sorted(GCP_APIS))})")


class GcpThresholds(Frozen):
    service_account_key_max_age_days: int = Field(90, ge=1)
    kms_rotation_max_days: int = Field(90, ge=1)
    log_retention_min_days: int = Field(365, ge=1)


class GcpConfig(Frozen):
    """`max_requests_in_flight` bounds HTTP requests on the wire per API (each API's thread
    pool is larger: a call waiting out a retry holds a thread but no request slot);
    `call_timeout_seconds` bounds one HTTP call; retries stop at `retry_deadline_seconds`."""

    projects: tuple[str, ...] = Field((), description="Project ids; empty: the organization's")
    organization: str | None = Field(None, description="Organization id (digits)")
    endpoints: dict[str, str] = Field(
        default_factory=dict,
        description="API name (compute, storage, ...) -> base URL standing for "
        "https://<api>.googleapis.com; env POSTURE_GCP_ENDPOINT sets one for all",
    )
    credentials_file: Path | None = Field(None, description="Service account key file")
    workspace_admin: str | None = Field(
        None, description="Workspace admin the service account impersonates (domain-wide)"
    )
    workspace_customer: str = "my_customer"
    require_cmek: bool = False
    max_requests_in_flight: int = Field(8, ge=1, le=64, description="Requests in flight per API")
    call_timeout_seconds: float = Field(60, gt=0, le=900)
    retry_deadline_seconds: float = Field(120, gt=0, le=3600)
    retry_initial_seconds: float = Field(1.0, gt=0, le=60)
    scan_timeout_seconds: float = Field(
        3600, gt=0, description="Collections unfinished by then become errors; the scan ends"
    )
    client_quota_per_minute: dict[str, int] = Field(
        default_factory=lambda: dict(CLIENT_QUOTA_PER_MINUTE),
        description="Client-based API -> requests per minute all workers of a brokered run "
        "share per quota project (Redis); an API left out is not limited across workers",
    )
    thresholds: GcpThresholds = GcpThresholds()

    @field_validator("client_quota_per_minute")
    @classmethod
    def _quota_apis(cls, v: dict[str, int]) -> dict[str, int]:
        _known(v)
        if any(n < 1 for n in v.values()):
            raise ValueError("a client quota is at least 1 request per minute")
        return v

    @field_validator("endpoints")
    @classmethod
    def _known_apis(cls, v: dict[str, str]) -> dict[str, str]:
        _known(v)
        return v
