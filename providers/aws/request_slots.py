"""posture's client-side rate limiting: an AIMD limit on in-flight requests per service and region.

Hooked on each client's botocore events, per HTTP attempt:

- `before-send` takes a slot just before the request goes out;
- `response-received` gives it back when the response or the send's exception arrives, so the
  backoff botocore sleeps before a retry is slept without a slot and other requests go on;
- `needs-retry` (after every attempt, before that sleep) cuts the limit on a throttling error
  and counts a success otherwise;
- `after-call` and `after-call-error` give back a slot an escaping exception left held.

The slot marker lives in the call's request context, which every attempt of one call shares
and no other call sees, so each attempt's slot is given back exactly once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from botocore.retries.standard import RetryEventAdapter, ThrottlingErrorDetector

from providers.aws.aimd import AimdLimit

log = logging.getLogger(__name__)

_HELD = "posture_slot_held"
_SENT_IN = "posture_slot_generation"

ThrottleSink = Callable[[str], None]


class _ClientSlots:
    """The hooks of one client (one service in one region) onto its key's limit."""

    def __init__(
        self, limit: AimdLimit, service: str, region: str, on_throttle: ThrottleSink
    ) -> None:
        self.limit = limit
        self._service = service
        self._region = region
        self._on_throttle = on_throttle
        self._detector = ThrottlingErrorDetector(RetryEventAdapter())

    def before_send(self, request: Any = None, **_: Any) -> None:
        context = getattr(request, "context", None)
        if context is None or context.get(_HELD):
            return
        context[_SENT_IN] = self.limit.acquire()
        context[_HELD] = True

    def give_back(self, context: dict[str, Any] | None = None, **_: Any) -> None:
        if context is not None and context.pop(_HELD, False):
            self.limit.release()

    def needs_retry(self, **kwargs: Any) -> None:
        """Returns None always: a value here would be taken as a retry delay."""
        request_dict = kwargs.get("request_dict") or {}
        context = request_dict.get("context") or {}
        self.give_back(context)
        if self._detector.is_throttling_error(**kwargs):
            self._on_throttle(self._service)
            cut = self.limit.throttled(context.get(_SENT_IN, -1))
            if cut is not None:
                log.debug(
                    "%s %s throttled: in-flight limit %d -> %d",
                    self._service,
                    self._region,
                    *cut,
                )
        elif kwargs.get("response") is not None:
            self.limit.succeeded()


class RequestSlots:
    """One AIMD limit per (service, region), shared by every client made for that key."""

    def __init__(self, ceiling: Callable[[str], int], on_throttle: ThrottleSink) -> None:
        self._ceiling = ceiling
        self._on_throttle = on_throttle
        self._lock = threading.Lock()
        self.limits: dict[tuple[str, str], AimdLimit] = {}

    def limit(self, service: str, region: str) -> AimdLimit:
        with self._lock:
            found = self.limits.get((service, region))
            if found is None:
                found = self.limits[(service, region)] = AimdLimit(self._ceiling(service))
            return found

    def pushed_back(self) -> dict[tuple[str, str], int]:
        """The lowest limit of every (service, region) whose limit was ever cut."""
        with self._lock:
            return {key: lim.lowest for key, lim in self.limits.items() if lim.lowest < lim.ceiling}

    def attach(self, client: Any, service: str, region: str) -> None:
        slots = _ClientSlots(self.limit(service, region), service, region, self._on_throttle)
        events = client.meta.events
        events.register("before-send", slots.before_send)
        events.register("response-received", slots.give_back)
        events.register("needs-retry", slots.needs_retry)
        events.register("after-call", slots.give_back)
        events.register("after-call-error", slots.give_back)
