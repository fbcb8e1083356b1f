"""Throw-away PostgreSQL and Redis servers on free loopback ports, for the distributed tests.

They are the real programs (Debian's `postgresql` and `redis-server`, which `.ci/run` installs):
a missing binary FAILS the test that needs it with a line saying what to install; it never
skips, because a component that cannot start is a CI failure.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_binary(name: str, extra_dirs: list[str]) -> str:
    found = shutil.which(name)
    if found:
        return found
    for directory in extra_dirs:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    pytest.fail(
        f"{name} not found (PATH and {', '.join(extra_dirs) or 'nowhere else'}): install "
        f"Debian's {'redis-server' if name == 'redis-server' else 'postgresql'} package "
        "(.ci/run does); the distributed tests need the real server",
        pytrace=False,
    )


def _postgres_dirs() -> list[str]:
    # Debian installs each major version under /usr/lib/postgresql/N/bin, off PATH.
    return sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)


def _as_unprivileged(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: under root, run it as the `postgres` (or nobody) user."""
    if os.geteuid() != 0:
        return command
    for user in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--", *command]
    pytest.fail("running as root and no unprivileged user to run PostgreSQL as", pytrace=False)


def _owner_for_root(path: Path) -> None:
    if os.geteuid() != 0:
        return
    for user in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(user)
            for p in (path, *path.rglob("*")):
                os.chown(p, entry.pw_uid, entry.pw_gid)
            return


def _wait_for_port(port: int, proc: subprocess.Popen[bytes] | None, what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{what} exited at start (code {proc.returncode})", pytrace=False)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not listen on 127.0.0.1:{port} within {START_SECONDS}s", pytrace=False)


@dataclass(frozen=True)
class Postgres:
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres]:
    dirs = _postgres_dirs()
    initdb = find_binary("initdb", dirs)
    pg_ctl = find_binary("pg_ctl", dirs)
    find_binary("postgres", dirs)
    # Its own directory straight under /tmp: under root the server runs as another user, who
    # cannot enter pytest's private temporary tree.
    with tempfile.TemporaryDirectory(prefix="posture-pg-") as name:
        base = Path(name)
        _owner_for_root(base)
        yield from _run_postgres(initdb, pg_ctl, base)


def _run_postgres(initdb: str, pg_ctl: str, base: Path) -> Iterator[Postgres]:
    data = base / "data"
    port = free_port()
    user = "posture"
    subprocess.run(
        _as_unprivileged(
            [initdb, "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--no-sync"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
    subprocess.run(
        _as_unprivileged(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        _wait_for_port(port, None, "postgres")
        yield Postgres(port=port, user=user)
    finally:
        subprocess.run(
            _as_unprivileged([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )


@dataclass(frozen=True)
class Redis:
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextlib.contextmanager
def redis_server(base: Path) -> Iterator[Redis]:
    binary = find_binary("redis-server", [])
    base.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, proc, "redis-server")
        yield Redis(port=port)
    finally:
        proc.terminate()
        proc.wait(10)


def create_database(server: Postgres, name: str) -> str:
    """A fresh database on the session's server (one per test: no state shared between them)."""
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)
