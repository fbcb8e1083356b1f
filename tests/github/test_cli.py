"""Black-box: `posture scan --provider github` against the fake org, as a user would run it."""

from __future__ import annotations

import logging

import pytest

from providers.demo.fakes.github import FakeGithub, hidden, not_accessible, secondary_rate_limit
from tests.github.conftest import TOKEN, run, scan_argv, scan_json, verdicts

# Every problem planted in fixtures/github/acme, and nothing else.
EXPECTED_FAILURES = {
    ("github.org.two_factor_not_required", "acme"),
    ("github.org.members_without_2fa", "octo-intern"),
    ("github.org.too_many_owners", "acme"),
    ("github.org.outside_collaborator_write_access", "contractor-jane"),
    ("github.branch.default_branch_unprotected", "acme/billing:main"),
    ("github.branch.too_few_required_approvals", "acme/payments:main"),
    ("github.branch.stale_approvals_not_dismissed", "acme/payments:main"),
    ("github.branch.code_owner_review_not_required", "acme/payments:main"),
    ("github.branch.rules_bypassable", "acme/payments:main"),
    ("github.branch.rules_bypassable", "acme/infra:main"),
    ("github.branch.force_push_or_deletion_allowed", "acme/payments:main"),
    ("github.branch.force_push_or_deletion_allowed", "acme/infra:main"),
    ("github.branch.no_required_status_checks", "acme/payments:main"),
    ("github.changes.merged_without_approval", "acme/billing"),
    ("github.changes.merged_without_approval", "acme/ml-models"),
    ("github.security.secret_scanning_disabled", "acme/mobile"),
    ("github.security.secret_scanning_disabled", "acme/marketing-site"),
    ("github.security.dependabot_alerts_disabled", "acme/mobile"),
    ("github.security.dependabot_alerts_overdue", "acme/data-pipeline"),
    ("github.security.deploy_key_write_access", "acme/mobile"),
}
BRANCH_CHECKS = (
    "default_branch_unprotected",
    "too_few_required_approvals",
    "stale_approvals_not_dismissed",
    "code_owner_review_not_required",
    "rules_bypassable",
    "force_push_or_deletion_allowed",
    "no_required_status_checks",
)
# Clean twins: classic protection (api), a ruleset only (web), an unreviewed merge outside the
# window (docs-site), a high alert within the SLA (data-pipeline), read-only access (auditor-bob).
EXPECTED_PASSES = {
    *((f"github.branch.{c}", "acme/api:main") for c in BRANCH_CHECKS),
    *((f"github.branch.{c}", "acme/web:main") for c in BRANCH_CHECKS),
    ("github.changes.merged_without_approval", "acme/docs-site"),
    ("github.changes.merged_without_approval", "acme/web"),
    ("github.security.secret_scanning_disabled", "acme/api"),
    ("github.security.deploy_key_write_access", "acme/api"),
    ("github.org.outside_collaborator_write_access", "auditor-bob"),
    ("github.org.members_without_2fa", "alice-ng"),
}
OUT_OF_SCOPE = ("acme/old-monolith", "acme/forked-lib")


