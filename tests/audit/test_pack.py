"""The evidence pack of a half year of nightly scans: every number read back from the files.

The history (tests/audit/history.py) is imported from documents with `posture history
import`, packed with `posture audit`, and checked with `posture audit verify`, as an auditor's
tooling would.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import shutil
import sqlite3
import warnings
import zipfile
from pathlib import Path

import pytest
import yaml

from scanner.commands.audit import catalogue
from scanner.exit_codes import ExitCode
from tests.audit.conftest import posture
from tests.audit.history import (
    BUCKET,
    KEY_AGE,
    MFA,
    ROOT,
    ROTATION,
    WAIVER,
    day,
    night,
)

WINDOW = ("--from", "2026-01-01", "--to", "2026-06-29")


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "posture.yaml"
    waiver = WAIVER.model_dump(mode="json", exclude_none=True)
    path.write_text(yaml.safe_dump({"suppressions": [waiver]}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory, imported: Path) -> Path:
    tmp = tmp_path_factory.mktemp("pack")
    out = tmp / "pack.zip"
    with pytest.raises(SystemExit) as done:
        from scanner.cli import main

        main(
            [
                "audit",
                *WINDOW,
                "--state",
                str(imported),
                "--config",
                str(_config(tmp)),
                "--output",
                str(out),
            ]
        )
    assert done.value.code == 0
    return out


def _read(pack: Path, name: str) -> str:
    with zipfile.ZipFile(pack) as z:
        return z.read(name).decode("utf-8")


def _csv(pack: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read(pack, name))))


def test_window_json_counts_days_and_checks(pack: Path) -> None:
    window = json.loads(_read(pack, "window.json"))
    assert (window["from"], window["to"], window["scopes"]) == (
        "2026-01-01",
        "2026-06-29",
        ["aws:111122223333"],
    )
    days = window["days"]
    assert len(days) == 180 and window["scans"] == 177
    assert [d["date"] for d in days if not d["scans"]] == ["2026-02-10", "2026-02-11", "2026-04-11"]
    assert [d["date"] for d in days if d["scans"] and not d["complete"]] == [
        "2026-03-02",
        "2026-03-03",
    ]
    assert sum(1 for d in days if d["complete"]) == 175
    assert days[0]["scans"] == [night(0).scan.id]
    checks = {c["check_id"]: c for c in window["checks"]}
    assert set(checks) == {BUCKET, KEY_AGE, MFA, ROOT, ROTATION}

    def counts(check: str) -> tuple[int, int, int, int]:
        c = checks[check]
        return (
            c["days_evaluated"],
            c["days_failing"],
            c["days_not_evaluated"],
            c["days_without_scan"],
        )

    # bob fails on days 10..54: 45 days, two of them (40, 41) without a scan.
    assert counts(MFA) == (175, 43, 2, 3)
    assert counts(ROOT) == (177, 5, 0, 3)
    # Waived (muted) through 2026-03-31, failing from April 1: not failing while waived.
    assert counts(ROTATION) == (177, 89, 0, 3) and checks[ROTATION]["days_waived"] == 88
    assert counts(BUCKET) == (177, 0, 0, 3)
    # The criteria come from the check's own metadata (one mapping, in one place).
    assert checks[ROTATION]["soc2"] == list(catalogue()[ROTATION])
    assert window["exceptions"] == {"total": 3, "open": 1, "outside_sla": 2}
    assert window["chain"]["verified"] is True and window["signature"] is None


def test_exceptions_csv_has_every_episode_with_its_sla(pack: Path) -> None:
    rows = _csv(pack, "exceptions.csv")
    assert list(rows[0]) == [
        "fingerprint",
        "check_id",
        "account",
        "resource",
        "severity",
        "first_failed",
        "resolved",
        "days_open",
        "sla_days",
        "within_sla",
    ]
    got = [
        (
            r["check_id"],
            r["resource"].rsplit("/", 1)[-1].rsplit(":", 1)[-1],
            r["severity"],
            r["first_failed"],
            r["resolved"],
            r["days_open"],
            r["sla_days"],
            r["within_sla"],
        )
        for r in rows
    ]
    assert got == [
        (ROTATION, "k1", "medium", "2026-01-01T02:00:00+00:00", "", "179", "90", "false"),
        (
            MFA,
            "bob",
            "high",
            "2026-01-11T02:00:00+00:00",
            "2026-02-25T02:00:00+00:00",
            "45",
            "30",
            "false",
        ),
        (
            ROOT,
            "root",
            "critical",
            "2026-03-12T02:00:00+00:00",
            "2026-03-17T02:00:00+00:00",
            "5",
            "7",
            "true",
        ),
    ]


def test_waivers_csv_lists_the_waiver_that_expired_inside_the_window(pack: Path) -> None:
    (row,) = _csv(pack, "waivers.csv")
    assert row["source"] == "config" and row["check"] == ROTATION and row["resource"] == "k1"
    assert (row["owner"], row["approved_by"], row["approved_on"], row["expires"]) == (
        "secops@example.com",
        "ciso@example.com",
        "2025-12-15",
        "2026-03-31",
    )
    assert row["expired_in_window"] == "true"
    assert (row["first_applied"], row["last_applied"], row["findings_muted"]) == (
        "2026-01-01T02:00:00+00:00",
        "2026-03-31T02:00:00+00:00",
        "1",
    )


def test_populations_first_last_joiners_and_leavers(pack: Path) -> None:
    def names(name: str) -> list[str]:
        return [r["name"] for r in _csv(pack, f"populations/{name}")]

    assert names("human_users-first.csv") == ["alice", "bob", "carol"]
    assert names("human_users-last.csv") == ["alice", "bob", "dave"]
    changes = _csv(pack, "populations/human_users-changes.csv")
    # The partial days (their credential report was denied) make nobody leave.
    assert [(c["date"], c["change"], c["name"], c["source_scan"]) for c in changes] == [
        ("2026-02-20", "joined", "dave", night(50).scan.id),
        ("2026-05-01", "left", "carol", night(120).scan.id),
    ]
    assert names("credentials-last.csv") == ["bob key 1"]
    assert names("data_stores-first.csv") == ["acme-logs"]
    first = _csv(pack, "populations/human_users-first.csv")
    assert {r["source_scan"] for r in first} == {night(0).scan.id}


def test_pack_holds_the_raw_scans_the_chain_and_a_manifest_of_all(pack: Path) -> None:
    with zipfile.ZipFile(pack) as z:
        names = set(z.namelist())
        scans = sorted(n for n in names if n.startswith("scans/"))
        assert len(scans) == 177
        manifest = _csv(pack, "manifest.csv")
        assert {m["path"] for m in manifest} == names - {"manifest.csv"}
        for m in manifest:
            assert int(m["bytes"]) == len(z.read(m["path"]))
    chain = _csv(pack, "chain.csv")
    assert len(chain) == 177 and all(r["in_window"] == "true" for r in chain)
    assert all(b["prev_hash"] == a["record_hash"] for a, b in itertools.pairwise(chain))


def test_verify_passes_on_the_pack(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = posture(capsys, "audit", "verify", str(pack))
    assert code == ExitCode.OK
    assert "all 197 files match the manifest" in out


def _rewrite(source: Path, target: Path, name: str, change: bytes | None) -> None:
    """A copy of the pack with one member changed (None: left out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == name:
                if change is None:
                    continue
                data = change
            new.writestr(info, data)


def test_one_changed_byte_is_named(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _read(pack, "exceptions.csv").encode()
    at = text.index(b",45,")
    tampered = tmp_path / "tampered.zip"
    _rewrite(pack, tampered, "exceptions.csv", text[:at] + b",44," + text[at + 4 :])
    code, _, err = posture(capsys, "audit", "verify", str(tampered))
    assert code == ExitCode.TAMPERED == 5
    assert err.strip().endswith(
        "exceptions.csv: its SHA-256 or size does not match the manifest"
    ), err
    assert len(err.strip().splitlines()) == 1


def test_a_scan_left_out_of_the_pack_breaks_the_chain(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Removing a raw scan and its lines from the manifest and chain.csv is still visible."""
    chain = _read(pack, "chain.csv").splitlines(keepends=True)
    victim = chain[31]
    document = victim.rstrip("\r\n").rsplit(",", 1)[1]
    cut = tmp_path / "cut.zip"
    step = tmp_path / "step.zip"
    _rewrite(pack, step, document, None)
    _rewrite(step, cut, "chain.csv", "".join(chain[:31] + chain[32:]).encode())
    manifest = _read(pack, "manifest.csv").splitlines(keepends=True)
    kept = [line for line in manifest if not line.startswith((document, "chain.csv"))]
    digest = hashlib.sha256("".join(chain[:31] + chain[32:]).encode()).hexdigest()
    size = len("".join(chain[:31] + chain[32:]).encode())
    kept.append(f"chain.csv,{digest},{size}\r\n")
    _rewrite(cut, step, "manifest.csv", "".join(kept).encode())
    code, _, err = posture(capsys, "audit", "verify", str(step))
    assert code == ExitCode.TAMPERED
    assert "chain.csv: scan" in err and "does not follow the scan before it" in err


def test_history_verify_names_a_removed_an_edited_and_a_corrupt_scan(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "history.sqlite3"
    shutil.copy(imported, state)
    code, out, _ = posture(capsys, "history", "verify", "--state", str(state))
    assert code == ExitCode.OK and "177 of 177 scans chained" in out

    db = sqlite3.connect(state)
    ids = [r[0] for r in db.execute("SELECT id FROM scans ORDER BY id")]
    db.execute("DELETE FROM scans WHERE id = ?", (ids[30],))
    db.execute("UPDATE scans SET partial = 1 - partial WHERE id = ?", (ids[80],))
    db.execute(
        "UPDATE findings SET body = X'00' WHERE scan_id = ? AND rowid = "
        "(SELECT min(rowid) FROM findings WHERE scan_id = ?)",
        (ids[120], ids[120]),
    )
    db.commit()
    db.close()
    code, _, err = posture(capsys, "history", "verify", "--state", str(state))
    assert code == ExitCode.TAMPERED
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert f"scan {ids[31]} " in lines[0] and f"is not scan {ids[29]}'s record hash" in lines[0]
    assert f"scan {ids[80]} " in lines[1] and "does not match its record hash" in lines[1]
    assert f"scan {ids[120]} " in lines[2] and "cannot be read" in lines[2]

    # A pack of the window shows the break: window.json says so, and verify fails.
    out_pack = tmp_path / "pack.zip"
    code, _, err = posture(
        capsys, "audit", *WINDOW, "--state", str(state), "--output", str(out_pack)
    )
    assert code == ExitCode.TAMPERED and "does not verify" in err
    window = json.loads(_read(out_pack, "window.json"))
    assert window["chain"]["verified"] is False and len(window["chain"]["problems"]) == 3
    code, _, err = posture(capsys, "audit", "verify", str(out_pack))
    assert (code == ExitCode.TAMPERED and "chain.csv" in err) or "scans/" in err


def test_dates_and_missing_history_are_one_line_exit_2(
    tmp_path: Path, imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "p.zip")
    cases = [
        (("--from", "2026-13-01", "--to", "2026-06-29", "--state", str(imported)), "--from"),
        (("--from", "2026-06-30", "--to", "2026-06-29", "--state", str(imported)), "after"),
        ((*WINDOW, "--state", str(tmp_path / "none.sqlite3")), "no history"),
        (("--from", "2026-01-01", "--state", str(imported)), "--to"),
    ]
    for args, words in cases:
        code, _, err = posture(capsys, "audit", *args, "--output", out)
        assert code == ExitCode.USAGE, args
        assert len(err.strip().splitlines()) == 1 and words in err, err
    assert not (tmp_path / "p.zip").exists()
    code, _, err = posture(capsys, "audit", "verify", str(tmp_path / "missing.zip"))
    assert code == ExitCode.USAGE and "no such file" in err
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    code, _, err = posture(capsys, "audit", "verify", str(tmp_path / "junk.zip"))
    assert code == ExitCode.TAMPERED and "not a readable zip" in err


def test_days_are_utc_calendar_days(pack: Path) -> None:
    window = json.loads(_read(pack, "window.json"))
    assert window["day"] == "UTC calendar day"
    assert window["days"][59]["date"] == day(59).isoformat() == "2026-03-01"


def test_a_pack_without_its_chain_is_refused(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step, cut = tmp_path / "step.zip", tmp_path / "cut.zip"
    _rewrite(pack, step, "chain.csv", None)
    manifest = _read(pack, "manifest.csv").splitlines(keepends=True)
    kept = "".join(line for line in manifest if not line.startswith("chain.csv,"))
    _rewrite(step, cut, "manifest.csv", kept.encode())
    code, _, err = posture(capsys, "audit", "verify", str(cut))
    assert code == ExitCode.TAMPERED and "chain.csv: missing" in err


def test_a_second_copy_of_a_file_is_refused(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doubled = tmp_path / "doubled.zip"
    shutil.copy(pack, doubled)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        with zipfile.ZipFile(doubled, "a") as z:
            z.writestr("exceptions.csv", "fingerprint\r\n")
    code, _, err = posture(capsys, "audit", "verify", str(doubled))
    assert code == ExitCode.TAMPERED and "exceptions.csv: appears twice" in err
