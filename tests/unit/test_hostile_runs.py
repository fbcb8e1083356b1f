"""Hostile conditions around a run: a corrupted history, SIGTERM while serialising, a full
disk, and what killed runs leave behind. One line, the documented exit code, no traceback."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any, TextIO

import pytest
from pydantic import BaseModel, field_serializer

from providers.evidence.starter import write_starter
from scanner.cli import _run
from scanner.exit_codes import ExitCode
from scanner.output import files
from scanner.output.files import STALE_TEMP_SECONDS, atomic_writer, remove_stale_temporaries


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    root = tmp_path / "evidence"
    write_starter(root)
    return root


def scan(evidence: Path, *extra: str) -> int:
    return int(_run(["scan", "--provider", "evidence", "--evidence", str(evidence), *extra]))


def test_a_corrupted_history_row_costs_a_later_scan_nothing_but_exit_4(
    evidence: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, out = tmp_path / "h.db", tmp_path / "out.json"
    assert scan(evidence, "--state", str(state), "--output", str(out)) == ExitCode.FINDINGS
    with sqlite3.connect(state) as db:
        db.execute("UPDATE findings SET body = ?", (b"not zlib at all",))
    out.unlink()
    capsys.readouterr()
    code = scan(evidence, "--state", str(state), "--output", str(out))
    err = capsys.readouterr().err
    assert code == ExitCode.DELIVERY
    assert out.is_file() and out.stat().st_size > 0  # the outputs are still written
    assert "cannot read the previous scan" in err and "error" in err
    assert "Traceback" not in err


class _Slow(BaseModel):
    """Stands in for a document mid-serialisation when SIGTERM arrives."""

    value: int

    @field_serializer("value")
    def _term(self, value: int) -> int:
        os.kill(os.getpid(), signal.SIGTERM)
        return value


def test_sigterm_while_pydantic_serialises_exits_143(
    evidence: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def write(doc: Any, fmt: Any, out: TextIO) -> None:
        out.write(_Slow(value=1).model_dump_json())  # pydantic wraps the Terminated it meets

    monkeypatch.setattr("scanner.delivery.write", write)
    out = tmp_path / "out.json"
    code = scan(evidence, "--no-history", "--output", str(out))
    err = capsys.readouterr().err
    assert code == ExitCode.TERMINATED == 143
    assert "Traceback" not in err and "PydanticSerializationError" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.json.*.tmp"))


def test_a_full_disk_for_an_output_is_one_line_exit_2(
    evidence: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    out = tmp_path / "out.json"
    code = scan(evidence, "--no-history", "--output", str(out))
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert err.strip().splitlines() == [
        f"posture: error: cannot write {out}: No space left on device"
    ]
    assert not out.exists() and not list(tmp_path.glob(".out.json.*"))


def test_a_full_disk_for_the_history_is_exit_4_with_the_outputs_written(
    evidence: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite on a 64 KiB tmpfs (as root), else a history file that cannot grow."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    mounted = os.geteuid() == 0 and _quiet("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount)
    if not mounted:
        pytest.skip("needs root to mount a tiny tmpfs")
    try:
        out = tmp_path / "out.json"
        code = scan(evidence, "--state", str(mount / "h.db"), "--output", str(out))
        err = capsys.readouterr().err
        assert code == ExitCode.DELIVERY and out.is_file()
        assert "history not recorded" in err and "Traceback" not in err
    finally:
        _quiet("umount", "-l", mount)


def _quiet(*command: str | Path) -> bool:
    return (
        subprocess.run([str(c) for c in command], capture_output=True, check=False).returncode == 0
    )


def _leftover(directory: Path, name: str, age: float, random_part: str = "ab3_x9zq") -> Path:
    path = directory / f".{name}.{random_part}.tmp"
    path.write_text("half a document")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_stale_temporaries_of_our_own_naming_are_removed_on_the_next_write(
    tmp_path: Path,
) -> None:
    stale = _leftover(tmp_path, "out.json", STALE_TEMP_SECONDS + 60)
    young = _leftover(tmp_path, "out.json", 10, "k2m4p6r8")  # maybe a concurrent run's: kept
    other = _leftover(tmp_path, "notes.txt", STALE_TEMP_SECONDS * 5)  # not this file's
    lookalike = tmp_path / ".out.json.toolongname.tmp"
    lookalike.write_text("not ours")
    os.utime(lookalike, (0, 0))
    with atomic_writer(tmp_path / "out.json") as handle:
        handle.write("{}")
    assert not stale.exists()
    assert young.exists() and other.exists() and lookalike.exists()
    assert (tmp_path / "out.json").read_text() == "{}"


def test_a_stale_temporary_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "keep"
    target.write_text("x")
    link = tmp_path / ".out.json.abcdefgh.tmp"
    link.symlink_to(target)
    os.utime(link, (0, 0), follow_symlinks=False)
    assert remove_stale_temporaries(tmp_path / "out.json") == []
    assert target.exists()
