"""An embedded demo account: moto in-process, seeded with realistic misconfigurations.

No credentials and no network: the first thing a newcomer runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from moto import mock_aws
from moto.moto_api._internal import mock_random

from providers.aws.demo.identity import root_in_credential_report, seed_identity
from providers.aws.demo.logging import seed_detection, seed_trails
from providers.aws.demo.network import seed_endpoints, seed_network
from providers.aws.demo.regions import DEMO_REGIONS
from providers.aws.demo.storage import seed_storage
from scanner.config import PostureConfig

DEMO_RANDOM_SEED = 20261126
_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # moto's placeholder, not a credential
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def seed_all() -> None:
    """Every part of the demo account."""
    seed_identity()
    seed_storage()
    seed_monitoring()


def seed_monitoring(account: str = "123456789012") -> None:
    """Logging, detection, network and TLS (in this order: moto's ids depend on it)."""
    seed_trails(account)
    seed_detection()
    seed_endpoints(seed_network())


@contextmanager
def demo_environment(config: PostureConfig) -> Iterator[PostureConfig]:
    """Starts the in-process moto account and narrows the scan to its regions."""
    env = {**_FAKE_ENV}
    removed = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
    with (
        mock.patch.dict(os.environ, env),
        mock_aws(
            config={
                "iam": {"load_aws_managed_policies": True},
                "lambda": {"use_docker": False},
            }
        ),
        root_in_credential_report(),
    ):
        for name in removed:
            os.environ.pop(name, None)
        # Same resource ids on every run, so the demo's fingerprints are stable too.
        mock_random.seed(DEMO_RANDOM_SEED)
        seed_all()
        regions = config.aws.regions or DEMO_REGIONS
        aws = config.aws.model_copy(update={"regions": regions, "profile": None})
        yield config.model_copy(update={"aws": aws})
