"""A fake Okta org per test, reached through the real SDK over loopback http."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.demo.fakes.okta import FakeOktaOrg
from scanner.endpoints import ALLOW_INSECURE_ENV

TOKEN_ENV = "POSTURE_TEST_OKTA_TOKEN"
TOKEN = "test-okta-token-0123"


@pytest.fixture
def fake_org(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOktaOrg]:
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    monkeypatch.delenv("OKTA_CLIENT_TOKEN", raising=False)
    monkeypatch.delenv("OKTA_CLIENT_ORGURL", raising=False)
    monkeypatch.delenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", raising=False)
    with FakeOktaOrg(token=TOKEN, page_size=5) as fake:
        yield fake
