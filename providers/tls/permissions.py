"""What the TLS probe needs: no API permission at all, only the network path to each host."""

from __future__ import annotations

from providers.tls.collections import NEEDS


def render(collections: frozenset[str]) -> str:
    return (
        "The tls provider calls no API and needs no cloud or API permissions.\n"
        "It sends TLS (and, with tls.check_http_redirect, plain HTTP) connections to the "
        "endpoints it probes: each HOST:PORT given with --tls-endpoint or tls.endpoints, and "
        "with --probe-tls the endpoints the cloud scans found.\n"
        f"Each endpoint needs {NEEDS}.\n"
        "Ask the owners of endpoints you do not run before probing them; link-local and "
        "metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254) are never probed.\n"
    )
