"""Where a probe may connect: a name resolves here, and link-local/metadata addresses are
refused (a probe must never become a way to reach the cloud's instance metadata service)."""

from __future__ import annotations

import ipaddress
import socket

from scanner.collection import CollectionFailedError
from scanner.models.enums import Outcome

FORBIDDEN = (
    ipaddress.ip_network("169.254.0.0/16"),  # IPv4 link-local, EC2/GCP/Azure metadata
    ipaddress.ip_network("fe80::/10"),  # IPv6 link-local
    ipaddress.ip_network("fd00:ec2::254/128"),  # EC2 metadata over IPv6
)


def forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in FORBIDDEN)


def resolve(host: str, port: int) -> str:
    """The address to probe: every address the name has is checked, and one that is
    link-local or metadata refuses the whole name (so no later lookup can pick it); IPv4 is
    preferred, as sslyze does. Raises CollectionFailedError when the name has no address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise CollectionFailedError(
            Outcome.ERROR, f"{host} does not resolve ({exc})", missing=f"an address for {host}"
        ) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    refused = [a for a in addresses if forbidden(a)]
    if refused:
        raise CollectionFailedError(
            Outcome.ERROR,
            f"{host} resolves to {', '.join(refused)}, a link-local or metadata address; "
            "posture never probes those",
        )
    if not addresses:
        raise CollectionFailedError(Outcome.ERROR, f"{host} has no address")
    v4 = [a for a in addresses if ":" not in a]
    return (v4 or addresses)[0]
