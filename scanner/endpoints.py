"""One rule for every provider: credentials never travel in clear text.

A plain http:// endpoint is accepted only when POSTURE_ALLOW_INSECURE_ENDPOINTS=1 is set and
the host is a loopback address (local fake servers in tests and the demo).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from scanner.errors import UsageError

ALLOW_INSECURE_ENV = "POSTURE_ALLOW_INSECURE_ENDPOINTS"


def insecure_allowed(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(ALLOW_INSECURE_ENV, "") == "1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def origin(url: str) -> str:
    """Scheme, host and port of `url`, which is all an error message may say about it: hooks
    and proxies carry tokens in the path, the query or the user part."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return "(a malformed URL)"
    if not host:
        return f"{parts.scheme}://" if parts.scheme else "(a URL without a host)"
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None else "")


def validate_endpoint(url: str, what: str, environ: Mapping[str, str] | None = None) -> bool:
    """Checks `url` and returns True when it is an allowed insecure (loopback http) endpoint.
    Messages name only the URL's origin."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 (a port that is no number raises here)
    except ValueError:
        raise UsageError(f"{what} is not a valid URL") from None
    shown = origin(url)
    if parts.scheme not in {"http", "https"} or not hostname:
        raise UsageError(f"{what} {shown} is not an http(s) URL")
    if parts.scheme == "https":
        return False
    if not insecure_allowed(environ):
        raise UsageError(
            f"{what} {shown} is plain http: credentials would travel in clear text "
            f"(set {ALLOW_INSECURE_ENV}=1 only for a local test server)"
        )
    if not is_loopback(hostname):
        raise UsageError(f"{what} {shown}: plain http is allowed only for loopback addresses")
    return True
