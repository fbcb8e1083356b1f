"""`posture permissions --provider gcp` comes from the declared calls; a scan keeps them honest.

Every request a scan of the fake organization logs must match a call that `NEEDS` declares for
a collection the scan was asked for, and that call's permission must be in the printed role.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from checks.gcp import CHECKS as GCP_CHECKS
from checks.registry import all_checks, select_checks
from providers.demo.fakes.gcp import FakeGcp
from providers.gcp.adapter import GcpProvider
from providers.gcp.permissions import NEEDS, PROJECTS_SEARCH, Call, needed, render
from scanner.config import PostureConfig
from scanner.config.gcp import GcpConfig
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from scanner.providers import CollectRequest
from scanner.scan import required_collections

EVERYTHING = required_collections(GCP_CHECKS)


def scan(collections: frozenset[str], **gcp: Any) -> None:
    settings = {
        "organization": "482019374651",
        "workspace_admin": "admin@acme.example",
        "retry_initial_seconds": 0.01,
        **gcp,
    }
    config = PostureConfig(gcp=GcpConfig.model_validate(settings))
    request = CollectRequest(config=config, collections=collections, now=datetime.now(UTC))
    GcpProvider(config).collect(request)


def declared(method: str, logged: str) -> list[tuple[str, Call]]:
    """(collection, call) pairs whose declaration matches a request the fake logged."""
    api, _, rest = logged.lstrip("/").partition("/")
    path = "/" + rest.split("?", 1)[0]
    return [
        (name, call)
        for name, need in NEEDS.items()
        for call in need.calls
        if call.api == api and call.matches(method, path)
    ]


def role_permissions(text: str) -> set[str]:
    document = yaml.safe_load(text) or {}
    return set(document.get("includedPermissions") or ())


def assert_requests_declared(fake: FakeGcp, collections: frozenset[str]) -> set[Call]:
    text = render(collections)
    granted = role_permissions(text)
    wanted = set(needed(collections))
    used: set[Call] = set()
    assert fake.requests, "the scan made no requests"
    for method, logged in fake.requests:
        matches = [(n, c) for n, c in declared(method, logged) if n in wanted]
        assert matches, f"{method} {logged}: no declared call of a requested collection"
        for name, call in matches:
            used.add(call)
            if NEEDS[name].delegated:
                assert call.permission in text, call.permission
            else:
                assert call.permission in granted, f"{logged} needs {call.permission}"
    return used


@pytest.mark.parametrize("mode", ["organization", "projects"])
def test_every_request_of_a_full_scan_is_declared(fake: FakeGcp, mode: str) -> None:
    extra = {"organization": None, "projects": ("acme-prod", "acme-analytics")}
    scan(EVERYTHING, **(extra if mode == "projects" else {}))
    assert_requests_declared(fake, EVERYTHING)


def test_every_declared_call_is_made_by_some_scan(fake: FakeGcp) -> None:
    scan(EVERYTHING)
    scan(EVERYTHING, organization=None, projects=("acme-analytics",))  # reads a sink bucket
    used = assert_requests_declared(fake, EVERYTHING)
    unused = {(n, c.path) for n, need in NEEDS.items() for c in need.calls if c not in used}
    assert unused == set(), "declared but never called (stale declaration?)"


@pytest.mark.parametrize(
    ("check_id", "expected", "absent"),
    [
        ("gcp.sql.backups_disabled", {"cloudsql.instances.list"}, "storage.buckets.list"),
        (
            "gcp.storage.bucket_public_access",
            {"storage.buckets.list", "storage.buckets.getIamPolicy"},
            "cloudsql.instances.list",
        ),
        ("gcp.compute.proxy_weak_tls", {"compute.sslPolicies.list"}, "iam.serviceAccounts.list"),
    ],
)
def test_check_narrows_the_role_to_what_its_collections_call(
    fake: FakeGcp, check_id: str, expected: set[str], absent: str
) -> None:
    collections = required_collections(select_checks(all_checks(), ("gcp",), (check_id,)))
    text = render(collections)
    granted = role_permissions(text)
    discovery = {"resourcemanager.projects.get", "resourcemanager.folders.get"}
    assert expected <= granted and absent not in text
    own = {p for name in collections for p in NEEDS[name].permissions}
    assert granted == own | discovery
    scan(collections)
    assert_requests_declared(fake, collections)


def test_role_is_a_gcloud_role_file_and_names_predefined_roles() -> None:
    text = render(EVERYTHING)
    document = yaml.safe_load(text)
    assert document["stage"] == "GA" and document["title"]
    permissions = document["includedPermissions"]
    assert permissions == sorted(set(permissions))
    assert all(p.split(".")[-1].startswith(("get", "list")) for p in permissions)
    assert "roles/iam.securityReviewer" in text and "roles/viewer" in text
    assert "admin.directory.user.readonly" in text  # Workspace, by delegation
    assert "admin.directory" not in render(EVERYTHING - {inv.WORKSPACE_USERS})


def test_every_collection_is_declared_once_with_its_needs() -> None:
    from providers.gcp.collections import BY_NAME, COLLECTIONS

    assert len(BY_NAME) == len(COLLECTIONS)
    assert set(BY_NAME) == set(NEEDS) - {PROJECTS_SEARCH}  # the search is the planning step
    for collection in COLLECTIONS:
        assert collection.needs is NEEDS[collection.name]


def test_access_denied_names_the_declared_permissions() -> None:
    from googleapiclient.errors import HttpError
    from httplib2 import Response

    from providers.gcp.collections import COLLECTIONS
    from providers.gcp.runner import classify

    body = b'{"error": {"code": 403, "message": "denied", "status": "PERMISSION_DENIED"}}'
    denied = HttpError(Response({"status": 403}), body)
    for collection in COLLECTIONS:
        outcome = classify(collection, "acme-prod", denied)
        assert outcome.outcome is Outcome.ACCESS_DENIED
        assert (outcome.collection, outcome.scope) == (collection.name, "acme-prod")
        if NEEDS[collection.name].delegated:
            assert outcome.missing is not None and "domain-wide delegation" in outcome.missing
        else:
            assert outcome.missing == ", ".join(NEEDS[collection.name].permissions)
