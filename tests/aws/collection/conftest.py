"""The demo's logging, monitoring and network world, seeded once per module into moto."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig
from tests.aws.conftest import offline_env
from tests.aws.faults import MOTO_ACCOUNT


@pytest.fixture(scope="module")
def seeded_world() -> Iterator[None]:
    """One moto account seeded with the demo's problems, shared by a module's tests."""
    from providers.aws.demo import seed_monitoring

    with pytest.MonkeyPatch.context() as monkeypatch:
        offline_env(monkeypatch)
        with mock_aws():
            seed_monitoring(MOTO_ACCOUNT.id)
            yield


@pytest.fixture
def seeded(seeded_world: None) -> AwsClients:
    """Fresh clients (no fault handlers left over) on the shared seeded account."""
    return AwsClients(AwsConfig(max_attempts=5))
