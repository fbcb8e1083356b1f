"""The progress display knows its total before jobs start and lets log lines through above it;
-v says what each collection cost; failures are one warning per cause; urllib3's retry
warnings are one line."""

from __future__ import annotations

import io
import logging
import sys
from concurrent.futures import Future
from typing import Any

import pytest
from rich.console import Console

from scanner import logs
from scanner.collection import Collection, Job, JobRun, Recorder, count_call, count_throttled
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.progress import TerminalProgress
from scanner.scan import report_collection_errors


class _Inv(Inventory):
    things: tuple[str, ...] = ()


def _collection(name: str) -> Collection[None]:
    return Collection(name=name, inventory=_Inv, fields=("things",), needs=None, fetch=lambda: ())


def _now(job: Job, work: Any) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result(work())
    return future


def test_total_is_planned_before_the_jobs_start() -> None:
    out = io.StringIO()
    progress = TerminalProgress(Console(file=out, force_terminal=True, width=120))
    seen_totals: list[int] = []

    def fetch(_: object) -> tuple[str, ...]:
        seen_totals.append(progress.total)
        return ()

    jobs = [Job(_collection(f"demo.c{i}"), None, fetch) for i in range(5)]
    recorder = Recorder(lambda c, s, e: CollectionOutcome(collection=c.name), progress)
    with progress:
        JobRun(_now, recorder).start(jobs)
    assert seen_totals == [5] * 5  # the first job already saw the whole total


def test_log_lines_go_to_the_current_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    logs.configure(logging.INFO, logs.LogFormat.TEXT)
    proxy = io.StringIO()  # what rich puts in sys.stderr while the display runs
    monkeypatch.setattr(sys, "stderr", proxy)
    logging.getLogger("posture.test").warning("above the display")
    assert "WARNING posture.test: above the display" in proxy.getvalue()


def test_verbose_logs_time_calls_and_throttles(caplog: pytest.LogCaptureFixture) -> None:
    def fetch(_: object) -> tuple[str, ...]:
        count_call()
        count_call()
        count_throttled()
        return ()

    recorder = Recorder(lambda c, s, e: CollectionOutcome(collection=c.name))
    with caplog.at_level(logging.INFO, logger="scanner.collection"):
        JobRun(_now, recorder).start([Job(_collection("demo.users"), "eu-west-1", fetch)])
    (line,) = [r.getMessage() for r in caplog.records if "demo.users" in r.getMessage()]
    assert line.startswith("demo.users eu-west-1: done in ")
    assert line.endswith(" s, 2 calls, 1 throttled")
    count_call()  # outside a job: counted nowhere, no error


def test_one_warning_per_cause(caplog: pytest.LogCaptureFixture) -> None:
    failed = [
        CollectionOutcome(
            collection=f"okta.c{i}", outcome=Outcome.ERROR, message=f"/api/v1/c{i}: ConnectError"
        )
        for i in range(10)
    ]
    denied = CollectionOutcome(
        collection="okta.logs",
        outcome=Outcome.ACCESS_DENIED,
        missing="okta.logs.read",
        message="E0000006",
    )
    inv = _Inv(provider="okta", account="acme.okta.com", outcomes=(*failed, denied))
    with caplog.at_level(logging.WARNING):
        report_collection_errors("okta", [inv])
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines
    assert (
        "10 collections failed the same way (okta.c0, okta.c1, okta.c2, okta.c3 and 6 more)"
        in (lines[0])
    )
    assert "needs okta.logs.read" in lines[1]


def test_urllib3_retry_warnings_are_one_line() -> None:
    err = io.StringIO()
    logs.configure(logging.WARNING, logs.LogFormat.TEXT, stream=err)
    pool = logging.getLogger("urllib3.connectionpool")
    for total in range(5, 0, -1):
        pool.warning(
            "Retrying (%r) after connection broken by '%r': %s",
            f"Retry(total={total})",
            "NewConnectionError",
            "/services/T0/secret",
        )
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "connection problem, retrying" in lines[0]
    assert "NewConnectionError" in lines[0] and "secret" not in lines[0]
