"""The Graph retry policy: Retry-After exactly, backoff without it, a bounded total wait."""

from __future__ import annotations

import httpx
import pytest
from kiota_http.middleware.options import RetryHandlerOption

from providers.azuread.retry import GraphRetryHandler


def response(status: int, retry_after: str | None, request: httpx.Request) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(status, headers=headers, request=request)


def test_retry_after_is_honoured_exactly_and_the_total_is_bounded() -> None:
    handler = GraphRetryHandler(max_retries=10, max_total_wait=5)
    request = httpx.Request("GET", "https://graph.microsoft.com/v1.0/users")
    assert handler.options.max_retry == 10
    assert handler.get_delay_time(0, response(429, "0", request)) == 0
    assert handler.get_delay_time(1, response(429, "3", request)) == 3
    assert handler.get_delay_time(2, response(503, "2", request)) == 2
    # 5 s spent: one more second would exceed the budget, so the handler gives up.
    assert handler.get_delay_time(3, response(429, "1", request)) == RetryHandlerOption.MAX_DELAY


def test_backoff_without_retry_after_and_no_wait_on_success() -> None:
    handler = GraphRetryHandler(max_retries=3, max_total_wait=300)
    request = httpx.Request("GET", "https://graph.microsoft.com/v1.0/users")
    assert handler.get_delay_time(0, response(200, None, request)) == 0
    first = handler.get_delay_time(0, response(504, None, request))
    assert 1 <= first <= 2
    assert 4 <= handler.get_delay_time(2, response(429, "not-a-date", request)) <= 5


@pytest.mark.parametrize("retries", [0, 10])
def test_retries_are_configurable(retries: int) -> None:
    assert GraphRetryHandler(retries, 60).options.max_retry == retries
