"""One lab of local TLS servers per session, probed once: each defect beside a clean twin.

sslyze tests every protocol version and suite of every server, which takes seconds; the
session probes them all at once and the tests read the one inventory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from checks.tls import CHECKS
from providers.demo.fakes.tls import HungServer, TestCa, TlsServer, refused_port
from providers.tls.adapter import TlsProvider
from scanner.check import CheckContext, CheckResult
from scanner.config import PostureConfig
from scanner.config.tls import TlsConfig, TlsTarget
from scanner.engine import evaluate_check
from scanner.inventory.aws import AwsInventory
from scanner.inventory.common import TlsEndpoint
from scanner.inventory.tls import TlsInventory
from scanner.models.enums import Status
from scanner.providers import CollectRequest

CONNECT_TIMEOUT = 2


@dataclass
class Lab:
    ca_file: Path
    endpoints: dict[str, str]
    """Server name -> HOST:PORT."""
    config: PostureConfig
    inventory: TlsInventory
    results: list[tuple[str, CheckResult]]
    probe_seconds: float

    def verdicts(self, server: str) -> dict[str, Status]:
        """check id -> status of the results about `server`."""
        key = self.endpoints[server]
        return {
            check: r.status for check, r in self.results if r.resource.uid == key or r.region == key
        }

    def failing(self, server: str) -> set[str]:
        return {c for c, s in self.verdicts(server).items() if s is Status.FAIL}


def lab_servers(ca: TestCa) -> dict[str, TlsServer]:
    return {
        "clean": TlsServer(ca.issue()),
        "clean_ec": TlsServer(ca.issue(key="ec256")),
        "tls10": TlsServer(ca.issue(), minimum="TLSv1"),
        "expired": TlsServer(ca.issue(expired=True)),
        "expiring": TlsServer(ca.issue(valid_days=10)),
        "self_signed": TlsServer(ca.issue(self_signed=True)),
        "wrong_name": TlsServer(ca.issue(("other.example",))),
        "rsa1024": TlsServer(ca.issue(key="rsa1024")),
        "sha1": TlsServer(ca.issue(sha1=True)),
        "weak_suite": TlsServer(
            ca.issue(), maximum="TLSv1.2", ciphers="NULL-SHA256:AES128-GCM-SHA256"
        ),
        "no_hsts": TlsServer(ca.issue(), hsts=False),
        # nothing but weak suites: sslyze's own handshake refuses them, the fallback does not
        "null_only": TlsServer(ca.issue(), maximum="TLSv1.2", ciphers="NULL-SHA256"),
        "anon_only": TlsServer(ca.issue(), maximum="TLSv1.2", ciphers="aNULL"),
    }


TLS13_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def cloud_inventory(servers: dict[str, TlsServer]) -> AwsInventory:
    """An account whose HTTPS listeners, by their policy, allow TLS 1.2+ only: one is the
    clean server, one the TLS 1.0 server (the configuration and the wire disagree); the HTTP
    listener is not a TLS endpoint and is not probed."""

    def listener(name: str, port: int, protocol: str = "HTTPS") -> TlsEndpoint:
        return TlsEndpoint(
            uid=f"arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/{name}",
            name=f"{name}:{port}",
            kind="elbv2-listener",
            region="eu-west-1",
            host="localhost",
            port=port,
            policy=TLS13_POLICY if protocol == "HTTPS" else None,
            protocols=("TLSv1.2", "TLSv1.3") if protocol == "HTTPS" else (),
            listener_protocol=protocol,
        )

    return AwsInventory(
        account="123456789012",
        elbv2_endpoints=(
            listener("web", servers["clean"].port),
            listener("legacy", servers["tls10"].port),
            listener("plain", 9, "HTTP"),
        ),
    )


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    ca = TestCa()
    ca_file = ca.write(tmp_path_factory.mktemp("tls-lab") / "ca.pem")
    servers = lab_servers(ca)
    hung = HungServer()
    for server in (*servers.values(), hung):
        server.__enter__()
    try:
        endpoints = {name: s.endpoint for name, s in servers.items()}
        endpoints["hung"] = hung.endpoint
        endpoints["refused"] = f"localhost:{refused_port()}"
        tls = TlsConfig(
            endpoints=tuple(TlsTarget.model_validate(e) for e in endpoints.values()),
            ca_file=ca_file,
            connect_timeout_seconds=CONNECT_TIMEOUT,
            check_hsts=True,
        )
        config = PostureConfig(tls=tls.model_copy(update={"probe_cloud": True}))
        now = datetime.now(UTC)
        started = datetime.now(UTC)
        request = CollectRequest(
            config=config,
            collections=frozenset({"tls.endpoints"}),
            now=now,
            inventories=(cloud_inventory(servers),),
        )
        (inventory,) = TlsProvider(config).collect(request)
        seconds = (datetime.now(UTC) - started).total_seconds()
        assert isinstance(inventory, TlsInventory)
        ctx = CheckContext(now=now, config=config)
        results = [
            (check.id, r)
            for check in CHECKS
            if check.runs_with(config)
            for r in evaluate_check(check, inventory, ctx)
        ]
        yield Lab(ca_file, endpoints, config, inventory, results, seconds)
    finally:
        for server in (*servers.values(), hung):
            server.__exit__(None, None, None)
