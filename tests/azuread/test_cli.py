"""Black-box: the `posture` CLI against the fake tenant, as a user would run it."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from providers.demo.fakes.graph import FakeGraph
from providers.demo.fakes.server import FakeServer, Fault
from scanner.cli import main

Graph = tuple[FakeServer, FakeGraph]

# Every problem planted in fixtures/azuread, and nothing else.
EXPECTED_FAILS = Counter(
    {
        ("azuread.roles.privileged_without_mfa", "carol@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.roles.privileged_without_mfa", "dan@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.roles.privileged_without_mfa", "quinn@contoso-demo.onmicrosoft.com"): 1,
        (
            "azuread.authorization.users_can_consent_to_apps",
            "policies/authorizationPolicy/permissionGrantPoliciesAssigned",
        ): 1,
        (
            "azuread.conditional_access.legacy_auth_not_blocked",
            "identity/conditionalAccess/legacyAuthentication",
        ): 1,
        (
            "azuread.roles.privileged_guest",
            "grace_partner.example#EXT#@contoso-demo.onmicrosoft.com",
        ): 1,
        ("azuread.roles.privileged_synced_account", "dan@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.roles.privileged_synced_account", "quinn@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.users.mfa_not_registered", "carol@contoso-demo.onmicrosoft.com"): 1,
        # Registered SMS only, which the authentication methods policy does not allow.
        ("azuread.users.mfa_not_registered", "frank@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.users.mfa_not_registered", "henry@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.users.mfa_not_registered", "judy@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.users.mfa_not_registered", "quinn@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.apps.credential_expiring", "Salesforce"): 2,  # SAML Sign and Verify entries
        ("azuread.apps.credential_expiring", "ci-deployer"): 1,
        ("azuread.apps.credential_expiring", "hr-portal"): 1,
        ("azuread.apps.credential_lifetime_too_long", "payroll-sync"): 1,
        ("azuread.apps.credential_lifetime_too_long", "data-export"): 1,
        (
            "azuread.authorization.guest_access_unrestricted",
            "policies/authorizationPolicy/guestAccess",
        ): 1,
        (
            "azuread.authorization.users_can_register_apps",
            "policies/authorizationPolicy/allowedToCreateApps",
        ): 1,
        ("azuread.roles.global_admin_count", "roles/GlobalAdministrator"): 1,
        (
            "azuread.users.guest_stale",
            "mallory_vendor.example#EXT#@contoso-demo.onmicrosoft.com",
        ): 1,
        (
            "azuread.users.guest_stale",
            "oscar_contractor.example#EXT#@contoso-demo.onmicrosoft.com",
        ): 1,
        ("azuread.users.stale_sign_in", "ivan@contoso-demo.onmicrosoft.com"): 1,
        ("azuread.users.stale_sign_in", "judy@contoso-demo.onmicrosoft.com"): 1,
    }
)
# Clean twins that must pass.
EXPECTED_PASSES = {
    ("azuread.conditional_access.mfa_not_enforced", "identity/conditionalAccess"),
    ("azuread.roles.privileged_without_mfa", "erin@contoso-demo.onmicrosoft.com"),
    ("azuread.roles.privileged_synced_account", "rita@contoso-demo.onmicrosoft.com"),
    ("azuread.users.stale_sign_in", "paul@contoso-demo.onmicrosoft.com"),
    ("azuread.users.stale_sign_in", "kim@contoso-demo.onmicrosoft.com"),
    ("azuread.users.guest_stale", "nina_auditfirm.example#EXT#@contoso-demo.onmicrosoft.com"),
    ("azuread.apps.credential_expiring", "Workday"),
    ("azuread.apps.credential_lifetime_too_long", "hr-portal"),
}


def scan(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["scan", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def fails(doc: dict[str, Any]) -> Counter[tuple[str, str]]:
    return Counter(
        (f["check_id"], f["resource"]["name"]) for f in doc["findings"] if f["status"] == "fail"
    )


def by_status(doc: dict[str, Any], status: str) -> set[tuple[str, str]]:
    return {
        (f["check_id"], f["resource"]["name"]) for f in doc["findings"] if f["status"] == status
    }


@pytest.mark.usefixtures("insecure_env")
def test_scan_finds_every_problem_and_nothing_clean(
    graph: Graph, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, fake = graph
    monkeypatch.setenv("POSTURE_GRAPH_ENDPOINT", server.url)
    code, out, _ = scan(["--provider", "azuread", "--format", "json", "-q"], capsys)
    doc = json.loads(out)
    assert code == 1
    assert doc["scan"]["partial"] is False and doc["scan"]["errors"] == []
    assert fails(doc) == EXPECTED_FAILS
    assert by_status(doc, "pass") >= EXPECTED_PASSES
    assert by_status(doc, "error") == set()
    assert {f["account"] for f in doc["findings"]} == {fake.tenant.tenant_id}
    assert doc["scan"]["targets"][0]["account_name"] == "Contoso Demo"
    # Every page of every list was followed (pages of 4 items).
    tenant = fake.tenant
    lists = {
        "/users": tenant.users,
        "/reports/authenticationMethods/userRegistrationDetails": tenant.registrations,
        "/roleManagement/directory/roleAssignments": tenant.role_assignments,
        "/roleManagement/directory/roleDefinitions": tenant.role_definitions,
        "/applications": tenant.applications,
        "/servicePrincipals": tenant.service_principals,
        "/identity/conditionalAccess/policies": tenant.policies,
    }
    requested = Counter(p.split("?")[0] for _, p in server.requests)
    for path, items in lists.items():
        assert requested[f"/v1.0{path}"] == math.ceil(len(items) / 4), path
    assert fake.authorization_headers == 0


@pytest.mark.usefixtures("insecure_env")
def test_graph_endpoint_flag_and_a_clean_selection_exit_0(
    graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    server, _ = graph
    code, out, _ = scan(
        [
            "--provider",
            "azuread",
            "--graph-endpoint",
            server.url,
            "--format",
            "json",
            "--check",
            "azuread.conditional_access.mfa_not_enforced",
        ],
        capsys,
    )
    assert code == 0
    assert by_status(json.loads(out), "pass") == {
        ("azuread.conditional_access.mfa_not_enforced", "identity/conditionalAccess")
    }


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize("graph", [{"denied": ("/applications",)}], indirect=True)
def test_missing_permission_is_a_partial_scan(
    graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    server, _ = graph
    code, out, _ = scan(
        ["--provider", "azuread", "--graph-endpoint", server.url, "--format", "json"], capsys
    )
    doc = json.loads(out)
    assert code == 3
    (error,) = doc["scan"]["errors"]
    assert (error["collection"], error["outcome"], error["missing"]) == (
        "azuread.apps.applications",
        "access_denied",
        "Application.Read.All",
    )
    errors = [f for f in doc["findings"] if f["status"] == "error"]
    assert {f["check_id"] for f in errors} == {
        "azuread.apps.credential_expiring",
        "azuread.apps.credential_lifetime_too_long",
    }
    assert all(f["evidence"]["missing"] == "Application.Read.All" for f in errors)
    # Nothing rests on the missing data: no app registration passes or fails; enterprise
    # applications (service principals, which were read) keep their verdicts.
    assert not any(
        f["check_id"].startswith("azuread.apps.")
        and f["status"] in ("pass", "fail")
        and f["resource"]["type"] == "Microsoft.Graph/application"
        for f in doc["findings"]
    )
    assert any(
        f["check_id"] == "azuread.apps.credential_expiring"
        and f["status"] == "pass"
        and f["resource"]["type"] == "Microsoft.Graph/servicePrincipal"
        for f in doc["findings"]
    )
    # Every other problem is still found.
    assert fails(doc) == EXPECTED_FAILS - Counter(
        {
            k: v
            for k, v in EXPECTED_FAILS.items()
            if k[0] == "azuread.apps.credential_lifetime_too_long"
            or k[1] in {"ci-deployer", "hr-portal"}
        }
    )


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize("graph", [{"p2": False}], indirect=True)
def test_tenant_without_p2_is_not_a_partial_scan(
    graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    """PIM eligibility is an optional read: without P2 (HTTP 400 AadPremiumLicenseRequired) it
    is not available, named in the errors, said in the evidence, and the scan is not partial."""
    server, _ = graph
    code, out, _ = scan(
        ["--provider", "azuread", "--graph-endpoint", server.url, "--format", "json"], capsys
    )
    doc = json.loads(out)
    assert code == 1  # findings, not partial
    assert doc["scan"]["partial"] is False
    (error,) = doc["scan"]["errors"]
    assert (error["collection"], error["outcome"], error["missing"]) == (
        "azuread.roles.eligibility",
        "not_available",
        "Microsoft Entra ID P2 licence",
    )
    assert fails(doc) == EXPECTED_FAILS
    (count,) = [f for f in doc["findings"] if f["check_id"] == "azuread.roles.global_admin_count"]
    assert count["evidence"]["eligible"] is None
    assert count["evidence"]["eligibility_not_seen"].startswith("not licensed")
    assert "P2" in count["message"]


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize(
    "graph", [{"denied": ("/roleManagement/directory/roleEligibilitySchedules",)}], indirect=True
)
def test_optional_read_denied_is_still_a_partial_scan(
    graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a read the tenant cannot have is spared: a missing permission is the admin's to fix."""
    server, _ = graph
    code, out, _ = scan(
        ["--provider", "azuread", "--graph-endpoint", server.url, "--format", "json"], capsys
    )
    doc = json.loads(out)
    assert code == 3 and doc["scan"]["partial"] is True
    (error,) = doc["scan"]["errors"]
    assert (error["outcome"], error["missing"]) == (
        "access_denied",
        "RoleEligibilitySchedule.Read.Directory",
    )


