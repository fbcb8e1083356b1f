"""An embedded demo organisation: the fake GitHub on 127.0.0.1, reached through the real client.

Its org has the change-management problems auditors find most, each beside a clean twin (a
repository protected by classic protection, one by a ruleset only), and archived and forked
repositories that stay out of scope.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from providers.demo.fakes.github import FakeGithub
from scanner.config import PostureConfig
from scanner.endpoints import ALLOW_INSECURE_ENV

DEMO_TOKEN_ENV = "POSTURE_DEMO_GITHUB_TOKEN"
DEMO_TOKEN = "demo-github-token-not-a-secret"


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    """Starts the fake org and points the scan at it (and only at it)."""
    env = {ALLOW_INSECURE_ENV: "1", DEMO_TOKEN_ENV: DEMO_TOKEN}
    with (
        mock.patch.dict(os.environ, env),
        FakeGithub(token=DEMO_TOKEN, page_size=10, rewrite_urls=False) as fake,
    ):
        github = config.github.model_copy(
            update={
                "orgs": (fake.org,),
                "api_url": fake.url,
                "token_env": DEMO_TOKEN_ENV,
                "app_id": None,
                "installation_id": None,
                "private_key_file": None,
            }
        )
        yield config.model_copy(update={"github": github})
