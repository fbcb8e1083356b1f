"""AWS jobs get the organization's centralised root access features from the planner, which
reads them once for the run as the in-process scan does: a member's job asks nobody again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from providers.aws.scopes import FEATURES_DETAIL, list_scopes, narrow
from providers.demo.fakes.moto_server import MotoServer
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig
from scanner.inventory.aws import identity as inv
from scanner.providers import CollectRequest, JobIO, load_adapter
from tests.distributed.support import ROLE, aws_env, seed

FEATURES_CALL = "iam.ListOrganizationsFeatures"


def test_member_jobs_take_the_features_the_planner_read(monkeypatch: pytest.MonkeyPatch) -> None:
    with MotoServer(managed_policies=False) as server:
        for name, value in aws_env(server.url).items():
            monkeypatch.setenv(name, value)
        members = seed(2)
        config = PostureConfig(aws=AwsConfig(org_role=ROLE, regions=("us-east-1",)))
        scopes = list_scopes(config)
        assert server.calls[FEATURES_CALL] == 1
        job = next(s for s in scopes if s.scope == members[0])
        assert job.detail is not None
        features = inv.OrganizationsFeatures.model_validate(job.detail[FEATURES_DETAIL])
        assert features.management_account is not None  # DescribeOrganization's MasterAccountId
        server.reset_counts()
        narrowed = narrow(config, job.scope)
        request = CollectRequest(
            config=narrowed,
            collections=frozenset({inv.ORGANIZATIONS_FEATURES}),
            now=datetime.now(UTC),
            job=JobIO(job.detail),
        )
        (inventory,) = load_adapter("aws", narrowed).collect(request)
        assert server.calls[FEATURES_CALL] == 0
        assert server.calls["organizations.DescribeOrganization"] == 0
        assert inventory.account == members[0] and not inventory.errors
