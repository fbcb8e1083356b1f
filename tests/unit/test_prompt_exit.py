"""Only threads that would hold the process up count as lingering."""

from __future__ import annotations

import threading

import pytest

from scanner.prompt_exit import exit_promptly, lingering_threads


def test_a_running_worker_lingers_a_daemon_does_not() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    daemon = threading.Thread(target=release.wait, daemon=True)
    worker.start()
    daemon.start()
    try:
        lingering = lingering_threads()
        assert worker in lingering
        assert daemon not in lingering
        assert threading.current_thread() not in lingering
    finally:
        release.set()
        worker.join()
    assert worker not in lingering_threads()


def test_without_lingering_threads_it_is_an_ordinary_exit() -> None:
    with pytest.raises(SystemExit) as exit_info:
        exit_promptly(3)
    assert exit_info.value.code == 3
