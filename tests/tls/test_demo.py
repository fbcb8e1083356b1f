"""The TLS demo names its endpoints the same way every run, so its findings keep their
fingerprints from one demo to the next (one problem, one ticket)."""

from __future__ import annotations

from providers.tls.demo import demo_environment
from scanner.config import PostureConfig


def _endpoints() -> list[str]:
    with demo_environment(PostureConfig()) as config:
        return [f"{t.host}:{t.port}" for t in config.tls.endpoints]


def test_two_demo_runs_probe_the_same_endpoints() -> None:
    first = _endpoints()
    assert first == _endpoints()
    assert len(set(first)) == 2
