"""`posture permissions --provider okta` comes from the declared calls; a scan keeps them honest.

Every request a scan of the fake org logs must match a call that `NEEDS` declares for a
collection the scan was asked for, and that collection's scopes must be in the printed list.
"""

from __future__ import annotations

import re

import pytest

from checks.okta import CHECKS as OKTA_CHECKS
from checks.registry import all_checks, select_checks
from providers.demo.fakes.okta import FakeOktaOrg
from providers.okta.collections import BY_NAME, COLLECTIONS
from providers.okta.permissions import (
    NEEDS,
    READ_ONLY,
    SUPER,
    TOKEN_REQUEST,
    least_role,
    needed,
    render,
    scopes,
)
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.inventory import okta as inv
from scanner.scan import required_collections
from tests.okta.conftest import TOKEN, TOKEN_ENV
from tests.okta.test_collect import collect

CHECKED = required_collections(OKTA_CHECKS)
EVERYTHING = frozenset(NEEDS)
_SCOPES_LINE = re.compile(r"^\s+scopes: \[(.*)\]$", re.MULTILINE)


def printed_scopes(text: str) -> set[str]:
    match = _SCOPES_LINE.search(text)
    assert match, text
    return set(match.group(1).split(", "))


def assert_requests_declared(fake: FakeOktaOrg, collections: frozenset[str]) -> set[str]:
    """Each logged request matches a requested collection's call; returns the collections hit."""
    wanted = needed(collections)
    granted = printed_scopes(render(collections))
    hit: set[str] = set()
    assert fake.requests, "the scan made no requests"
    for method, path in fake.requests:
        if method == "POST" and path == TOKEN_REQUEST:
            continue
        assert method == "GET", path
        owners = [name for name in wanted if NEEDS[name].matches(path)]
        assert owners, f"GET {path}: no declared call of a requested collection"
        assert any(set(NEEDS[n].scopes) <= granted for n in owners), path
        hit.update(owners)
    return hit


def test_every_request_of_a_full_scan_is_declared(fake_org: FakeOktaOrg) -> None:
    collect(fake_org, EVERYTHING)
    hit = assert_requests_declared(fake_org, EVERYTHING)
    assert hit == set(NEEDS), "every declared collection was read"


def test_every_declared_call_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fallbacks included: holders the listing missed, and users who left during the scan."""
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    paths: list[str] = []
    for settings in (
        {},
        {"honour_search": False},
        {"overrides": {"apps": []}},
        {"left_mid_scan": frozenset({"00u1alice0000000001"})},
    ):
        with FakeOktaOrg(token=TOKEN, **settings) as fake:  # type: ignore[arg-type]
            collect(fake, EVERYTHING)
            assert_requests_declared(fake, EVERYTHING)
            paths += [p for _, p in fake.requests]
    unused = {
        (name, call)
        for name, need in NEEDS.items()
        for call in need.calls
        if not any(re.fullmatch(call + r"(?:[?&].*)?", p) for p in paths)
    }
    assert unused == set(), "declared but never called (stale declaration?)"


@pytest.mark.parametrize(
    ("check_id", "scopes", "role"),
    [
        (
            "okta.api_tokens.not_network_restricted",
            {"okta.apiTokens.read", "okta.users.read", "okta.networkZones.read"},
            SUPER,
        ),
        ("okta.logging.no_active_log_stream", {"okta.logStreams.read"}, READ_ONLY),
        ("okta.users.active_without_mfa", {"okta.users.read"}, READ_ONLY),
    ],
)
def test_check_narrows_the_scopes_and_role(
    fake_org: FakeOktaOrg, check_id: str, scopes: set[str], role: str
) -> None:
    collections = required_collections(select_checks(all_checks(), ("okta",), (check_id,)))
    text = render(collections)
    assert printed_scopes(text) == scopes
    assert f"Admin role: {role}" in text and least_role(collections) == role
    collect(fake_org, collections)
    assert_requests_declared(fake_org, collections)


def test_full_output_names_every_scope_and_the_super_admin_collections() -> None:
    assert CHECKED == EVERYTHING, "a collection no check requires is never read"
    text = render(EVERYTHING)
    assert printed_scopes(text) == set(scopes(NEEDS))  # the config's default scopes
    assert f"Admin role: {SUPER}" in text and inv.API_TOKENS in text


def test_access_denied_names_the_declared_role_and_scopes() -> None:
    for collection in COLLECTIONS:
        need = NEEDS[collection.name]
        assert collection.needs is need
        assert need.role in need.missing and all(s in need.missing for s in need.scopes)
    assert [c.name for c in COLLECTIONS] == list(NEEDS)
    assert BY_NAME[inv.FACTORS].after == (inv.USERS,)


def test_docs_table_matches_the_declarations() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "okta.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in doc.splitlines()
        if line.startswith("| `okta.") and line.count("|") == 5
    }
    for name, need in NEEDS.items():
        assert name in rows, name
        assert need.role in rows[name] and all(s in rows[name] for s in need.scopes), name


def test_readme_lists_every_scope() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith("| Okta |")]
    assert set(re.findall(r"`(okta\.\w+\.read)`", row)) == set(scopes(NEEDS))