@pytest.mark.usefixtures("insecure_env")
def test_throttled_scan_completes(graph: Graph, capsys: pytest.CaptureFixture[str]) -> None:
    server, _ = graph
    server.inject(
        Fault(
            "skiptoken",
            429,
            {"error": {"code": "TooManyRequests", "message": "x"}},
            {"Retry-After": "0"},
            times=6,
        )
    )
    code, out, _ = scan(
        ["--provider", "azuread", "--graph-endpoint", server.url, "--format", "json"], capsys
    )
    assert code == 1
    assert fails(json.loads(out)) == EXPECTED_FAILS


@pytest.mark.usefixtures("insecure_env")
def test_rejected_credential_is_one_line_exit_2(
    graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    server, _ = graph
    server.inject(
        Fault(
            "/organization",
            401,
            {"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}},
        )
    )
    code, out, err = scan(["--provider", "azuread", "--graph-endpoint", server.url], capsys)
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "InvalidAuthenticationToken" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("endpoint", "env", "message"),
    [
        ("http://127.0.0.1:9", {}, "plain http"),
        ("http://graph.example.com", {"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"}, "loopback"),
        ("ftp://127.0.0.1", {"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"}, "not an http"),
        ("https://graph.example.com", {}, "authority"),
        ("http://127.0.0.1:1", {"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"}, "cannot reach"),
    ],
)
def test_bad_endpoints_exit_2(
    endpoint: str,
    env: dict[str, str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    code, _, err = scan(["--provider", "azuread", "--graph-endpoint", endpoint], capsys)
    assert code == 2 and message in err and err.count("\n") == 1


def test_missing_secret_is_a_credentials_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AZURE_CLIENT_SECRET", raising=False)
    config = tmp_path / "posture.yaml"
    config.write_text(
        "azuread:\n  credential: client_secret\n  tenant_id: t-1\n  client_id: c-1\n",
        encoding="utf-8",
    )
    code, _, err = scan(["--provider", "azuread", "--config", str(config)], capsys)
    assert code == 2 and "AZURE_CLIENT_SECRET" in err


def test_demo(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", raising=False)
    code, out, _ = scan(["--provider", "azuread", "--demo", "--format", "json"], capsys)
    assert code == 1
    assert fails(json.loads(out)) == EXPECTED_FAILS


@pytest.mark.usefixtures("insecure_env")
@pytest.mark.parametrize(
    "graph",
    [{"expand_principal": False, "unified_rbac": False, "link_host": "localhost", "page_size": 2}],
    indirect=True,
)
def test_same_findings_from_a_graph_without_expand_or_unified_rbac(
    graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    server, _ = graph
    code, out, _ = scan(
        ["--provider", "azuread", "--graph-endpoint", server.url, "--format", "json"], capsys
    )
    assert code == 1
    assert fails(json.loads(out)) == EXPECTED_FAILS


@pytest.mark.usefixtures("insecure_env")
def test_no_credential_material_in_the_output(
    graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    server, fake = graph
    code, out, err = scan(
        ["--provider", "azuread", "--graph-endpoint", server.url, "--format", "json"], capsys
    )
    assert code == 1
    hints = {c["hint"] for app in fake.tenant.applications for c in app["passwordCredentials"]}
    thumbprints = {
        c["customKeyIdentifier"]
        for obj in (*fake.tenant.applications, *fake.tenant.service_principals)
        for c in obj["keyCredentials"]
    }
    for material in (*hints, *thumbprints, "secretText", "hint"):
        assert material not in out and material not in err, material
