"""A moto server on 127.0.0.1 reached through AWS_ENDPOINT_URL, as a local test account is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from moto.server import ThreadedMotoServer

from scanner.endpoints import ALLOW_INSECURE_ENV


@contextmanager
def local_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Its URL, with the environment pointing boto3 and posture at it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    try:
        yield url
    finally:
        server.stop()
