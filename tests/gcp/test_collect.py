"""The GCP adapter against the fake organization: pages, throttling, denials, disabled APIs."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from checks.gcp import CHECKS as GCP_CHECKS
from providers.demo.fakes.gcp import FakeGcp, permission_denied_fault, rate_limit_fault
from providers.demo.fakes.server import Fault
from providers.gcp.adapter import GcpProvider
from providers.gcp.clients import DISCOVERY_APIS, ENDPOINT_ENV, KNOWN_APIS, GcpClients
from scanner.config import PostureConfig, parse_config
from scanner.config.gcp import GcpConfig
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.errors import ConfigError, UsageError
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import Inventory
from scanner.providers import CollectRequest
from scanner.scan import required_collections

EVERYTHING = required_collections(GCP_CHECKS)


def collect(**gcp: Any) -> dict[str, Inventory]:
    settings = {
        "organization": "482019374651",
        "workspace_admin": "admin@acme.example",
        "retry_initial_seconds": 0.01,
        "max_requests_in_flight": 4,
        **gcp,
    }
    config = PostureConfig(gcp=GcpConfig.model_validate(settings))
    request = CollectRequest(config=config, collections=EVERYTHING, now=datetime.now(UTC))
    return {i.account: i for i in GcpProvider(config).collect(request)}


def outcomes(inventory: Inventory) -> dict[str, Outcome]:
    return {o.collection: o.outcome for o in inventory.outcomes}


def project(found: dict[str, Inventory], name: str) -> inv.GcpInventory:
    inventory = found[name]
    assert isinstance(inventory, inv.GcpInventory)
    return inventory


def test_every_active_project_of_the_organization_every_page(fake: FakeGcp) -> None:
    found = collect()
    assert set(found) == {
        "acme-prod",
        "acme-secure",
        "acme-analytics",
        "folders/730194628105",
        "organizations/482019374651",
        "C03az79cb",
    }
    prod = project(found, "acme-prod")
    assert set(outcomes(prod).values()) == {Outcome.OK}
    assert prod.project_number == "304918274615"
    assert len(prod.service_accounts) == 3
    assert [len(sa.keys) for sa in prod.service_accounts] == [1, 1, 0]  # user-managed only
    assert len(prod.buckets) == 3 and len(prod.crypto_keys) == 4
    assert {k.location for k in prod.crypto_keys} == {"us", "us-central1"}
    assert len(prod.log_buckets) == 3 and len(prod.sql_instances) == 3
    assert {p.name for p in prod.target_proxies} == {
        "shop-frontend",
        "api-gateway",
        "admin-portal",
        "eu-internal",
        "mqtt-tls",
    }
    assert {e.policy for e in prod.tls_endpoints} == {
        "legacy-clients",
        None,
        "modern-tls12",
        "regional-restricted",
    }
    assert prod.iam_policy is not None and len(prod.iam_policy.audit_configs) == 2
    workspace = found["C03az79cb"]
    assert isinstance(workspace, inv.GcpWorkspaceInventory)
    assert len(workspace.workspace_users) == len(workspace.directory_users) == 6
    paths = [p for _, p in fake.requests]
    # Later pages were asked for: service accounts, buckets, KMS locations, users, search.
    for prefix in (
        "/iam/v1/projects/acme-prod/serviceAccounts?",
        "/storage/storage/v1/b?project=acme-prod",
        "/cloudkms/v1/projects/acme-prod/locations?",
        "/admin/admin/directory/v1/users?",
        "/cloudresourcemanager/v3/projects:search?",
        "/compute/compute/v1/projects/acme-prod/aggregated/targetHttpsProxies?",
    ):
        assert any(p.startswith(prefix) and "pageToken=" in p for p in paths), prefix
    # Projects outside the organization or being deleted are never read.
    assert not any("acme-legacy" in p or "partner-sandbox" in p for p in paths)


def test_api_disabled_in_the_scanned_project_reads_as_empty_and_the_rest_runs(
    fake: FakeGcp,
) -> None:
    analytics = project(collect(), "acme-analytics")
    assert set(outcomes(analytics).values()) == {Outcome.OK}
    (sql,) = [o for o in analytics.outcomes if o.collection == inv.SQL_INSTANCES]
    assert "sqladmin.googleapis.com API is disabled in the project" in sql.message
    assert analytics.sql_instances == ()
    assert len(analytics.buckets) == 2


def test_throttling_is_retried_to_a_complete_result(fake: FakeGcp) -> None:
    fake.inject(rate_limit_fault("/iam/v1/projects/acme-prod/serviceAccounts?", times=2))
    fake.inject(rate_limit_fault("project=acme-prod&projection=full&alt=json&pageToken=", times=1))
    fake.inject(rate_limit_fault("/cloudresourcemanager/v3/projects:search", times=1))
    fake.inject(
        Fault("/logging/v2/projects/acme-secure/sinks", 503, {"error": {"code": 503}}, times=1)
    )
    found = collect()
    prod = project(found, "acme-prod")
    assert set(outcomes(prod).values()) == {Outcome.OK}
    assert len(prod.service_accounts) == 3 and len(prod.buckets) == 3
    assert len(project(found, "acme-secure").log_sinks) == 1
    sa_lists = [
        p for _, p in fake.requests if p.startswith("/iam/v1/projects/acme-prod/serviceAccounts?")
    ]
    assert len(sa_lists) == 4  # two throttled, then both pages
    bucket_lists = [
        p for _, p in fake.requests if p.startswith("/storage/storage/v1/b?project=acme-prod")
    ]
    assert len(bucket_lists) == 3  # page 2 throttled once


def test_denied_later_page_makes_the_collection_fail(fake: FakeGcp) -> None:
    fake.inject(
        permission_denied_fault(
            "project=acme-prod&projection=full&alt=json&pageToken=", "storage.buckets.list"
        )
    )
    prod = project(collect(), "acme-prod")
    denied = next(o for o in prod.outcomes if o.collection == inv.BUCKETS)
    assert denied.outcome is Outcome.ACCESS_DENIED
    assert denied.missing is not None and "storage.buckets.list" in denied.missing
    assert prod.buckets == ()
    assert outcomes(prod)[inv.SERVICE_ACCOUNT_KEYS] is Outcome.OK


def test_persistent_server_errors_end_as_error(fake: FakeGcp) -> None:
    fake.inject(
        Fault("/sqladmin/v1/projects/acme-prod/", 503, {"error": {"code": 503}}, times=1000)
    )
    prod = project(collect(retry_deadline_seconds=0.3), "acme-prod")
    assert outcomes(prod)[inv.SQL_INSTANCES] is Outcome.ERROR


def test_named_projects_skip_inactive_and_report_unknown(fake: FakeGcp) -> None:
    found = collect(projects=("acme-secure", "acme-legacy", "ghost-project"), workspace_admin=None)
    assert set(found) == {"acme-secure", "ghost-project"}
    ghost = found["ghost-project"]
    assert outcomes(ghost)[inv.PROJECT] is Outcome.ACCESS_DENIED


def test_endpoint_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {*DISCOVERY_APIS, "cloudresourcemanager"} == KNOWN_APIS
    env = {ENDPOINT_ENV: "http://127.0.0.1:9", ALLOW_INSECURE_ENV: "1"}
    clients = GcpClients(GcpConfig(), env)
    clients.load_credentials()  # every API is local: nothing to load, nothing raised
    assert clients.service("compute")._baseUrl == "http://127.0.0.1:9/compute/compute/v1/"
    assert clients.service("iam")._baseUrl == "http://127.0.0.1:9/iam/"
    override = GcpClients(GcpConfig(endpoints={"storage": "https://psc.example/storage/"}), env)
    assert override.service("storage")._baseUrl == "https://psc.example/storage/storage/v1/"
    emulator = GcpClients(
        GcpConfig(), {"STORAGE_EMULATOR_HOST": "http://localhost:9023", ALLOW_INSECURE_ENV: "1"}
    )
    assert emulator.service("storage")._baseUrl == "http://localhost:9023/storage/v1/"
    assert emulator.endpoint("iam") is None
    with pytest.raises(UsageError, match="clear text"):
        GcpClients(GcpConfig(), {ENDPOINT_ENV: "http://127.0.0.1:9"})
    with pytest.raises(UsageError, match="loopback"):
        GcpClients(GcpConfig(), {**env, ENDPOINT_ENV: "http://10.1.2.3:8080"})
    with pytest.raises(ConfigError, match="unknown API 'bigtable'"):
        parse_config({"gcp": {"endpoints": {"bigtable": "https://x.example"}}}, "posture.yaml")


def test_folder_and_organization_settings_are_handed_down(fake: FakeGcp) -> None:
    analytics = project(collect(), "acme-analytics")
    assert analytics.ancestors == ("folders/730194628105", "organizations/482019374651")
    assert {i.source for i in analytics.inherited_audit_configs} == {
        "folders/730194628105",
        "organizations/482019374651",
    }
    assert {i.sink.name for i in analytics.inherited_sinks} == {
        "analytics-all-logs",
        "org-audit-to-siem",
    }
    # Each ancestor is read once, however many projects sit below it.
    org_reads = [
        p for _, p in fake.requests if p.startswith("/cloudresourcemanager/v3/organizations/")
    ]
    assert len(org_reads) == 1


def test_denied_organization_policy_is_an_error_for_each_project(fake: FakeGcp) -> None:
    fake.inject(
        permission_denied_fault(
            "organizations/482019374651:getIamPolicy", "resourcemanager.organizations.getIamPolicy"
        )
    )
    found = collect()
    for name in ("acme-prod", "acme-secure", "acme-analytics"):
        failed = {o.collection: o for o in found[name].outcomes if not o.ok}
        outcome = failed[inv.INHERITED_AUDIT_CONFIGS]
        assert outcome.outcome is Outcome.ACCESS_DENIED
        assert outcome.message.startswith("organizations/482019374651:")


def test_missing_ancestor_contributes_nothing(fake: FakeGcp) -> None:
    fake.inject(Fault("/logging/v2/organizations/", 404, {"error": {"code": 404}}, times=5))
    prod = project(collect(), "acme-prod")
    assert outcomes(prod)[inv.INHERITED_SINKS] is Outcome.OK
    assert prod.inherited_sinks == ()


def test_workspace_uses_domain_wide_delegation(tmp_path: Path) -> None:
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    key_file = tmp_path / "sa.json"
    key_file.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "acme-prod",
                "private_key_id": "0123abcd",
                "private_key": pem,
                "client_email": "posture@acme-prod.iam.gserviceaccount.com",
                "client_id": "1234567890",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        ),
        encoding="utf-8",
    )
    clients = GcpClients(GcpConfig(credentials_file=key_file), {})
    delegated = clients.workspace_credentials("admin@acme.example")
    assert getattr(delegated, "_subject", None) == "admin@acme.example"
    assert getattr(delegated, "scopes", None) == [
        "https://www.googleapis.com/auth/admin.directory.user.readonly"
    ]
    assert clients.default_project == "acme-prod"


def test_retry_after_is_waited_out(fake: FakeGcp) -> None:
    fake.inject(rate_limit_fault("/sqladmin/v1/projects/acme-prod/", times=1, retry_after=1))
    started = time.monotonic()
    prod = project(collect(projects=("acme-prod",), workspace_admin=None), "acme-prod")
    assert time.monotonic() - started >= 1.0
    assert outcomes(prod)[inv.SQL_INSTANCES] is Outcome.OK and len(prod.sql_instances) == 3


def test_sink_destination_outside_the_scan_is_read(fake: FakeGcp) -> None:
    found = collect()
    assert not any(
        p.startswith("/storage/storage/v1/b/acme-") and "/iam" not in p for _, p in fake.requests
    )  # every destination was already listed
    analytics = project(collect(projects=("acme-analytics",)), "acme-analytics")
    [destination] = analytics.sink_destinations
    assert destination.name == "acme-secure-log-archive"
    assert destination.retention_period_seconds == 31536000 and destination.retention_locked
    assert ("GET", "/storage/storage/v1/b/acme-secure-log-archive?alt=json") in fake.requests
    assert project(found, "acme-prod").sink_destinations[0].retention_period_seconds is None


def test_documented_permissions_cover_every_call() -> None:
    from providers.gcp.adapter import iter_permissions

    doc = (Path(__file__).resolve().parents[2] / "docs" / "gcp.md").read_text(encoding="utf-8")
    declared = {p for p in iter_permissions() if " " not in p}
    assert declared and {p for p in declared if p not in doc} == set()
