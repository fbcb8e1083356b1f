"""The client factory and the rate-limit pacing, without a server."""

from __future__ import annotations

import asyncio
import os
import time
from email.utils import formatdate

import pytest
from multidict import CIMultiDict

from providers.okta.api import OktaApi
from providers.okta.client import SDK_HTTPS_CHECK_ENV, build_client, orgs_to_scan, target
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.errors import UsageError


def test_https_org_never_touches_the_sdk_https_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SDK_HTTPS_CHECK_ENV, raising=False)
    org = target(OktaOrg(org_url="https://Acme.okta.com/", token_env="T"), {})
    assert (org.url, org.host, org.insecure_loopback) == (
        "https://acme.okta.com",
        "acme.okta.com",
        False,
    )
    client = build_client(org, OktaConfig(), {"T": "x" * 20})
    assert client.get_base_url() == "https://acme.okta.com"
    assert SDK_HTTPS_CHECK_ENV not in os.environ


def test_loopback_http_waives_the_sdk_check_only_while_building(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SDK_HTTPS_CHECK_ENV, "")
    env = {"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1", "T": "x" * 20}
    org = target(OktaOrg(org_url="http://127.0.0.1:8080", token_env="T"), env)
    assert org.insecure_loopback
    build_client(org, OktaConfig(), env)
    assert os.environ[SDK_HTTPS_CHECK_ENV] == ""  # restored as it was


def test_org_selection() -> None:
    a = OktaOrg(org_url="https://a.okta.com", token_env="A")
    b = OktaOrg(org_url="https://b.okta.com", token_env="B")
    assert orgs_to_scan(OktaConfig(orgs=(a, b)), {}) == [a, b]
    assert orgs_to_scan(OktaConfig(orgs=(a, b), org_url="https://B.okta.com/"), {}) == [b]
    assert orgs_to_scan(OktaConfig(org_url="https://c.okta.com"), {}) == [
        OktaOrg(org_url="https://c.okta.com")
    ]
    env = {"OKTA_CLIENT_ORGURL": "https://d.okta.com"}
    assert orgs_to_scan(OktaConfig(), env) == [OktaOrg(org_url="https://d.okta.com")]
    with pytest.raises(UsageError, match="no Okta org given"):
        orgs_to_scan(OktaConfig(), {})


def test_pacing_waits_for_the_window_when_the_reserve_is_reached() -> None:
    async def scenario() -> tuple[float, float]:
        api = OktaApi(
            executor=None, org_url="https://a.okta.com", max_requests_in_flight=2, reserve=5
        )
        now = time.time()
        plenty = CIMultiDict(
            {
                "X-Rate-Limit-Remaining": "50",
                "X-Rate-Limit-Reset": str(int(now) + 30),
                "Date": formatdate(now, usegmt=True),
            }
        )
        api._note_rate_limit(plenty)
        untouched = api._resume_at
        low = CIMultiDict(
            {
                "X-Rate-Limit-Remaining": "3",
                "X-Rate-Limit-Reset": str(int(now) + 30),
                "Date": formatdate(now, usegmt=True),
            }
        )
        api._note_rate_limit(low)
        return untouched, api._resume_at - time.monotonic()

    untouched, wait = asyncio.run(scenario())
    assert untouched == 0.0
    assert 29 <= wait <= 32
