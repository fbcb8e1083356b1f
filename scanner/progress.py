"""Progress reporting: a live display on a terminal, nothing at all otherwise.

The display starts before anything slow (the demo environment, SDK imports, sign-in) and says
what the scan waits for; each provider announces its planned jobs before they start, so the
total is known while they run. It draws on the one stderr console (scanner.terminal), which
the log handler also writes through, so log lines land above it.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from scanner.terminal import clean


class ProgressSink(Protocol):
    def phase(self, text: str) -> None:
        """What the scan is doing or waiting for now (a sign-in, a provider's planning)."""

    def planned(self, count: int) -> None:
        """`count` more jobs will start: the total grows before they run."""

    def started(self, label: str) -> None: ...
    def finished(self, label: str) -> None: ...


class NullProgress:
    def phase(self, text: str) -> None:
        return None

    def planned(self, count: int) -> None:
        return None

    def started(self, label: str) -> None:
        return None

    def finished(self, label: str) -> None:
        return None


class TerminalProgress:
    """A spinner, what runs (or what is awaited), a bar of jobs done of planned; safe to call
    from worker threads."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=True,
        )
        self._task = self._progress.add_task("starting", total=0)
        self._lock = threading.Lock()
        self._running: list[str] = []
        self._phase = "starting"
        self._planned = 0
        self._started = 0

    def __enter__(self) -> TerminalProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    @property
    def total(self) -> int:
        return self._planned

    def _show(self) -> None:
        now = self._running[-1] if self._running else self._phase
        self._progress.update(self._task, description=clean(now), total=self._planned)

    def phase(self, text: str) -> None:
        with self._lock:
            self._phase = text
            self._show()

    def planned(self, count: int) -> None:
        with self._lock:
            self._planned += count
            self._show()

    def started(self, label: str) -> None:
        with self._lock:
            self._running.append(f"collecting {label}")
            self._started += 1
            # A job nobody announced (a provider's own sign-in step) still counts.
            self._planned = max(self._planned, self._started)
            self._show()

    def finished(self, label: str) -> None:
        with self._lock:
            entry = f"collecting {label}"
            if entry in self._running:
                self._running.remove(entry)
            self._progress.advance(self._task)
            self._show()
