"""The edges a new user meets first: a SQLite --state for a brokered run, a broker or database
that is not there, a worker of another database, workers that never come. One line each,
the exit code the table says, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scanner.distributed.brokered import RUN_WAIT_ENV, RunWait
from scanner.distributed.celery_app import TASK, make_app
from scanner.distributed.runs import QUEUED, RunStore
from scanner.errors import RunNotFinishedError, UsageError
from scanner.exit_codes import ExitCode
from scanner.history.location import parse_state
from tests.distributed.support import posture
from tests.distributed.test_runs import _run

REFUSED_BROKER = "redis://:not-a-real-password@127.0.0.1:1/0"


def test_a_brokered_scan_refuses_a_sqlite_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = posture(
        "scan", "--provider", "aws", "--broker", "redis://127.0.0.1:6379/0",
        "--state", str(tmp_path / "h.db"),
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert "--broker needs --state postgresql://" in err and "Traceback" not in err


def test_an_unreachable_broker_is_one_line(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = posture("worker", "--broker", REFUSED_BROKER, "--state", pg_url)
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1 and "cannot reach the broker redis://127.0.0.1:1" in err
    assert "not-a-real-password" not in err


def test_an_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    state = "postgresql://posture:not-a-real-password@127.0.0.1:1/posture"
    code = posture("worker", "--broker", REFUSED_BROKER, "--state", state)
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1 and "history store" in err
    assert "not-a-real-password" not in err


def test_a_worker_leaves_a_job_of_another_database_alone(pg_url: str) -> None:
    with RunStore(parse_state(pg_url)) as store:
        job, _ = _run(store, "planned-here")
        app = make_app("memory://", parse_state(pg_url))
        # The same job id, sent by a planner whose --state is another database.
        assert app.tasks[TASK](job, "planned-elsewhere") == "missing"
        assert app.tasks[TASK](job + 1000, "planned-here") == "missing"
        assert store.job(job).status == QUEUED  # type: ignore[union-attr]


def test_the_planner_stops_waiting_at_its_deadline(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RUN_WAIT_ENV, "1")
    location = parse_state(pg_url)
    with RunStore(location) as store:
        _run(store, "nobody-came")
        wait = RunWait("nobody-came", time.monotonic() - 5, quiet=True)
        with pytest.raises(RunNotFinishedError, match=r"2 job\(s\) not finished") as raised:
            wait.check(store.jobs("nobody-came"), location)  # type: ignore[arg-type]
        assert raised.value.exit_code == ExitCode.PARTIAL
        assert "posture finalize --run-id nobody-came" in str(raised.value)
    assert not isinstance(raised.value, UsageError)


def test_bad_tls_input_is_refused_before_the_run_is_planned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The TLS probe of a distributed run happens at finalize, when the stored plan can no
    longer change: a CA file without a certificate is said when the run is planned, and no
    run is made."""
    state = tmp_path / "h.db"
    (tmp_path / "empty.pem").write_text("not a certificate\n")
    code = posture(
        "scan", "--provider", "tls", "--tls-endpoint", "www.example.com:443",
        "--tls-ca-file", str(tmp_path / "empty.pem"),
        "--shard", "1/1", "--run-id", "r", "--state", str(state),
    )  # fmt: skip
    assert code == ExitCode.USAGE
    assert "no PEM certificate in it" in capsys.readouterr().err
    with RunStore(parse_state(str(state))) as store:
        assert store.run("r") is None
