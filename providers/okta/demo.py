"""An embedded demo org: the fake Okta server on 127.0.0.1, reached through the real SDK.

Its org has the problems auditors find most, each beside a clean twin.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from providers.demo.fakes.okta import FakeOktaOrg
from scanner.config import PostureConfig
from scanner.config.okta import OktaOrg
from scanner.endpoints import ALLOW_INSECURE_ENV

DEMO_TOKEN_ENV = "POSTURE_DEMO_OKTA_TOKEN"
DEMO_TOKEN = "demo-okta-token-not-a-secret"


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    """Starts the fake org and points the scan at it (and only at it)."""
    env = {ALLOW_INSECURE_ENV: "1", DEMO_TOKEN_ENV: DEMO_TOKEN}
    with mock.patch.dict(os.environ, env), FakeOktaOrg(token=DEMO_TOKEN) as fake:
        org = OktaOrg(org_url=fake.url, name="Acme (demo)", token_env=DEMO_TOKEN_ENV)
        okta = config.okta.model_copy(update={"org_url": None, "orgs": (org,)})
        yield config.model_copy(update={"okta": okta})
