"""End to end through `posture` with the embedded demo account (moto, in-process)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from checks.registry import all_checks, select_checks
from providers.aws.demo import DEMO_REGIONS, demo_environment
from providers.demo.fakes.jira import FakeJira
from scanner.cli import main
from scanner.commands.finish import finish_scan, nightly_options
from scanner.config import PostureConfig, load_config
from scanner.models.enums import Severity
from scanner.output import Format, render
from scanner.scan import ScanPlan, run_scan
from scanner.sinks.jira import fingerprint_label

ROOT = Path(__file__).resolve().parents[2]
KEYS = "aws.iam.user_multiple_active_keys"
TOKEN = "jira-token-for-tests-only"


@pytest.fixture(autouse=True)
def _no_report_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto answers STARTED once before COMPLETE; the collector's 2 s poll is dead time here."""
    monkeypatch.setattr("providers.aws.collectors.iam.time.sleep", lambda _: None)


@pytest.fixture(scope="module")
def demo_account() -> Iterator[PostureConfig]:
    """One seeded demo account (moto, in-process) for the read-only tests of this module;
    `posture scan --provider aws` reaches it like a real account. Seeding takes seconds."""
    with demo_environment(PostureConfig()) as config:
        yield config


SCAN = ("scan", "--provider", "aws", *(a for r in DEMO_REGIONS for a in ("--region", r)))


def posture(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def failing(doc: dict[str, object]) -> list[str]:
    # A probed endpoint is named HOST:PORT, and of two demos running at once only the first
    # gets the demo's fixed TLS ports: the other's TLS findings are named differently.
    return sorted(
        f["fingerprint"]  # type: ignore[index]
        for f in doc["findings"]  # type: ignore[attr-defined]
        if f["status"] == "fail" and f["provider"] != "tls"  # type: ignore[index]
    )


def test_two_overlapping_processes_same_fingerprints_no_duplicates(tmp_path: Path) -> None:
    """Two cron runs at once, one history file: both land whole, fingerprints agree."""
    state = tmp_path / "history.sqlite3"
    outs = [tmp_path / f"scan{n}.json" for n in (1, 2)]
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from scanner.cli import main; main()",
                "scan",
                "--demo",
                "--state",
                str(state),
                "--output",
                f"json={out}",
                "--quiet",
            ],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    for run in runs:
        stdout, stderr = run.communicate(timeout=120)
        # failing findings, not partial (the demo's disabled Cloud SQL API is no gap)
        assert run.returncode == 1, stderr
        assert stdout == ""
    docs = [json.loads(out.read_text()) for out in outs]
    for doc in docs:
        prints = [f["fingerprint"] for f in doc["findings"]]
        assert len(prints) == len(set(prints))
    assert failing(docs[0]) == failing(docs[1]) and failing(docs[0])
    earliest = min(doc["scan"]["started_at"] for doc in docs)
    for doc in docs:
        for f in doc["findings"]:
            assert f["last_seen"] == doc["scan"]["started_at"]
    # Whichever run recorded second dates each open problem from the earlier start.
    first_seen = [{f["first_seen"] for f in d["findings"] if f["status"] == "fail"} for d in docs]
    assert {earliest} in first_seen
    db = sqlite3.connect(state)
    assert db.execute("SELECT COUNT(*) FROM scans").fetchone() == (2,)


def test_fixing_a_problem_shows_as_resolved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with demo_environment(PostureConfig()) as config:
        plan = ScanPlan(("aws",), select_checks(all_checks(), ("aws",)), config)
        before = run_scan(plan)
        iam = boto3.client("iam")
        key = iam.list_access_keys(UserName="bob")["AccessKeyMetadata"][1]["AccessKeyId"]
        iam.delete_access_key(UserName="bob", AccessKeyId=key)
        after = run_scan(plan)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(render(before, Format.JSON))
    new.write_text(render(after, Format.JSON))
    code, out, _ = posture(capsys, "diff", str(old), str(new), "--format", "json")
    changes = json.loads(out)
    assert code == 0
    assert [f["check_id"] for f in changes["resolved"]] == [KEYS]
    still = len(failing(json.loads(old.read_text()))) - 1
    assert changes["new"] == [] and len(changes["unchanged"]) == still
    code, out, _ = posture(capsys, "diff", str(old), str(new))
    assert "Resolved (1)" in out and f"0 new, 1 resolved, {still} unchanged" in out


