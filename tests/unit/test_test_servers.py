"""The throw-away servers the distributed tests use start and answer, and a missing binary
fails loudly instead of skipping."""

from __future__ import annotations

import socket

import pytest

from tests.servers import Redis, find_binary


def test_redis_answers_ping(redis: Redis) -> None:
    with socket.create_connection(("127.0.0.1", redis.port), 5) as s:
        s.sendall(b"PING\r\n")
        assert s.recv(16) == b"+PONG\r\n"


def test_a_missing_server_binary_fails_with_what_to_install() -> None:
    with pytest.raises(pytest.fail.Exception, match="install Debian's postgresql package"):
        find_binary("initdb-that-does-not-exist", [])
