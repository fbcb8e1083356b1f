"""Progress reporting: a live display on a terminal, nothing at all otherwise."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class ProgressSink(Protocol):
    def started(self, label: str) -> None: ...
    def finished(self, label: str) -> None: ...


class NullProgress:
    def started(self, label: str) -> None:
        return None

    def finished(self, label: str) -> None:
        return None


class TerminalProgress:
    """A spinner with a count of collections done; safe to call from worker threads."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]collecting[/bold] {task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task("", total=0)
        self._lock = threading.Lock()
        self._running: list[str] = []

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

    def _show(self) -> None:
        self._progress.update(self._task, description=self._running[-1] if self._running else "")

    def started(self, label: str) -> None:
        with self._lock:
            self._running.append(label)
            total = self._progress.tasks[0].total or 0
            self._progress.update(self._task, total=total + 1)
            self._show()

    def finished(self, label: str) -> None:
        with self._lock:
            if label in self._running:
                self._running.remove(label)
            self._progress.advance(self._task)
            self._show()
