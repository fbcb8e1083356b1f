"""An embedded demo tenant: the fake Graph on 127.0.0.1, reached through the real SDK client.

No credentials and no network. The scan talks to it exactly as to a real tenant, with the
anonymous authentication provider that posture uses only for loopback http endpoints.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from providers.demo.fakes.graph import start_fake_graph
from scanner.config import PostureConfig
from scanner.endpoints import ALLOW_INSECURE_ENV


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log on the terminal
    server, graph = start_fake_graph()
    try:
        with mock.patch.dict(os.environ, {ALLOW_INSECURE_ENV: "1"}):
            azuread = config.azuread.model_copy(
                update={"graph_endpoint": server.url, "tenant_id": graph.tenant.tenant_id}
            )
            yield config.model_copy(update={"azuread": azuread})
    finally:
        server.stop()
