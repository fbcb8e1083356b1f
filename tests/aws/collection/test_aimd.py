"""The AIMD limit on in-flight requests: halves on throttling, floor 1, creeps back."""

from __future__ import annotations

import threading
import time

import pytest

from providers.aws.aimd import AimdLimit


def _cut(limit: AimdLimit) -> tuple[int, int] | None:
    generation = limit.acquire()
    limit.release()
    return limit.throttled(generation)


def test_a_throttle_halves_the_limit_down_to_one() -> None:
    limit = AimdLimit(16)
    assert [_cut(limit) for _ in range(6)] == [(16, 8), (8, 4), (4, 2), (2, 1), (1, 1), (1, 1)]
    assert limit.limit == limit.lowest == 1


def test_a_burst_of_throttles_sent_before_a_cut_cuts_once() -> None:
    limit = AimdLimit(8)
    generations = [limit.acquire() for _ in range(4)]
    for _ in generations:
        limit.release()
    assert [limit.throttled(g) for g in generations] == [(8, 4), None, None, None]
    assert _cut(limit) == (4, 2)


def test_successes_raise_the_limit_by_one_per_window_up_to_the_ceiling() -> None:
    limit = AimdLimit(8)
    _cut(limit)
    assert limit.limit == 4
    seen = []
    for _ in range(4 + 5 + 6 + 7 + 10):
        limit.succeeded()
        seen.append(limit.limit)
    assert seen[3] == 5 and seen[4 + 5 - 1] == 6 and seen[-1] == 8
    assert limit.lowest == 4


def test_a_throttle_restarts_the_count_of_successes() -> None:
    limit = AimdLimit(8)
    _cut(limit)
    for _ in range(3):
        limit.succeeded()
    _cut(limit)
    limit.succeeded()
    assert limit.limit == 2


def test_releasing_a_slot_not_held_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        AimdLimit(2).release()


def test_threads_never_hold_more_slots_than_the_limit() -> None:
    limit = AimdLimit(6)
    _cut(limit)  # 3
    lock = threading.Lock()
    holding = 0
    peak = 0
    cut_done = threading.Event()

    def work(i: int) -> None:
        nonlocal holding, peak
        for _ in range(20):
            generation = limit.acquire()
            with lock:
                holding += 1
                peak = max(peak, holding)
            time.sleep(0.0005)
            with lock:
                holding -= 1
            limit.release()
            if i == 0 and not cut_done.is_set():
                limit.throttled(generation)
                cut_done.set()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak <= 3
    assert limit.limit == 1 and limit.in_flight == 0
