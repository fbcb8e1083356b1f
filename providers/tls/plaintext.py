"""Whether a host serves plain HTTP without sending clients on to HTTPS."""

from __future__ import annotations

from typing import TYPE_CHECKING

import requests

if TYPE_CHECKING:
    from scanner.config.tls import TlsConfig


def serves_plaintext(host: str, address: str, port: int, config: TlsConfig) -> bool:
    """True when `http://host:port/` answers with anything but a redirect to an https:// URL.
    A port that refuses or drops the connection serves nothing in plain text. The request goes
    to the address already resolved and checked (providers.tls.addresses); no
    redirect is followed and no body is read."""
    url_host = f"[{address}]" if ":" in address else address
    try:
        response = requests.get(
            f"http://{url_host}:{port}/",
            headers={"Host": host if port == 80 else f"{host}:{port}", "User-Agent": "posture"},
            allow_redirects=False,
            timeout=config.connect_timeout_seconds,
            stream=True,
        )
    except (requests.ConnectionError, requests.Timeout):
        return False
    try:
        location = response.headers.get("Location", "")
        redirect = response.is_redirect and location.lower().startswith("https://")
        return not redirect
    finally:
        response.close()
