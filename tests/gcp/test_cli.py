"""Black-box: `posture scan --provider gcp` against the fake organization, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from providers.demo.fakes.gcp import FakeGcp, permission_denied_fault, rate_limit_fault
from providers.gcp.clients import ENDPOINT_ENV
from scanner.cli import main
from scanner.endpoints import ALLOW_INSECURE_ENV
from tests.gcp.conftest import quick_config

PROD_FAILS = {
    ("gcp.iam.project_public_access", "acme-prod"),
    ("gcp.iam.basic_role_granted_to_user", "user:alice@acme.example"),
    ("gcp.iam.basic_role_granted_to_user", "group:developers@acme.example"),
    ("gcp.iam.personal_account_access", "user:mallory.contractor@gmail.com"),
    (
        "gcp.iam.service_account_admin_role",
        "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com",
    ),
    (
        "gcp.iam.service_account_admin_role",
        "serviceAccount:ci-runner@acme-prod.iam.gserviceaccount.com",
    ),
    (
        "gcp.iam.service_account_admin_role",
        "serviceAccount:304918274615-compute@developer.gserviceaccount.com",
    ),
    ("gcp.iam.user_can_impersonate_service_accounts", "user:bob@acme.example"),
    ("gcp.iam.user_can_impersonate_service_accounts", "group:oncall@acme.example"),
    # custom roles: releaseManager carries actAs, the organization's policyEditor setIamPolicy
    ("gcp.iam.user_can_impersonate_service_accounts", "user:dana@acme.example"),
    (
        "gcp.iam.service_account_admin_role",
        "serviceAccount:reporting@acme-prod.iam.gserviceaccount.com",
    ),
    ("gcp.iam.duties_not_separated", "user:bob@acme.example"),
    ("gcp.iam.duties_not_separated", "user:carol@acme.example"),
    (
        "gcp.iam.service_account_user_managed_key",
        "deployer@acme-prod.iam.gserviceaccount.com key 9f1c3e7a2b4d",
    ),
    (
        "gcp.iam.service_account_user_managed_key",
        "ci-runner@acme-prod.iam.gserviceaccount.com key 3c5e7a9b1d2f",
    ),
    (
        "gcp.iam.service_account_key_too_old",
        "deployer@acme-prod.iam.gserviceaccount.com key 9f1c3e7a2b4d",
    ),
    ("gcp.logging.data_access_audit_logs_incomplete", "acme-prod"),
    ("gcp.logging.no_sink_for_all_logs", "acme-prod"),
    (
        "gcp.logging.log_bucket_retention_too_short",
        "projects/acme-prod/locations/global/buckets/_Default",
    ),
    (
        "gcp.logging.log_bucket_retention_too_short",
        "projects/acme-prod/locations/europe-west1/buckets/app-logs",
    ),
    ("gcp.logging.sink_bucket_without_retention", "acme-prod-audit-logs"),
    ("gcp.storage.bucket_public_access", "acme-prod-assets"),
    ("gcp.storage.bucket_uniform_access_disabled", "acme-prod-assets"),
    ("gcp.storage.bucket_public_access_prevention_off", "acme-prod-assets"),
    ("gcp.kms.key_rotation_too_long", "legacy"),
    ("gcp.kms.key_rotation_too_long", "cards"),
    ("gcp.kms.key_public_access", "cards"),
    ("gcp.sql.ssl_not_required", "orders-db"),
    ("gcp.sql.open_to_internet", "orders-db"),
    ("gcp.sql.backups_disabled", "orders-db"),
    ("gcp.compute.proxy_weak_tls", "shop-frontend"),
    ("gcp.compute.proxy_weak_tls", "api-gateway"),
}
ANALYTICS_FAILS = {
    ("gcp.iam.basic_role_granted_to_user", "group:data-eng@acme.example"),
    ("gcp.storage.bucket_public_access_prevention_off", "acme-analytics-exports"),
    ("gcp.storage.bucket_uniform_access_disabled", "acme-analytics-scratch"),
    ("gcp.storage.bucket_public_access", "acme-analytics-scratch"),  # default object ACL
}
# Bindings on the organization and the folder are judged there, once, whatever lies below.
ORG_FAILS = {("gcp.iam.user_can_impersonate_service_accounts", "group:sre@acme.example")}
FOLDER_FAILS = {("gcp.iam.basic_role_granted_to_user", "user:grace@acme.example")}
WORKSPACE_FAILS = {
    ("gcp.workspace.user_without_2sv", "bob@acme.example"),
    ("gcp.workspace.user_without_2sv", "erin@acme.example"),
}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return quick_config(tmp_path)


def scan(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "findings.json"
    out.unlink(missing_ok=True)
    argv = ["scan", "--provider", "gcp", "--format", "json", "--output", str(out), "-q", *args]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    code = exit_info.value.code
    doc = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return int(code or 0), doc


def by_status(doc: dict[str, Any], status: str) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for f in doc["findings"]:
        if f["status"] == status:
            out.setdefault(f["account"], set()).add((f["check_id"], f["resource"]["name"]))
    return out


def test_organization_scan_finds_every_problem_in_the_right_project(
    fake: FakeGcp, tmp_path: Path, config_file: Path
) -> None:
    fake.inject(rate_limit_fault("/cloudkms/v1/projects/acme-secure/locations", times=1))
    code, doc = scan(
        tmp_path,
        "--config",
        str(config_file),
        "--organization",
        "482019374651",
        "--workspace-admin",
        "admin@acme.example",
    )
    # Findings, not partial: Cloud SQL is disabled in acme-analytics, which holds no instances.
    assert code == 1
    fails = by_status(doc, "fail")
    assert fails == {
        "acme-prod": PROD_FAILS,
        "acme-analytics": ANALYTICS_FAILS,
        "organizations/482019374651": ORG_FAILS,
        "folders/730194628105": FOLDER_FAILS,
        "C03az79cb": WORKSPACE_FAILS,
    }
    assert by_status(doc, "error") == {}
    assert doc["scan"]["errors"] == [] and doc["scan"]["partial"] is False
    # The clean twin is scanned in full and nothing in it is flagged.
    passes = by_status(doc, "pass")
    assert len(passes["acme-secure"]) > 40
    assert {
        f["region"] for f in doc["findings"] if f["check_id"] == "gcp.kms.key_rotation_too_long"
    } >= {"us", "us-central1"}
    targets = {t["account"] for t in doc["scan"]["targets"]}
    assert targets == {
        "acme-prod",
        "acme-secure",
        "acme-analytics",
        "organizations/482019374651",
        "folders/730194628105",
        "C03az79cb",
    }
    assert not any("acme-legacy" in p for _, p in fake.requests)


def test_clean_twin_alone_exits_zero(fake: FakeGcp, tmp_path: Path, config_file: Path) -> None:
    code, doc = scan(tmp_path, "--config", str(config_file), "--project", "acme-secure")
    assert code == 0
    assert by_status(doc, "fail") == {} and by_status(doc, "error") == {}
    assert doc["scan"]["partial"] is False


def test_problem_project_alone_exits_one(fake: FakeGcp, tmp_path: Path, config_file: Path) -> None:
    code, doc = scan(tmp_path, "--config", str(config_file), "--project", "acme-prod")
    assert code == 1
    # Without --organization the organization's custom roles are not read: who holds one
    # is not evaluated (error), never passed.
    reporting = (
        "gcp.iam.service_account_admin_role",
        "serviceAccount:reporting@acme-prod.iam.gserviceaccount.com",
    )
    assert by_status(doc, "fail") == {"acme-prod": PROD_FAILS - {reporting}}
    assert by_status(doc, "error") == {"acme-prod": {reporting}}


def test_check_selection_reads_only_what_it_needs(
    fake: FakeGcp, tmp_path: Path, config_file: Path
) -> None:
    code, doc = scan(
        tmp_path,
        "--config",
        str(config_file),
        "--project",
        "acme-prod",
        "--check",
        "gcp.sql.*",
    )
    assert code == 1
    assert {f["check_id"] for f in doc["findings"]} == {
        "gcp.sql.ssl_not_required",
        "gcp.sql.open_to_internet",
        "gcp.sql.backups_disabled",
    }
    apis = {p.split("/")[1] for _, p in fake.requests}
    assert apis == {"cloudresourcemanager", "sqladmin"}


def test_insecure_endpoint_without_opt_in_is_bad_input(
    fake: FakeGcp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(ALLOW_INSECURE_ENV)
    code, doc = scan(tmp_path, "--project", "acme-prod")
    assert code == 2 and doc == {}
    err = capsys.readouterr().err.strip()
    assert err.startswith("posture: error:") and "clear text" in err and "\n" not in err
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    monkeypatch.setenv(ENDPOINT_ENV, "http://192.0.2.10:8080")
    assert scan(tmp_path, "--project", "acme-prod")[0] == 2
    assert fake.requests == []


def test_no_project_and_no_adc_project_is_bad_input(
    fake: FakeGcp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = scan(tmp_path)
    assert code == 2
    assert "--project or --organization" in capsys.readouterr().err


def test_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENDPOINT_ENV, raising=False)
    code, doc = scan(tmp_path, "--demo")
    assert code == 1 and doc["scan"]["partial"] is False  # Cloud SQL off in acme-analytics: no gap
    fails = by_status(doc, "fail")
    assert fails["acme-prod"] == PROD_FAILS and fails["acme-analytics"] == ANALYTICS_FAILS
    assert "acme-secure" not in fails


def test_unreadable_credentials_file_is_one_line_exit_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(ENDPOINT_ENV, raising=False)
    key = tmp_path / "key.json"
    key.write_text('{"type": "service_account", "private_key": "not-a-key"}', encoding="utf-8")
    config = tmp_path / "posture.yaml"
    config.write_text(f"gcp:\n  credentials_file: {key}\n", encoding="utf-8")
    code, doc = scan(tmp_path, "--config", str(config), "--project", "acme-prod")
    err = capsys.readouterr().err
    assert code == 2 and doc == {}
    assert err.startswith("posture: error:") and err.count("\n") == 1
    assert "not-a-key" not in err and "Traceback" not in err


def test_denied_project_search_is_a_partial_scan_without_findings(
    fake: FakeGcp, tmp_path: Path, config_file: Path
) -> None:
    fake.inject(permission_denied_fault("projects:search", "resourcemanager.projects.get"))
    code, doc = scan(tmp_path, "--config", str(config_file), "--organization", "482019374651")
    assert code == 3
    assert doc["findings"] == []
    [error] = doc["scan"]["errors"]
    assert (error["account"], error["outcome"], error["scope"]) == (
        "482019374651",
        "access_denied",
        "organizations/482019374651",
    )


def test_workspace_only_scan_reads_no_project(
    fake: FakeGcp, tmp_path: Path, config_file: Path
) -> None:
    code, doc = scan(
        tmp_path,
        "--config",
        str(config_file),
        "--check",
        "gcp.workspace.*",
        "--workspace-admin",
        "admin@acme.example",
        "--workspace-customer",
        "my_customer",
    )
    assert code == 1
    assert by_status(doc, "fail") == {"C03az79cb": WORKSPACE_FAILS}
    assert {p.split("/")[1] for _, p in fake.requests} == {"admin", "cloudidentity"}