def test_scan_finds_every_problem_and_flags_no_clean_twin(
    fake: FakeGithub, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc, out, _ = scan_json(fake, capsys)
    assert code == 1
    assert doc["scan"]["errors"] == [] and not doc["scan"]["partial"]
    assert verdicts(doc, "fail") == EXPECTED_FAILURES
    assert verdicts(doc, "pass") >= EXPECTED_PASSES
    assert verdicts(doc, "error") == set()
    assert all(name not in out for name in OUT_OF_SCOPE)
    by_id = {(f["check_id"], f["resource"]["name"]): f for f in doc["findings"]}
    assert by_id[("github.branch.default_branch_unprotected", "acme/billing:main")]["soc2"] == [
        "CC8.1"
    ]
    assert by_id[("github.org.outside_collaborator_write_access", "contractor-jane")]["soc2"] == [
        "CC6.3",
        "CC9.2",
    ]
    assert by_id[("github.security.secret_scanning_disabled", "acme/mobile")]["soc2"] == [
        "CC6.1",
        "CC7.1",
    ]
    unapproved = by_id[("github.changes.merged_without_approval", "acme/billing")]["evidence"]
    assert [(p["author"], p["merged_by"]) for p in unapproved["unapproved"]] == [
        ("bmartin", "bmartin"),
        ("alice-ng", "carol-d"),
    ]
    repo = by_id[("github.security.deploy_key_write_access", "acme/mobile")]["resource"]
    assert repo["uid"] == f"{fake.url}/repos/acme/mobile"
    assert {f["account"] for f in doc["findings"]} == {"acme"}
    # Problem repositories sit beyond the first page of five.
    assert ("GET", "/orgs/acme/repos?per_page=100&type=all&page=4") in fake.requests
    assert all(m == "GET" for m, _ in fake.requests)


def test_a_secondary_rate_limit_is_waited_out(
    fake: FakeGithub, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject(secondary_rate_limit("/orgs/acme/repos", times=2, retry_after=1))
    code, doc, _, _ = scan_json(fake, capsys, "--check", "github.branch.*")
    assert code == 1 and doc["scan"]["errors"] == []
    assert sum(1 for _, p in fake.requests if p.startswith("/orgs/acme/repos?")) >= 6
    assert ("github.branch.default_branch_unprotected", "acme/billing:main") in verdicts(
        doc, "fail"
    )


def test_a_token_without_administration_read_is_an_error_not_unprotected(
    fake: FakeGithub, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject(not_accessible("/branches/main/protection"))
    fake.inject(hidden("/rulesets/"))
    code, doc, _, _ = scan_json(fake, capsys, "--check", "github.branch.*")
    assert code == 3 and doc["scan"]["partial"]
    errors = {
        (f["check_id"], f["resource"]["name"]): f["message"]
        for f in doc["findings"]
        if f["status"] == "error"
    }
    unprotected = errors[("github.branch.default_branch_unprotected", "acme/billing:main")]
    assert "Administration: read" in unprotected
    assert ("github.branch.default_branch_unprotected", "acme/billing:main") not in verdicts(
        doc, "fail"
    )
    # A ruleset protects web whatever classic protection says: still protected.
    assert ("github.branch.default_branch_unprotected", "acme/web:main") in verdicts(doc, "pass")
    # What the rulesets enforce still fails where it falls short; what classic protection
    # might add is unknown, so payments' verdicts are errors, never passes.
    assert ("github.branch.rules_bypassable", "acme/web:main") in errors


def test_a_hidden_404_is_not_read_as_unprotected(
    fake: FakeGithub, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject(hidden("/repos/acme/billing/branches/main/protection"))
    code, doc, _, _ = scan_json(fake, capsys, "--check", "github.branch.default_branch_*")
    assert code == 3
    assert ("github.branch.default_branch_unprotected", "acme/billing:main") in verdicts(
        doc, "error"
    )


def test_bad_credentials_are_one_line_and_exit_2(
    fake: FakeGithub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = "ghp_wrongTokenAlsoNeverPrinted99999999"
    monkeypatch.setenv("GITHUB_TOKEN", wrong)
    code, out, err = run(scan_argv(fake), capsys)
    assert code == 2
    assert "rejected the credentials" in err and "Bad credentials" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert wrong not in out + err and TOKEN not in out + err


def test_no_token_is_one_line_and_exit_2(
    fake: FakeGithub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run(scan_argv(fake), capsys)
    assert code == 2 and "GITHUB_TOKEN" in err and len(err.strip().splitlines()) == 1


def test_plain_http_needs_loopback_and_the_switch(
    fake: FakeGithub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("POSTURE_ALLOW_INSECURE_ENDPOINTS")
    code, _, err = run(scan_argv(fake), capsys)
    assert code == 2 and "plain http" in err
    assert fake.requests == []


def test_the_token_never_reaches_logs(
    fake: FakeGithub, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.inject(not_accessible("/keys"))
    fake.inject(secondary_rate_limit("/orgs/acme/members", retry_after=0))
    scan_json(fake, capsys, "--check", "github.security.deploy_key_write_access")
    assert TOKEN not in caplog.text


def test_permissions_name_what_the_checks_need(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["permissions", "--provider", "github"], capsys)
    assert code == 0
    for needed in ("Administration: read", "Pull requests: read", "read:org", "repo", "owner"):
        assert needed in out
    code, out, _ = run(
        ["permissions", "--provider", "github", "--check", "github.changes.*"], capsys
    )
    assert "Pull requests: read" in out and "Administration: read" not in out


@pytest.mark.parametrize(
    "url", ["http://[::1", "https://user:secret@ghe.example/api/v3", "ftp://ghe.example"]
)
def test_a_bad_api_url_is_one_line_and_exit_2(
    url: str, fake: FakeGithub, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["scan", "--provider", "github", "--github-org", "acme", "--github-api-url", url]
    code, _, err = run(argv, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "secret@" not in err
