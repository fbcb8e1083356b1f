"""AWS settings and thresholds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scanner.models.inventory import Frozen


class AwsPasswordPolicy(Frozen):
    min_length: int = Field(14, ge=1)
    reuse_prevention: int = Field(24, ge=0)
    max_age_days: int | None = Field(None, ge=1, description="Unset: no expiry required")
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False


class AwsThresholds(Frozen):
    access_key_max_age_days: int = Field(90, ge=1)
    stale_credential_days: int = Field(90, ge=1)
    root_recent_use_days: int = Field(90, ge=1)
    admin_policy_names: tuple[str, ...] = ("AdministratorAccess",)
    # logging, monitoring, network and TLS
    log_retention_min_days: int = Field(365, ge=1)
    cert_expiry_warning_days: int = Field(30, ge=0)
    admin_ports: tuple[int, ...] = (22, 3389, 3306, 5432, 1433, 6379, 27017)
    min_tls_version: Literal["TLSv1.2", "TLSv1.3"] = "TLSv1.2"
    cloudfront_min_tls_policy: str = Field(
        "TLSv1.2_2021", pattern=r"^TLSv1(\.[0-3])?_\d{4}$", description="Weakest accepted"
    )


class AwsConfig(Frozen):
    """`max_workers` is the size of an account's thread pool (and of each client's connection
    pool, which caps requests in flight per service and region; posture's own limit below
    that adapts to throttling); `call_timeout_seconds` bounds one HTTP read; `max_attempts`
    counts every try of a call, the first included."""

    regions: tuple[str, ...] = ()
    profile: str | None = None
    org_role: str | None = Field(
        None, description="Role assumed in every member account (AWS Organizations scan)"
    )
    accounts: tuple[str, ...] = Field((), description="With org_role: only these account ids")
    max_parallel_accounts: int = Field(4, ge=1, le=32)
    max_workers: int = Field(16, ge=1, le=128)
    max_attempts: int = Field(11, ge=1, le=31, description="Tries of a call, the first included")
    retry_mode: Literal["standard", "adaptive"] = Field(
        "standard",
        description="standard (recommended): botocore's retries plus posture's in-flight limit "
        "per service and region, halved on throttling, regained on success. adaptive: "
        "botocore's client-side token bucket instead (slow to recover early in a scan)",
    )
    call_timeout_seconds: int = Field(60, ge=1, le=900)
    scan_timeout_seconds: int = Field(
        3600, ge=10, description="Collections unfinished by then become errors; the scan ends"
    )
    thresholds: AwsThresholds = AwsThresholds()
    password_policy: AwsPasswordPolicy = AwsPasswordPolicy()
    # storage and keys
    s3_require_kms: bool = Field(False, description="Default encryption must use a KMS key")
    rds_min_backup_retention_days: int = Field(7, ge=1, le=35)
