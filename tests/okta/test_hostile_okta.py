"""A hostile Okta org on 127.0.0.1, through the real SDK: a redirect to another host, an
endless answer and a trickling one are each that collection's error (the scan partial), never
the other host's data, a memory blow-up or a hang."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from providers.demo.fakes.hostile import (
    HostileServer,
    answer,
    endless_array,
    trickle_body,
)
from providers.demo.fakes.okta import FakeOktaOrg
from providers.demo.fakes.server import Fault
from providers.okta.adapter import OktaProvider
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.inventory import okta as inv
from scanner.models.enums import Outcome
from scanner.providers import CollectRequest
from tests.okta.conftest import TOKEN, TOKEN_ENV
from tests.okta.test_collect import collect

WANTED = frozenset({inv.USERS, inv.LOG_STREAMS})


def _message(inventory: inv.OktaInventory, name: str) -> str:
    (found,) = [o for o in inventory.outcomes if o.collection == name]
    assert found.outcome is Outcome.ERROR
    return found.message


def _collect_from(url: str, **settings: object) -> inv.OktaInventory:
    org = OktaOrg(org_url=url, token_env=TOKEN_ENV)
    config = PostureConfig(okta=OktaConfig.model_validate({"orgs": [org], **settings}))
    (result,) = OktaProvider(config).collect(
        CollectRequest(config=config, collections=WANTED, now=datetime.now(UTC))
    )
    assert isinstance(result, inv.OktaInventory)
    return result


@pytest.fixture
def okta_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)


def test_a_redirect_to_another_host_is_not_the_orgs_data(fake_org: FakeOktaOrg) -> None:
    foreign = [{"id": "0oaEVIL", "name": "attacker stream", "type": "aws_eventbridge"}]
    with HostileServer({}, answer(200, foreign)) as other:
        fake_org.inject(
            Fault("/api/v1/logStreams", 307, {}, {"Location": f"{other.url}/api/v1/logStreams"})
        )
        inventory = collect(fake_org, WANTED)
    assert "redirected to another host: not followed" in _message(inventory, inv.LOG_STREAMS)
    assert inventory.log_streams == () or inventory.log_streams is None
    assert all("SSWS" not in head and TOKEN not in head for head in other.heads)
    assert any(o.collection == inv.USERS and o.ok for o in inventory.outcomes)


@pytest.mark.usefixtures("okta_env")
def test_an_endless_okta_answer_is_cut_at_the_size_bound() -> None:
    routes = {"/api/v1/logStreams": endless_array}
    with HostileServer(routes, answer(200, [])) as server:
        started = time.monotonic()
        inventory = _collect_from(server.url, max_attempts=1)
        assert time.monotonic() - started < 30
    assert "answer larger than 32 MiB" in _message(inventory, inv.LOG_STREAMS)


@pytest.mark.usefixtures("okta_env")
def test_a_trickling_okta_answer_is_a_partial_scan_not_unreachable() -> None:
    routes = {"/api/v1/logStreams": trickle_body}
    with HostileServer(routes, answer(200, [])) as server:
        started = time.monotonic()
        inventory = _collect_from(server.url, max_attempts=1, call_timeout_seconds=1)
        assert time.monotonic() - started < 8
    assert "TimeoutError" in _message(inventory, inv.LOG_STREAMS)
    assert any(o.collection == inv.USERS and o.ok for o in inventory.outcomes)
