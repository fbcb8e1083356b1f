"""Concurrent per-user reads fail the same way however the network orders them: the error
raised is the first failing call's in list order, not whichever failed first in time."""

from __future__ import annotations

import asyncio

import pytest

from providers.okta.api import gather_all
from providers.okta.errors import OktaCallError


async def _fails(path: str, after: float) -> str:
    await asyncio.sleep(after)
    raise OktaCallError(path, 403, "E0000006", "You do not have permission")


async def _answers(value: str) -> str:
    await asyncio.sleep(0)
    return value


def test_the_first_failure_in_order_is_raised() -> None:
    calls = [
        _answers("a"),
        _fails("/api/v1/users/00u1alice/roles", after=0.05),
        _fails("/api/v1/users/00u1frank/roles", after=0.0),  # fails first in time
    ]
    with pytest.raises(OktaCallError, match="00u1alice"):
        asyncio.run(gather_all(calls))


def test_results_keep_their_order() -> None:
    assert asyncio.run(gather_all([_answers("a"), _answers("b")])) == ["a", "b"]
