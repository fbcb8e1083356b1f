"""Atomic writes: a crash or an interrupt never leaves half a document behind."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

from scanner.errors import OutputError

STALE_TEMP_SECONDS = 3600
"""A temporary file of ours older than this belongs to a run that was killed (SIGKILL, power
loss) before it could remove it; no write takes an hour."""


def _temp_pattern(path: Path) -> re.Pattern[str]:
    """The names `mkstemp(prefix=".<name>.", suffix=".tmp")` gives for `path`, and only those."""
    return re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]{{8}}\.tmp")


def remove_stale_temporaries(path: Path, now: float | None = None) -> list[Path]:
    """Removes what killed runs left beside `path`: our own temporary names for this very file,
    regular files only, older than STALE_TEMP_SECONDS. A concurrent write's file is young and
    stays."""
    directory = path.parent if str(path.parent) else Path()
    pattern = _temp_pattern(path)
    cutoff = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    removed = []
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if entry.is_file(follow_symlinks=False) and info.st_mtime < cutoff:
                    stale = Path(entry.path)
                    stale.unlink()
                    removed.append(stale)
    return removed


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text stream that becomes `path` only when the block completes; else nothing changes.

    A write that fails (a full disk, a quota) is an OutputError naming the path."""
    with _atomic(path, binary=False) as handle:
        yield cast(TextIO, handle)


@contextlib.contextmanager
def atomic_binary_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary stream that becomes `path` only when the block completes (an archive)."""
    with _atomic(path, binary=True) as handle:
        yield cast(BinaryIO, handle)


@contextlib.contextmanager
def _atomic(path: Path, binary: bool) -> Iterator[IO[Any]]:
    directory = path.parent if str(path.parent) else Path()
    remove_stale_temporaries(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        opened = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")
        with opened as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_atomic(path: Path, text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)
