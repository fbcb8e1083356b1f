"""TLS probe settings: which endpoints to probe, what to trust, and how hard to push."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from scanner.models.inventory import Frozen

DEFAULT_PORT = 443


class TlsTarget(Frozen):
    """One endpoint to probe: `host[:port]` in the config or on the command line."""

    host: str = Field(min_length=1, max_length=253)
    port: int = Field(DEFAULT_PORT, ge=1, le=65535)
    server_name: str | None = Field(
        None, description="SNI name to send and check the certificate against (default: host)"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return parse_target(value) if isinstance(value, str) else value

    @field_validator("host")
    @classmethod
    def _plain_host(cls, v: str) -> str:
        if any(ch.isspace() or ch in "/@?#" for ch in v):
            raise ValueError(f"{v!r} is not a host name or address")
        return v.strip("[]").lower()

    @property
    def key(self) -> str:
        """HOST:PORT, the resource uid and scope of the endpoint's findings."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def sni(self) -> str:
        return self.server_name or self.host


def parse_target(text: str) -> dict[str, Any]:
    """`host`, `host:port`, `[v6]:port` or `v6` as fields; a port that is not one raises."""
    text = text.strip()
    host, port = text, str(DEFAULT_PORT)
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"{text!r} is not HOST[:PORT]")
            port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{text!r}: the port {port!r} is not a number from 1 to 65535")
    return {"host": host, "port": int(port)}


class TlsConfig(Frozen):
    """Probing is opt-in: it sends traffic to the endpoints. `connections_per_host` bounds the
    connections open to one endpoint, `max_parallel_endpoints` the endpoints probed at once;
    `connect_timeout_seconds` bounds each connection attempt, `endpoint_timeout_seconds` one
    endpoint's whole probe, and `scan_timeout_seconds` all of them."""

    name: str = Field("tls", min_length=1, description="The scope name: the account of findings")
    endpoints: tuple[TlsTarget, ...] = ()
    probe_cloud: bool = Field(
        False, description="Also probe the endpoints the cloud scans found (--probe-tls)"
    )
    ca_file: Path | None = Field(None, description="PEM file of extra CAs trusted (--tls-ca-file)")
    max_endpoints: int = Field(500, ge=1, description="More endpoints than this is bad input")
    connections_per_host: int = Field(5, ge=1, le=32)
    max_parallel_endpoints: int = Field(8, ge=1, le=64)
    connect_timeout_seconds: int = Field(5, ge=1, le=120)
    endpoint_timeout_seconds: float = Field(120, gt=0, le=3600)
    scan_timeout_seconds: float = Field(900, gt=0, le=86400)
    min_tls_version: Literal["TLSv1.2", "TLSv1.3"] = "TLSv1.2"
    cert_expiry_warning_days: int | None = Field(
        None, ge=0, description="Default: the ACM setting, aws.thresholds.cert_expiry_warning_days"
    )
    min_rsa_bits: int = Field(2048, ge=1024)
    min_ec_bits: int = Field(256, ge=160)
    check_hsts: bool = Field(False, description="Fail HTTPS endpoints without HSTS (opt-in)")
    hsts_min_max_age_seconds: int = Field(15552000, ge=0, description="180 days")
    check_http_redirect: bool = Field(
        False, description="Fail hosts serving plain HTTP without a redirect to HTTPS (opt-in)"
    )
    http_port: int = Field(80, ge=1, le=65535)