def test_since_last_history_and_outputs(
    demo_account: PostureConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "h.db")
    code, out, err = posture(
        capsys,
        *SCAN,
        "--state",
        state,
        "--format",
        "json",
        "--output",
        str(tmp_path / "plain.json"),
        "--output",
        f"sarif={tmp_path / 'r.sarif'}",
        "--output",
        f"csv={tmp_path / 'r.csv'}",
    )
    first = json.loads((tmp_path / "plain.json").read_text())
    open_now = len(failing(first))
    assert code == 1 and out == "" and f"{open_now} fail" in err
    assert first["schema_version"] == "1.2.0"
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    code, out, _ = posture(capsys, *SCAN, "--state", state, "--since-last", "--format", "json")
    changes = json.loads(out)
    counts = (len(changes["new"]), len(changes["resolved"]), len(changes["unchanged"]))
    assert counts == (0, 0, open_now)
    code, out, _ = posture(capsys, "history", "--state", state, "--format", "json")
    assert [s["id"] for s in json.loads(out)] == [2, 1]
    code, out, _ = posture(capsys, "history", "--state", state, "show", "1")
    assert json.loads(out)["scan"]["summary"]["by_status"]["fail"] == open_now


def test_live_waiver_mutes_expired_warns(
    demo_account: PostureConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "posture.yaml"
    config.write_text(
        "suppressions:\n"
        f"  - check: {KEYS}\n    resource: '*bob*'\n    reason: key migration, SEC-12\n"
        "    owner: secops\n    expires: 2999-12-31\n"
        "  - check: aws.iam.user_has_admin\n    resource: alice\n    reason: old exception\n"
        "    owner: it\n    expires: 2020-01-01\n"
        "  - check: aws.iam.user_console_without_mfa\n    resource: nobody\n    reason: gone\n"
        "    owner: it\n    expires: 2999-01-01\n"
    )
    code, out, err = posture(
        capsys,
        "--log-format",
        "json",
        *SCAN,
        "--config",
        str(config),
        "--no-history",
        "--format",
        "json",
        "--quiet",
    )
    doc = json.loads(out)
    keys = next(f for f in doc["findings"] if f["check_id"] == KEYS and f["status"] != "pass")
    assert keys["status"] == "muted" and keys["waiver"]["reason"] == "key migration, SEC-12"
    admin = [f for f in doc["findings"] if f["check_id"] == "aws.iam.user_has_admin"]
    assert {f["resource"]["name"]: f["status"] for f in admin}["alice"] == "fail"
    logs = [json.loads(line) for line in err.splitlines()]  # every stderr line is JSON
    warnings = " ".join(e["message"] for e in logs if e["level"] == "warning")
    assert "suppressions.1" in warnings and "expired on 2020-01-01" in warnings
    assert "suppressions.2" in warnings and "stale" in warnings
    assert "suppressions.0" not in warnings
    assert any(e["level"] == "info" and e["message"].startswith("Scanned") for e in logs)
    code, out, _ = posture(capsys, "waivers", "--config", str(config), "--format", "json")
    states = [w["state"] for w in json.loads(out)["waivers"]]
    assert code == 0 and states == ["live", "expired", "live"]


def test_quiet_success_prints_nothing(
    demo_account: PostureConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = posture(
        capsys,
        *SCAN,
        "--check",
        KEYS,
        "--fail-on",
        "critical",
        "--quiet",
        "--state",
        str(tmp_path / "h.db"),
        "--output",
        f"json={tmp_path / 'o.json'}",
    )
    assert (code, out, err) == (0, "", "")


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("fail_on: severe\n", "fail_on: Input should be"),
        ("histroy: {}\n", "histroy: unknown key"),
        ("suppressions:\n  - check: x\n", "suppressions.0.reason: Field required"),
        ("outputs:\n  - {format: pdf, path: x}\n", "outputs.0.format"),
        ("sinks: {jira: {url: u, project: SEC, email: e, token: s3cr3t}}\n", "never inline"),
        ("providers: [aws\n", "not valid YAML"),
        (
            "okta: {max_concurrency: 2}\n",
            "okta.max_concurrency was renamed: use okta.max_requests_in_flight",
        ),
        ("gcp: {max_workers: 2}\n", "gcp.max_workers was renamed: use gcp.max_requests_in_flight"),
        ("azuread: {timeout_seconds: 9}\n", "use azuread.call_timeout_seconds"),
        ("okta: {request_timeout_seconds: 9}\n", "use okta.call_timeout_seconds"),
        ("sinks: {webhook: {max_retries: 2}}\n", "use sinks.webhook.max_attempts (tries in all"),
        ("sinks: {slack: {url: u}}\n", "sinks.slack: unknown key"),
    ],
)
def test_malformed_config_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml_text: str, expected: str
) -> None:
    config = tmp_path / "posture.yaml"
    config.write_text(yaml_text)
    code, out, err = posture(capsys, *SCAN, "--config", str(config))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and expected in err, err
    assert "s3cr3t" not in err


