"""An AIMD concurrency limit: halves when the service throttles, creeps back when it answers."""

from __future__ import annotations

import threading


class AimdLimit:
    """At most `limit` holders at a time; `limit` moves between 1 and `ceiling`.

    A throttle halves the limit (floor 1). `limit` successes in a row raise it by one, so a
    limit recovers from a cut in about as many round trips as the cut removed.
    """

    def __init__(self, ceiling: int) -> None:
        if ceiling < 1:
            raise ValueError("ceiling must be at least 1")
        self.ceiling = ceiling
        self._limit = ceiling
        self._lowest = ceiling
        self._in_flight = 0
        self._successes = 0
        self._generation = 0
        self._changed = threading.Condition()

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def lowest(self) -> int:
        """The lowest the limit has been: how hard the service pushed back."""
        return self._lowest

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def acquire(self) -> int:
        """Waits for a slot; returns the generation to hand to `throttled` for this slot."""
        with self._changed:
            while self._in_flight >= self._limit:
                self._changed.wait()
            self._in_flight += 1
            return self._generation

    def release(self) -> None:
        with self._changed:
            if self._in_flight <= 0:
                raise RuntimeError("released a slot that was not held")
            self._in_flight -= 1
            self._changed.notify()

    def throttled(self, generation: int) -> tuple[int, int] | None:
        """Halves the limit; returns (old, new), or None if this throttle does not cut.

        Requests sent before the last cut were sent at the old rate: their throttles are the
        same overload the cut already answered, so a burst of them cuts only once.
        """
        with self._changed:
            self._successes = 0
            if generation != self._generation:
                return None
            old = self._limit
            self._limit = max(1, old // 2)
            self._lowest = min(self._lowest, self._limit)
            self._generation += 1
            return old, self._limit

    def succeeded(self) -> None:
        with self._changed:
            if self._limit >= self.ceiling:
                return
            self._successes += 1
            if self._successes >= self._limit:
                self._successes = 0
                self._limit += 1
                self._changed.notify()
