"""The TLS provider adapter: probes every target on a bounded pool under one deadline.

Each HOST:PORT is one scope of `tls.endpoints`: an endpoint that cannot be probed (no address,
a refused or silent port, a probe past its time) is an error for that endpoint alone, and the
scan is partial. Probes run `max_parallel_endpoints` at a time, each with at most
`connections_per_host` connections open (sslyze's own limit); one that runs past
`endpoint_timeout_seconds`, or anything unfinished at `scan_timeout_seconds`, is recorded as
an error and left behind (its sockets have their own timeouts).
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime
from pathlib import Path

from cryptography import x509

from providers.tls.collections import ENDPOINTS, probe
from providers.tls.probe import ProbeTarget
from providers.tls.targets import probe_targets
from scanner.collection import AnyCollection, Deadline, Recorder
from scanner.config import PostureConfig
from scanner.config.tls import TlsConfig
from scanner.errors import UsageError
from scanner.inventory.tls import TlsInventory
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest

POLL_SECONDS = 0.2


def _classify(collection: AnyCollection, scope: str | None, exc: Exception) -> CollectionOutcome:
    return CollectionOutcome(
        collection=collection.name,
        scope=scope,
        outcome=Outcome.ERROR,
        message=f"unexpected {type(exc).__name__} while probing {scope}",
    )


def check_ca_file(path: Path | None) -> None:
    """A CA file that is missing or holds no PEM certificate is bad input, said up front."""
    if path is None:
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"tls CA file {path}: {exc.strerror or exc}") from None
    try:
        found = x509.load_pem_x509_certificates(data)
    except ValueError:
        found = []
    if not found:
        raise UsageError(f"tls CA file {path}: no PEM certificate in it")


def preflight(posture: PostureConfig) -> None:
    """Bad input said before anything is probed (or, in a distributed run, planned)."""
    config = posture.tls
    check_ca_file(config.ca_file)
    if not config.probe_cloud and not probe_targets(config):
        raise UsageError(
            "the tls provider needs endpoints: --tls-endpoint HOST[:PORT] (repeatable), "
            "tls.endpoints in the config, or --probe-tls with a cloud provider"
        )


def run_probes(
    targets: list[ProbeTarget], config: TlsConfig, now: datetime, recorder: Recorder
) -> None:
    deadline = Deadline(config.scan_timeout_seconds)
    pool = ThreadPoolExecutor(config.max_parallel_endpoints, thread_name_prefix="posture-tls")
    started: dict[str, float] = {}

    def work(target: ProbeTarget) -> None:
        key = target.target.key
        started[key] = time.monotonic()
        recorder.attempt(ENDPOINTS, key, lambda: probe(target, config, now), f"tls {key}")

    pending: dict[Future[None], ProbeTarget] = {pool.submit(work, t): t for t in targets}
    try:
        while pending and deadline.remaining() > 0:
            done, _ = wait(
                pending,
                timeout=min(POLL_SECONDS, deadline.remaining()),
                return_when=FIRST_COMPLETED,
            )
            for future in done:
                pending.pop(future)
            late = [
                f
                for f, t in pending.items()
                if time.monotonic() - started.get(t.target.key, time.monotonic())
                > config.endpoint_timeout_seconds
            ]
            for future in late:
                key = pending.pop(future).target.key
                recorder.add(
                    CollectionOutcome(
                        collection=ENDPOINTS.name,
                        scope=key,
                        outcome=Outcome.ERROR,
                        message=f"the probe of {key} did not finish within "
                        f"{config.endpoint_timeout_seconds:g} s",
                    )
                )
        recorder.past_deadline(deadline, [(ENDPOINTS, t.target.key) for t in pending.values()])
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


class TlsProvider:
    def __init__(self, config: PostureConfig) -> None:
        self.config = config

    def collect(self, request: CollectRequest) -> list[Inventory]:
        config = request.config.tls
        preflight(request.config)
        cloud = request.inventories if config.probe_cloud else ()
        targets = probe_targets(config, cloud)
        recorder = Recorder(_classify, request.progress)
        recorder.declare(COLLECTIONS_READ)
        if ENDPOINTS.name in request.collections:
            run_probes(targets, config, request.now, recorder)
        # A late probe may still record after the deadline; the inventory is what was known.
        collected = recorder.result.snapshot()
        fields = collected.fields()
        return [
            TlsInventory(
                account=config.name,
                scopes=tuple(t.target.key for t in targets),
                outcomes=tuple(collected.outcomes),
                **fields,
            )
        ]


COLLECTIONS_READ = (ENDPOINTS,)