@pytest.fixture()
def fake_jira(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv("JIRA_TOKEN", TOKEN)
    fake = FakeJira(token=TOKEN, page_size=3)
    with fake.server:
        yield fake


def test_three_nightly_runs_one_jira_issue_per_problem(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fake_jira: FakeJira,
    demo_account: PostureConfig,
) -> None:
    """The scan command's delivery path, three times over one seeded demo account."""
    path = tmp_path / "posture.yaml"
    path.write_text(
        f"sinks:\n  jira:\n    url: {fake_jira.url}\n    project: SEC\n"
        "    email: bot@example.com\n    token: {env: JIRA_TOKEN}\n"
    )
    out = tmp_path / "o.json"
    config = load_config(path).model_copy(update={"aws": demo_account.aws})
    checks = select_checks(all_checks(), ("aws",))
    opts = nightly_options(
        config,
        Format.TABLE,
        (f"json={out}",),
        tmp_path / "h.db",
        False,
        False,
        ("jira",),
        tuple(c.id for c in checks),
    )
    plan = ScanPlan(("aws",), checks, config)
    for _ in range(3):
        code = finish_scan(run_scan(plan), config, opts, Format.TABLE, False, Severity.LOW, True)
        assert code == 1, capsys.readouterr().err
    doc = json.loads(out.read_text())
    assert len(fake_jira.issues) == len(failing(doc)) > 0
    for fp in failing(doc):
        assert len(fake_jira.by_label(fingerprint_label(fp))) == 1
    searches = [p for m, p in fake_jira.server.requests if "/search" in p]
    assert any("startAt=3" in p for p in searches)  # paginated past the first page


def test_sink_failure_exit_4_results_kept(
    demo_account: PostureConfig,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fake_jira: FakeJira,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIRA_TOKEN", "not-the-right-token")
    config = tmp_path / "posture.yaml"
    config.write_text(
        f"sinks:\n  deliver: true\n  jira:\n    url: {fake_jira.url}\n    project: SEC\n"
        "    email: bot@example.com\n    token: {env: JIRA_TOKEN}\n"
    )
    code, _, err = posture(
        capsys,
        *SCAN,
        "--config",
        str(config),
        "--state",
        str(tmp_path / "h.db"),
        "--output",
        f"json={tmp_path / 'o.json'}",
        "--quiet",
    )
    assert code == 4
    assert "jira failed: jira: HTTP 401" in err and "not-the-right-token" not in err
    assert failing(json.loads((tmp_path / "o.json").read_text()))
    code, out, _ = posture(capsys, "history", "--state", str(tmp_path / "h.db"), "--format", "json")
    assert len(json.loads(out)) == 1


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--output", "json=/nonexistent-dir/x.json"), "directory /nonexistent-dir does not exist"),
        (("--since-last", "--no-history"), "drop --no-history"),
        (("--ticket", "jira"), "needs a sinks.jira section"),
        (("--ticket", "servicenow"), "unknown sink 'servicenow'"),
        (("--format", "pdf"), "unknown format 'pdf'"),
        (("--log-format", "xml"), "unknown log format 'xml'"),
    ],
)
def test_bad_delivery_options_fail_before_scanning(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], expected: str
) -> None:
    code, out, err = posture(capsys, *SCAN, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and expected in err, err


def test_json_log_format_applies_to_the_final_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = posture(capsys, "--log-format", "json", *SCAN, "--ticket", "jira")
    entry = json.loads(err)
    assert code == 2 and entry["level"] == "error" and entry["exit_code"] == 2


def test_history_commands_on_an_empty_or_missing_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "none.db")
    code, out, _ = posture(capsys, "history", "--state", state, "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, out, err = posture(capsys, "history", "--state", state, "show", "7")
    assert code == 2 and "no history" in err
    code, out, err = posture(capsys, "diff", state, state)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_locked_history_exit_4_results_kept(
    demo_account: PostureConfig,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scanner.history import store

    state = tmp_path / "h.db"
    store.HistoryStore(state).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(state, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another run stuck mid-write
    try:
        code, _, err = posture(
            capsys, *SCAN, "--state", str(state), "--output", f"json={tmp_path / 'o.json'}", "-q"
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 4 and "history not recorded" in err
    assert failing(json.loads((tmp_path / "o.json").read_text()))


def test_state_that_is_a_directory_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = posture(capsys, *SCAN, "--state", str(tmp_path))
    assert code == 2 and "is a directory" in err
