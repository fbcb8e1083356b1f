"""The TLS demo: two local servers on 127.0.0.1 with certificates made for the run, one clean
(TLS 1.2 and 1.3, a trusted chain) and one with the defects probes find most (TLS 1.0 and 1.1
on, CBC suites with TLS 1.0, a 1024-bit RSA key, a certificate expiring in ten days)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from providers.demo.fakes.tls import TestCa, TlsServer
from scanner.config import PostureConfig
from scanner.config.tls import TlsTarget

DEMO_PORTS = (48443, 48444)
"""Fixed when free, so the demo's TLS findings keep their fingerprints from one run to the
next (a fingerprint names host:port); another demo running at the same time takes any port."""


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    ca = TestCa("posture demo CA")
    with tempfile.TemporaryDirectory(prefix="posture-tls-demo-") as tmp, ExitStack() as stack:
        clean = stack.enter_context(TlsServer(ca.issue(), port=DEMO_PORTS[0]))
        legacy = stack.enter_context(
            TlsServer(ca.issue(key="rsa1024", valid_days=10), minimum="TLSv1", port=DEMO_PORTS[1])
        )
        tls = config.tls.model_copy(
            update={
                "endpoints": tuple(
                    TlsTarget(host="localhost", port=s.port) for s in (clean, legacy)
                ),
                "ca_file": ca.write(Path(tmp) / "demo-ca.pem"),
            }
        )
        yield config.model_copy(update={"tls": tls})
