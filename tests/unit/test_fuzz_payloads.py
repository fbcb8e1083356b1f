"""Odd API payloads (Okta, Microsoft Graph, Google Cloud) through the providers' parsers.

Real recorded items are mutated (fields dropped, or replaced by values of another type) and fed
through each provider's parsing functions inside that provider's own collection wrapper: the
wrapper never raises, and the collection ends either OK with a model or as an `error` outcome.
Where a field decides a check, an odd value never reads as the passing one.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures import load
from providers.azuread import parse as graph
from providers.azuread.collections import USERS, recorder
from providers.gcp import parse as gcp
from providers.gcp.collections import BY_NAME as GCP_COLLECTIONS
from providers.gcp.collectors import iam as gcp_iam
from providers.gcp.collectors import kms as gcp_kms
from providers.gcp.collectors import logging as gcp_logging
from providers.gcp.collectors import sql as gcp_sql
from providers.gcp.collectors import storage as gcp_storage
from providers.gcp.collectors import workspace as gcp_workspace
from providers.gcp.runner import classify as gcp_classify
from providers.okta.collections import BY_NAME as OKTA_COLLECTIONS
from providers.okta.collections import recorder as okta_recorder
from providers.okta.collectors import admins as okta_admins
from providers.okta.collectors import policies as okta_policies
from providers.okta.collectors import security as okta_security
from providers.okta.collectors import users as okta_users
from scanner.collection import Recorder
from scanner.inventory import gcp as gcp_inv
from scanner.inventory import okta as okta_inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.progress import NullProgress

Json = dict[str, Any]
Parser = Callable[[Json], Any]

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["false", "true", "0", "", "ACTIVE", "ENFORCED", "1970-01-01T00:00:00Z"]),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=4)), max_size=3),
    st.dictionaries(st.text(max_size=4), st.one_of(st.none(), st.integers()), max_size=2),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        out.append((*prefix, key))
        out.extend(_paths(child, (*prefix, key)))
    return out


@st.composite
def mutated(draw: st.DrawFn, items: list[Json]) -> Json:
    """A recorded item with one to three fields dropped or given a value of another type."""
    item = copy.deepcopy(draw(st.sampled_from(items)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(item)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = item
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(odd_values)
    return item


def _flat(table: Any) -> list[Json]:
    """The items of a fixture: a list, or a mapping of key -> list."""
    if isinstance(table, dict):
        return [i for v in table.values() if isinstance(v, list) for i in v]
    return list(table)


# -- Okta --------------------------------------------------------------------------------------

OKTA = "okta/acme"
OKTA_PARSERS: dict[str, tuple[Parser, list[Json]]] = {
    "user": (okta_users.parse_user, load(f"{OKTA}/users.json")),
    "factor": (
        lambda raw: okta_users.parse_factor("00u1", raw),
        _flat(load(f"{OKTA}/factors.json")),
    ),
    "user_role": (
        lambda raw: okta_admins.parse_user_role("00u1", raw),
        _flat(load(f"{OKTA}/user_roles.json")),
    ),
    "password_policy": (
        okta_policies.parse_password_policy,
        [p for p in load(f"{OKTA}/policies.json") if p.get("type") == "PASSWORD"],
    ),
    "sign_on_rule": (okta_policies.parse_sign_on_rule, _flat(load(f"{OKTA}/policy_rules.json"))),
    "access_rule": (okta_policies.parse_access_rule, _flat(load(f"{OKTA}/policy_rules.json"))),
    "api_token": (okta_security.parse_api_token, load(f"{OKTA}/api_tokens.json")),
}


def _okta_outcome(parse: Parser, raw: Json) -> tuple[Any, CollectionOutcome]:
    run = okta_recorder()
    collection = OKTA_COLLECTIONS[okta_inv.USERS]

    async def fetch() -> Any:
        return parse(raw)

    asyncio.run(run.attempt_async(collection, None, fetch, "fuzz"))
    (outcome,) = run.result.outcomes
    return run.result.value(okta_inv.USERS), outcome


@pytest.mark.parametrize("name", sorted(OKTA_PARSERS))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_odd_okta_payloads_are_parsed_or_a_collection_error(name: str, data: st.DataObject) -> None:
    parse, items = OKTA_PARSERS[name]
    raw = data.draw(mutated(items))
    value, outcome = _okta_outcome(parse, raw)
    _ok_or_error(value, outcome)


# -- Microsoft Graph ---------------------------------------------------------------------------

GRAPH_PARSERS: dict[str, tuple[Parser, list[Json]]] = {
    "user": (graph.user, load("azuread/users.json")),
    "mfa_registration": (graph.mfa_registration, load("azuread/user_registration_details.json")),
    "conditional_access": (
        graph.conditional_access_policy,
        load("azuread/conditional_access_policies.json"),
    ),
    "role_definition": (graph.role_definition, load("azuread/role_definitions.json")),
    "role_assignment": (graph.role_assignment, load("azuread/role_assignments.json")),
    "role_eligibility": (graph.role_assignment, load("azuread/role_eligibility_schedules.json")),
    "group_member": (
        graph.group_member,
        [m for g in load("azuread/groups.json").values() for m in g["members"]],
    ),
    "application": (graph.application, load("azuread/applications.json")),
    "service_principal": (graph.service_principal, load("azuread/service_principals.json")),
    "authorization_policy": (
        graph.authorization_policy,
        [load("azuread/authorization_policy.json")],
    ),
}


def _graph_outcome(parse: Parser, raw: Json) -> tuple[Any, CollectionOutcome]:
    rec = recorder(None)

    async def fetch() -> Any:
        return parse(raw)

    asyncio.run(rec.attempt_async(USERS, None, fetch, USERS.name))
    (outcome,) = rec.result.outcomes
    return rec.result.value(USERS.name), outcome


@pytest.mark.parametrize("name", sorted(GRAPH_PARSERS))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_odd_graph_payloads_are_parsed_or_a_collection_error(
    name: str, data: st.DataObject
) -> None:
    parse, items = GRAPH_PARSERS[name]
    raw = data.draw(mutated(items))
    value, outcome = _graph_outcome(parse, raw)
    _ok_or_error(value, outcome)


# -- Google Cloud ------------------------------------------------------------------------------

GCP_PROJECT = load("gcp/projects/acme-prod.json")
NO_POLICY = gcp.iam_policy({})
GCP_PARSERS: dict[str, tuple[Parser, list[Json]]] = {
    "iam_policy": (
        gcp.iam_policy,
        [GCP_PROJECT["iamPolicy"], *GCP_PROJECT["bucketIamPolicies"].values()],
    ),
    "bucket": (lambda raw: gcp_storage._bucket(raw, NO_POLICY), GCP_PROJECT["buckets"]),
    "service_account_key": (gcp_iam._key, _flat(GCP_PROJECT["serviceAccountKeys"])),
    "crypto_key": (
        lambda raw: gcp_kms._key(raw, "us", NO_POLICY),
        _flat(GCP_PROJECT["kms"]["cryptoKeys"]),
    ),
    "log_sink": (gcp_logging.sink_from, GCP_PROJECT["logSinks"]),
    "sql_instance": (gcp_sql._instance, GCP_PROJECT["sqlInstances"]),
    "workspace_user": (
        lambda raw: gcp_workspace._user(raw, "C03az79cb"),
        load("gcp/workspace_users.json"),
    ),
}
GCP_COLLECTION = GCP_COLLECTIONS[gcp_inv.BUCKETS]


def _gcp_outcome(parse: Parser, raw: Json) -> tuple[Any, CollectionOutcome]:
    recorder = Recorder(gcp_classify, NullProgress())
    value = recorder.attempt(GCP_COLLECTION, None, lambda: parse(raw), "fuzz")
    (outcome,) = recorder.result.outcomes
    return value, outcome


@pytest.mark.parametrize("name", sorted(GCP_PARSERS))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_odd_gcp_payloads_are_parsed_or_a_collection_error(name: str, data: st.DataObject) -> None:
    parse, items = GCP_PARSERS[name]
    raw = data.draw(mutated(items))
    value, outcome = _gcp_outcome(parse, raw)
    _ok_or_error(value, outcome)


def _ok_or_error(value: Any, outcome: CollectionOutcome) -> None:
    if outcome.outcome is Outcome.OK:
        assert value is not None
    else:
        assert outcome.outcome is Outcome.ERROR and outcome.message, outcome
        assert value is None


# -- decisive flags: an odd value is an error, never the passing reading ----------------------

not_a_boolean = odd_values.filter(lambda v: v is not None and not isinstance(v, bool))
FLAGS: list[
    tuple[str, Callable[[Parser, Json], tuple[Any, CollectionOutcome]], str, tuple[str, ...]]
] = [
    ("okta", _okta_outcome, "sign_on_rule", ("actions", "signon", "requireFactor")),
    ("okta", _okta_outcome, "password_policy", ("system",)),
    ("graph", _graph_outcome, "user", ("accountEnabled",)),
    ("gcp", _gcp_outcome, "bucket", ("retentionPolicy", "isLocked")),
    ("gcp", _gcp_outcome, "bucket", ("iamConfiguration", "uniformBucketLevelAccess", "enabled")),
    ("gcp", _gcp_outcome, "sql_instance", ("settings", "ipConfiguration", "requireSsl")),
    ("gcp", _gcp_outcome, "sql_instance", ("settings", "backupConfiguration", "enabled")),
    ("gcp", _gcp_outcome, "service_account_key", ("disabled",)),
    ("gcp", _gcp_outcome, "log_sink", ("disabled",)),
    ("gcp", _gcp_outcome, "workspace_user", ("isEnrolledIn2Sv",)),
    ("gcp", _gcp_outcome, "workspace_user", ("isAdmin",)),
]
TABLES = {"okta": OKTA_PARSERS, "graph": GRAPH_PARSERS, "gcp": GCP_PARSERS}


@pytest.mark.parametrize(("provider", "run", "name", "path"), FLAGS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_an_odd_decisive_flag_is_a_collection_error(
    provider: str,
    run: Callable[[Parser, Json], tuple[Any, CollectionOutcome]],
    name: str,
    path: tuple[str, ...],
    data: st.DataObject,
) -> None:
    parse, items = TABLES[provider][name]
    raw = copy.deepcopy(data.draw(st.sampled_from(items)))
    parent = raw
    for key in path[:-1]:
        parent = parent.setdefault(key, {})
        assert isinstance(parent, dict)
    parent[path[-1]] = data.draw(not_a_boolean)
    value, outcome = run(parse, raw)
    assert outcome.outcome is Outcome.ERROR and path[-1] in outcome.message, outcome
    assert value is None
