"""The real client against the fake GitHub: requests, bounds, App authentication."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from providers.demo.fakes.github import FakeGithub, not_accessible, secondary_rate_limit
from providers.demo.fakes.server import Fault
from providers.github.adapter import collect_org
from providers.github.client import build_api, orgs_to_scan
from providers.github.collections import COLLECTIONS
from providers.github.permissions import NEEDS, TOKEN_REQUEST
from scanner.config.github import GithubConfig
from scanner.errors import CredentialsError, UsageError
from scanner.inventory import github as inv
from tests.github.conftest import TOKEN

ALL = frozenset(c.name for c in COLLECTIONS)
ENV = {"GITHUB_TOKEN": TOKEN, "POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"}


def collect(
    fake: FakeGithub, config: GithubConfig, env: dict[str, str] = ENV
) -> inv.GithubInventory:
    api = build_api(config, env)
    try:
        return collect_org(api, fake.org, config, ALL, datetime.now(UTC))
    finally:
        api.close()


def test_every_request_is_a_declared_read(fake: FakeGithub) -> None:
    inventory = collect(fake, GithubConfig(api_url=fake.url, max_requests_in_flight=3))
    assert all(o.ok for o in inventory.outcomes), inventory.errors
    assert [r.name for r in inventory.repos][:3] == ["analytics", "api", "auth-service"]
    assert {r.name for r in inventory.repos}.isdisjoint({"old-monolith", "forked-lib"})
    for method, path in fake.requests:
        assert method == "GET"
        assert any(n.matches(path) for n in NEEDS.values()), path
    assert max(fake.server.peak_in_flight.values()) <= 3
    # The org ruleset applying to infra is read once, bypass list included.
    rules = next(b for b in inventory.branch_rules if b.repo == "acme/infra")
    assert {r.name for r in rules.rulesets} == {"infra-main", "org-baseline"}
    # Dependabot alerts come from one org-wide list, not one call per repository.
    assert not any("/dependabot/alerts" in p and p.startswith("/repos/") for _, p in fake.requests)


def test_repositories_selected_by_name_glob_or_topic(fake: FakeGithub) -> None:
    selection = {"names": ("pay*",), "topics": ("frontend",)}
    config = GithubConfig.model_validate({"api_url": fake.url, "repositories": selection})
    inventory = collect(fake, config)
    assert {r.name for r in inventory.repos} == {"payments", "web", "design-system"}
    assert {b.repo for b in inventory.branch_rules} == {
        "acme/payments",
        "acme/web",
        "acme/design-system",
    }


def test_old_pull_requests_are_not_read_past_the_window(fake: FakeGithub) -> None:
    inventory = collect(fake, GithubConfig(api_url=fake.url))
    docs = next(c for c in inventory.merged_pulls if c.repo == "acme/docs-site")
    assert len(docs.pulls) == 3 and all(p.approvers == ("heidi-s",) for p in docs.pulls)


def test_a_rate_limit_wait_holds_no_request_slot(fake: FakeGithub) -> None:
    fake.server.latency_seconds = 0.01  # enough work queued to overlap the wait
    fake.inject(secondary_rate_limit("/repos/acme/analytics/keys", retry_after=1))
    inventory = collect(fake, GithubConfig(api_url=fake.url, max_requests_in_flight=1))
    keys = next(k for k in inventory.deploy_keys if k.repo == "acme/analytics")
    assert keys.unreadable is None and len(keys.keys) == 1
    arrivals = fake.server.arrivals
    tries = [t for t, p in arrivals if p.startswith("/repos/acme/analytics/keys")]
    assert len(tries) == 2
    # With one request slot, others were answered while the refused request waited.
    assert sum(1 for t, _ in arrivals if tries[0] < t < tries[1]) > 5


def _app_key(tmp_path: Path) -> tuple[Path, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "app.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path, key


def test_a_github_app_scans_with_an_installation_token(tmp_path: Path) -> None:
    installation = "ghs_installationTokenNeverPrinted0000000"
    path, key = _app_key(tmp_path)
    with FakeGithub(token="unused-classic-token", installation_token=installation) as fake:
        config = GithubConfig(
            api_url=fake.url, app_id="123456", installation_id=42, private_key_file=path
        )
        env = {"POSTURE_ALLOW_INSECURE_ENDPOINTS": "1"}
        api = build_api(config, env)
        try:
            inventory = collect_org(api, fake.org, config, frozenset({inv.ORG}), datetime.now(UTC))
        finally:
            api.close()
        assert inventory.org is not None and inventory.org.login == "acme"
        assert fake.installation_tokens_issued == 1
        # Within five minutes of its expiry the installation token is renewed before use.
        source = api._token  # type: ignore[attr-defined]
        source._expires = time.time() + 60
        assert source() == installation and fake.installation_tokens_issued == 2
        assert source() == installation and fake.installation_tokens_issued == 2
        assert ("POST", "/app/installations/42/access_tokens") in fake.requests
        assert TOKEN_REQUEST.replace("[0-9]+", "42") == "/app/installations/42/access_tokens"
    token = api._token.app_jwt()  # type: ignore[attr-defined]
    claims = jwt.decode(token, key.public_key(), algorithms=["RS256"])
    assert claims["iss"] == "123456" and claims["exp"] - claims["iat"] <= 600


def test_a_github_app_with_a_bad_key_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    config = GithubConfig(app_id="1", installation_id=2, private_key_file=bad)
    with pytest.raises(CredentialsError, match="not an RSA private key"):
        build_api(config, {})


def test_orgs_and_api_url_are_checked() -> None:
    with pytest.raises(UsageError, match="no GitHub organisation"):
        orgs_to_scan(GithubConfig())
    with pytest.raises(UsageError, match="not a GitHub organisation login"):
        orgs_to_scan(GithubConfig(orgs=("acme/../x",)))
    assert orgs_to_scan(GithubConfig(orgs=("acme", "acme", "beta"))) == ["acme", "beta"]
    with pytest.raises(UsageError, match="plain http"):
        build_api(GithubConfig(api_url="http://github.example/api/v3"), {"GITHUB_TOKEN": "x"})
    with pytest.raises(ValueError, match="GitHub App needs"):
        GithubConfig(app_id="1")


def test_a_hung_call_ends_at_its_deadline(fake: FakeGithub) -> None:
    fake.inject(Fault("/orgs/acme/repos", 200, [], delay_seconds=5))
    started = time.monotonic()
    inventory = collect(fake, GithubConfig(api_url=fake.url, call_timeout_seconds=1))
    assert time.monotonic() - started < 4
    (failed,) = (o for o in inventory.errors if o.collection == inv.REPOS)
    assert "ReadTimeout" in failed.message
    # What reads the repositories says why it has nothing, and names what it needs.
    assert any(o.collection == inv.BRANCH_RULES and o.missing for o in inventory.errors)


def test_an_answer_past_the_size_bound_is_an_error(fake: FakeGithub) -> None:
    inventory = collect(fake, GithubConfig(api_url=fake.url, max_response_bytes=4096))
    (failed,) = (o for o in inventory.errors if o.collection == inv.REPOS)
    assert "answer too large" in failed.message


def test_dependabot_alerts_fall_back_to_each_repository(fake: FakeGithub) -> None:
    fake.inject(not_accessible("/orgs/acme/dependabot/alerts"))
    inventory = collect(fake, GithubConfig(api_url=fake.url))
    found = {a.repo: a for a in inventory.dependabot_alerts}
    assert [a.severity for a in found["acme/data-pipeline"].alerts] == [
        "critical",
        "high",
        "medium",
    ]
    assert all(a.unreadable is None for a in found.values())
    # Alerts off on mobile: not asked (dependabot_alerts_disabled reports the setting).
    assert not any(p.startswith("/repos/acme/mobile/dependabot") for _, p in fake.requests)
    assert any(p.startswith("/repos/acme/api/dependabot/alerts") for _, p in fake.requests)
