"""The embedded GCP demo: a fake organization on 127.0.0.1, reached through the real clients.

The scan goes exactly as a user's would (search the organization, read every project through
the Google client libraries); only the endpoints point at the local fake, with anonymous
credentials, which posture allows for loopback http only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from providers.demo.fakes.gcp import FakeGcp
from providers.gcp.clients import ENDPOINT_ENV
from scanner.config import PostureConfig
from scanner.endpoints import ALLOW_INSECURE_ENV

DEMO_ORGANIZATION = "482019374651"
DEMO_WORKSPACE_ADMIN = "admin@acme.example"


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    with (
        FakeGcp() as fake,
        mock.patch.dict(os.environ, {ALLOW_INSECURE_ENV: "1", ENDPOINT_ENV: fake.url}),
    ):
        gcp = config.gcp.model_copy(
            update={
                "projects": (),
                "organization": DEMO_ORGANIZATION,
                "endpoints": {},
                "credentials_file": None,
                "workspace_admin": DEMO_WORKSPACE_ADMIN,
                "workspace_customer": "my_customer",
            }
        )
        yield config.model_copy(update={"gcp": gcp})
