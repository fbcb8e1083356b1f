"""Black-box: `posture scan` against the fake org, as a user would run it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from providers.demo.fakes.okta import FakeOktaOrg, forbidden
from scanner.cli import main
from tests.okta.conftest import TOKEN, TOKEN_ENV

# Every problem planted in fixtures/okta/acme, and nothing else.
EXPECTED_FAILURES = {
    ("okta.users.active_without_mfa", "bob.martin@acme.example"),
    ("okta.users.active_without_mfa", "victor.adeyemi@acme.example"),
    ("okta.users.dormant", "carol.diaz@acme.example"),
    ("okta.users.never_logged_in", "dave.okafor@acme.example"),
    ("okta.admins.without_phishing_resistant_factor", "heidi.schmidt@acme.example"),
    ("okta.admins.without_phishing_resistant_factor", "trent.walker@acme.example"),
    ("okta.admins.inactive_user_holds_role", "frank.moreau@acme.example"),
    ("okta.admins.inactive_user_holds_role", "grace.hopper@acme.example"),
    ("okta.admins.role_assigned_directly", "alice.nguyen@acme.example"),
    ("okta.admins.role_assigned_directly", "frank.moreau@acme.example"),
    ("okta.admins.role_assigned_directly", "grace.hopper@acme.example"),
    ("okta.admins.role_assigned_directly", "mallory.brown@acme.example"),
    ("okta.admins.too_many_super_admins", "super_admins"),
    ("okta.policy.admin_console_without_mfa", "Okta Admin Console / Office network: password only"),
    ("okta.policy.password_min_length_short", "Default Policy"),
    ("okta.policy.password_history_short", "Default Policy"),
    ("okta.policy.password_lockout_weak", "Contractor Password Policy"),
    ("okta.policy.session_lifetime_too_long", "Default Policy / Default Rule"),
    ("okta.policy.session_idle_too_long", "Default Policy / Default Rule"),
    ("okta.policy.session_persistent_cookie", "Contractor Sessions / Contractors: remember me"),
    ("okta.authenticators.weak_enabled", "Phone"),
    ("okta.api_tokens.owned_by_super_admin", "terraform-okta"),
    ("okta.api_tokens.not_network_restricted", "terraform-okta"),
    ("okta.api_tokens.unused", "hr-sync (legacy)"),
    ("okta.logging.no_active_log_stream", "log_streaming"),
    ("okta.security.threat_insight_not_blocking", "threat_insight"),
}
# Clean twins that must pass.
EXPECTED_PASSES = {
    ("okta.users.active_without_mfa", "erin.kowalski@acme.example"),
    ("okta.users.never_logged_in", "erin.kowalski@acme.example"),
    ("okta.users.dormant", "alice.nguyen@acme.example"),
    ("okta.admins.without_phishing_resistant_factor", "ivan.petrov@acme.example"),
    ("okta.admins.without_phishing_resistant_factor", "mallory.brown@acme.example"),
    ("okta.admins.role_assigned_directly", "oscar.silva@acme.example"),
    ("okta.policy.admin_console_without_mfa", "Okta Admin Console / Catch-all Rule"),
    ("okta.policy.password_min_length_short", "Admin Password Policy"),
    ("okta.policy.password_lockout_weak", "Admin Password Policy"),
    ("okta.policy.session_lifetime_too_long", "Admin Sessions / Admins: 8 hour sessions"),
    ("okta.policy.session_persistent_cookie", "Default Policy / Default Rule"),
    ("okta.authenticators.weak_enabled", "Security Question"),
    ("okta.api_tokens.owned_by_super_admin", "siem-pull"),
    ("okta.api_tokens.not_network_restricted", "siem-pull"),
    ("okta.api_tokens.unused", "siem-pull"),
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), out, err


def write_config(tmp_path: Path, org: dict[str, Any], **okta: Any) -> str:
    path = tmp_path / "posture.yaml"
    path.write_text(yaml.safe_dump({"providers": ["okta"], "okta": {"orgs": [org], **okta}}))
    return str(path)


def verdicts(doc: dict[str, Any], status: str) -> set[tuple[str, str]]:
    return {
        (f["check_id"], f["resource"]["name"]) for f in doc["findings"] if f["status"] == status
    }


def test_scan_finds_every_problem_and_flags_no_clean_twin(
    fake_org: FakeOktaOrg, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(
        tmp_path, {"org_url": fake_org.url, "token_env": TOKEN_ENV, "name": "Acme"}
    )
    code, out, err = run(["scan", "--config", config, "--format", "json", "-q"], capsys)
    doc = json.loads(out)
    assert code == 1, err
    assert doc["scan"]["errors"] == [] and not doc["scan"]["partial"]
    assert verdicts(doc, "fail") == EXPECTED_FAILURES
    assert verdicts(doc, "pass") >= EXPECTED_PASSES
    assert verdicts(doc, "error") == set()
    assert {f["account"] for f in doc["findings"]} == {"127.0.0.1"}
    assert doc["scan"]["targets"] == [
        {"provider": "okta", "account": "127.0.0.1", "account_name": "Acme", "regions": []}
    ]
    last_user_page = "/api/v1/users?limit=200&after=00u1mallory0000011"
    assert ("GET", last_user_page) in fake_org.requests
    assert TOKEN not in out and TOKEN not in err
    assert "JBSWY3DP" not in out and "555555555555" not in out


def test_org_url_flag_with_the_sdk_token_variable(
    fake_org: FakeOktaOrg, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)
    argv = ["scan", "--provider", "okta", "--okta-org-url", fake_org.url, "--format", "json"]
    code, out, _ = run([*argv, "--check", "okta.logging.*"], capsys)
    assert code == 1
    assert verdicts(json.loads(out), "fail") == {
        ("okta.logging.no_active_log_stream", "log_streaming")
    }


def test_sdk_environment_variables_alone_are_enough(
    fake_org: FakeOktaOrg, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OKTA_CLIENT_ORGURL", fake_org.url)
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)
    code, out, _ = run(
        ["scan", "--provider", "okta", "--check", "okta.policy.password_*", "--format", "json"],
        capsys,
    )
    assert code == 1
    assert {c for c, _ in verdicts(json.loads(out), "fail")} == {
        "okta.policy.password_min_length_short",
        "okta.policy.password_history_short",
        "okta.policy.password_lockout_weak",
    }


def test_a_clean_result_exits_0(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    blocking = {"action": "block", "excludeZones": []}
    with FakeOktaOrg(token=TOKEN, overrides={"threat_insight": blocking}) as fake:
        config = write_config(tmp_path, {"org_url": fake.url, "token_env": TOKEN_ENV})
        argv = ["scan", "--config", config, "--format", "json"]
        code, out, _ = run([*argv, "--check", "okta.security.threat_insight_not_blocking"], capsys)
    assert code == 0
    assert verdicts(json.loads(out), "pass") == {
        ("okta.security.threat_insight_not_blocking", "threat_insight")
    }


def test_a_403_makes_the_scan_partial_and_its_checks_error(
    fake_org: FakeOktaOrg, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_org.inject(forbidden("/api/v1/api-tokens"))
    config = write_config(tmp_path, {"org_url": fake_org.url, "token_env": TOKEN_ENV})
    code, out, _ = run(["scan", "--config", config, "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 3
    assert doc["scan"]["partial"]
    [scan_error] = doc["scan"]["errors"]
    assert scan_error["collection"] == "okta.api_tokens"
    token_checks = {
        f["check_id"]: f for f in doc["findings"] if f["check_id"].startswith("okta.api_tokens.")
    }
    assert set(token_checks) == {
        "okta.api_tokens.owned_by_super_admin",
        "okta.api_tokens.not_network_restricted",
        "okta.api_tokens.unused",
    }
    assert {f["status"] for f in token_checks.values()} == {"error"}
    assert all("Super Administrator" in f["message"] for f in token_checks.values())
    # Everything else was still evaluated.
    assert ("okta.users.dormant", "carol.diaz@acme.example") in verdicts(doc, "fail")


@pytest.mark.parametrize(
    ("env", "url", "message"),
    [
        ({}, "http://127.0.0.1:9", "plain http"),
        ({"OKTA_TESTING_TESTINGDISABLEHTTPSCHECK": "1"}, "http://127.0.0.1:9", "plain http"),
        ({"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"}, "http://acme.okta.com", "only for loopback"),
        ({}, "ftp://acme.okta.com", "not an http(s) URL"),
        ({}, "https://acme.okta.com/oauth2/default", "just scheme and host"),
        ({}, "https://admin:hunter2@acme.okta.com", "must not carry credentials"),
    ],
)
def test_unsafe_or_malformed_org_urls_are_refused(
    env: dict[str, str],
    url: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", raising=False)
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code, _out, err = run(["scan", "--provider", "okta", "--okta-org-url", url], capsys)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert TOKEN not in err and "hunter2" not in err


def test_missing_token_bad_token_and_inline_secrets_exit_2(
    fake_org: FakeOktaOrg,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, {"org_url": fake_org.url, "token_env": "POSTURE_NO_SUCH_VAR"})
    code, _, err = run(["scan", "--config", config], capsys)
    assert code == 2 and "set POSTURE_NO_SUCH_VAR" in err

    monkeypatch.setenv(TOKEN_ENV, "wrong-token-value")
    config = write_config(tmp_path, {"org_url": fake_org.url, "token_env": TOKEN_ENV})
    code, _, err = run(["scan", "--config", config], capsys)
    assert code == 2 and "rejected the credentials" in err and "wrong-token-value" not in err

    config = write_config(tmp_path, {"org_url": fake_org.url, "token": "inline-secret"})
    code, _, err = run(["scan", "--config", config], capsys)
    assert code == 2 and "okta.orgs.0.token" in err and "inline-secret" not in err

    code, _, err = run(["scan", "--provider", "okta"], capsys)
    assert code == 2 and "no Okta org given" in err


def test_demo_scans_the_embedded_org(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["scan", "--provider", "okta", "--demo", "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 1
    assert verdicts(doc, "fail") == EXPECTED_FAILURES
    assert doc["scan"]["targets"][0]["account_name"] == "Acme (demo)"


def test_an_unreachable_org_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)
    argv = ["scan", "--provider", "okta", "--okta-org-url", "http://127.0.0.1:9"]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "cannot reach Okta org http://127.0.0.1:9" in err


def test_several_orgs_in_one_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.setenv("TOKEN_A", "token-a")
    monkeypatch.setenv("TOKEN_B", "token-b")
    with FakeOktaOrg(token="token-a") as a, FakeOktaOrg(token="token-b") as b:
        orgs = [
            {"org_url": a.url, "token_env": "TOKEN_A", "name": "A"},
            {"org_url": b.url, "token_env": "TOKEN_B", "name": "B"},
        ]
        path = tmp_path / "posture.yaml"
        path.write_text(yaml.safe_dump({"providers": ["okta"], "okta": {"orgs": orgs}}))
        argv = ["scan", "--config", str(path), "--format", "json", "--check", "okta.logging.*"]
        code, out, _ = run(argv, capsys)
        assert a.requests and b.requests
    doc = json.loads(out)
    assert code == 1
    assert [t["account_name"] for t in doc["scan"]["targets"]] == ["A", "B"]
    assert len([f for f in doc["findings"] if f["status"] == "fail"]) == 2


def test_one_org_without_credentials_stops_before_any_org_is_scanned(
    fake_org: FakeOktaOrg, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orgs = [
        {"org_url": fake_org.url, "token_env": TOKEN_ENV},
        {"org_url": "https://other.okta.com", "token_env": "POSTURE_UNSET_TOKEN"},
    ]
    path = tmp_path / "posture.yaml"
    path.write_text(yaml.safe_dump({"providers": ["okta"], "okta": {"orgs": orgs}}))
    code, _, err = run(["scan", "--config", str(path)], capsys)
    assert code == 2 and "other.okta.com" in err
    assert fake_org.requests == []


def test_a_403_on_one_users_factors_errors_every_mfa_verdict(
    fake_org: FakeOktaOrg, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_org.inject(forbidden("/api/v1/users/00u1erin0000000005/factors"))
    config = write_config(tmp_path, {"org_url": fake_org.url, "token_env": TOKEN_ENV})
    argv = ["scan", "--config", config, "--format", "json", "--check", "okta.users.active_*"]
    code, out, _ = run(argv, capsys)
    doc = json.loads(out)
    assert code == 3
    assert [(f["status"], f["resource"]["name"]) for f in doc["findings"]] == [
        ("error", "okta.factors")
    ]
