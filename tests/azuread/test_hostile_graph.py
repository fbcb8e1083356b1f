"""A hostile Graph endpoint on 127.0.0.1: a trickling answer ends at the call's total deadline
and an endless `value` array at the size bound; either is that collection's error (the scan
partial, exit 3), while the tenant that answered is still scanned."""

from __future__ import annotations

import itertools
import socket
import threading
import time

import pytest

from providers.demo.fakes.hostile import HostileServer, answer, trickle_body
from scanner.inventory import azuread as inv
from scanner.models.enums import Outcome
from tests.azuread.test_collector import collect
from tests.limits import run_with_memory_limit

ORGANIZATION = answer(200, {"value": [{"id": "tenant-1", "displayName": "Acme"}]})
EMPTY = answer(200, {"value": []})
pytestmark = pytest.mark.usefixtures("insecure_env")


def _users_error(inventory: inv.AzureAdInventory) -> str:
    (users,) = [o for o in inventory.outcomes if o.collection == inv.USERS]
    assert users.outcome is Outcome.ERROR
    return users.message


def test_a_trickling_graph_answer_ends_at_the_call_deadline() -> None:
    routes = {"/v1.0/organization": ORGANIZATION, "/v1.0/users": trickle_body}
    with HostileServer(routes, EMPTY) as server:
        started = time.monotonic()
        inventory = collect(server, (inv.USERS,), call_timeout_seconds=1, max_attempts=1)  # type: ignore[arg-type]
        assert time.monotonic() - started < 6
    assert inventory.account == "tenant-1"  # the tenant answered: partial, not unreachable
    assert "no complete answer within 1 s" in _users_error(inventory)


def test_an_endless_graph_array_is_cut_at_the_size_bound_under_a_memory_limit() -> None:
    done = run_with_memory_limit(
        """
        from providers.demo.fakes.hostile import HostileServer, endless_array
        from tests.azuread.test_hostile_graph import EMPTY, ORGANIZATION, _users_error
        from tests.azuread.test_collector import collect
        from scanner.inventory import azuread as inv
        routes = {"/v1.0/organization": ORGANIZATION, "/v1.0/users": endless_array}
        with HostileServer(routes, EMPTY) as server:
            print(_users_error(collect(server, (inv.USERS,), max_attempts=1)))
        """,
        limit_bytes=3 << 30,
        timeout=90,
        env={"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "answer larger than 64 MiB" in done.stdout


def test_endless_pagination_stops_at_the_page_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("providers.azuread.graph.MAX_PAGES", 5)
    pages = itertools.count()
    where: list[str] = []

    def next_page(conn: socket.socket, stop: threading.Event) -> None:
        n = next(pages)
        body = {"value": [{"id": f"u{n}"}], "@odata.nextLink": f"{where[0]}/v1.0/users?t={n}"}
        answer(200, body)(conn, stop)

    with HostileServer(
        {"/v1.0/organization": ORGANIZATION, "/v1.0/users": next_page}, EMPTY
    ) as server:
        where.append(server.url)
        inventory = collect(server, (inv.USERS,), max_attempts=1)  # type: ignore[arg-type]
    assert "more than 5 pages: not read" in _users_error(inventory)
    assert next(pages) == 5  # five pages read, the sixth never asked for
