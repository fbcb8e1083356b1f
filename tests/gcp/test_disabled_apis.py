"""A disabled API (google.rpc.ErrorInfo SERVICE_DISABLED): whose it is decides what it means.

The bodies are the fake's `service_disabled_body`, shaped as Google sends them: a 403 with the
legacy `errors[].reason` accessNotConfigured and an ErrorInfo detail whose metadata names the
`service` and the `consumer` ("projects/<number>").
"""

from __future__ import annotations

import json
from typing import Any

import httplib2
import pytest
from google.api_core import exceptions as core_exceptions
from googleapiclient.errors import HttpError

from providers.demo.fakes.gcp import FakeGcp, service_disabled_body
from providers.demo.fakes.server import Fault
from providers.gcp.collections import BY_NAME
from providers.gcp.disabled import DisabledNotes
from providers.gcp.errors import describe
from providers.gcp.runner import Project
from scanner.collection import CollectionFailedError
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from tests.gcp.test_collect import collect, outcomes, project

PROD_NUMBER = "304918274615"
QUOTA_PROJECT = "999000111222"


def _http_error(body: dict[str, Any]) -> HttpError:
    return HttpError(httplib2.Response({"status": 403}), json.dumps(body).encode())


def _raise(exc: Exception) -> Any:
    raise exc


def test_the_consumer_is_read_from_the_error_info() -> None:
    failure = describe(_http_error(service_disabled_body("sqladmin.googleapis.com", "42")))
    assert failure is not None
    assert failure.consumer == "projects/42"
    assert failure.service == "sqladmin.googleapis.com"


def test_the_consumer_is_read_from_an_api_core_exception() -> None:
    from google.rpc import error_details_pb2

    info = error_details_pb2.ErrorInfo(
        reason="SERVICE_DISABLED",
        domain="googleapis.com",
        metadata={"service": "cloudkms.googleapis.com", "consumer": "projects/42"},
    )
    failure = describe(core_exceptions.PermissionDenied("disabled", error_info=info))
    assert failure is not None and failure.consumer == "projects/42"


def test_api_disabled_in_the_callers_quota_project_is_an_error_naming_it(fake: FakeGcp) -> None:
    # Cloud SQL would read as empty were it disabled in acme-prod itself; it is not.
    fake.inject(
        Fault(
            "/sqladmin/v1/projects/acme-prod/instances",
            403,
            service_disabled_body("sqladmin.googleapis.com", QUOTA_PROJECT),
        )
    )
    prod = project(collect(), "acme-prod")
    (sql,) = [o for o in prod.outcomes if o.collection == inv.SQL_INSTANCES]
    assert sql.outcome is Outcome.ERROR
    assert f"projects/{QUOTA_PROJECT}" in sql.message and "quota project" in sql.message
    assert sql.missing == f"sqladmin.googleapis.com enabled in projects/{QUOTA_PROJECT}"


def test_api_disabled_in_the_project_where_resources_exist_anyway_stays_a_gap(
    fake: FakeGcp,
) -> None:
    # Service accounts (the Compute default one, say) exist with the IAM API off.
    fake.inject(
        Fault(
            "/iam/v1/projects/acme-prod/serviceAccounts?",
            403,
            service_disabled_body("iam.googleapis.com", PROD_NUMBER),
        )
    )
    prod = project(collect(), "acme-prod")
    assert outcomes(prod)[inv.SERVICE_ACCOUNT_KEYS] is Outcome.API_DISABLED
    assert prod.service_accounts == ()


def test_api_disabled_without_error_info_stays_a_gap(fake: FakeGcp) -> None:
    body = service_disabled_body("sqladmin.googleapis.com", PROD_NUMBER)
    del body["error"]["details"]  # the legacy answer: accessNotConfigured only
    fake.inject(Fault("/sqladmin/v1/projects/acme-prod/instances", 403, body))
    prod = project(collect(), "acme-prod")
    assert outcomes(prod)[inv.SQL_INSTANCES] is Outcome.API_DISABLED


@pytest.mark.parametrize("consumer", ["projects/acme-prod", f"projects/{PROD_NUMBER}"])
def test_the_scanned_project_is_recognised_by_id_or_number(consumer: str) -> None:
    notes = DisabledNotes()
    sql = BY_NAME[inv.SQL_INSTANCES]
    exc = _http_error(service_disabled_body("sqladmin.googleapis.com", "0"))
    body = json.loads(exc.content)
    body["error"]["details"][0]["metadata"]["consumer"] = consumer
    exc = _http_error(body)
    value = notes.guard(sql, Project(id="acme-prod", number=PROD_NUMBER), lambda: _raise(exc))
    assert value == ()
    assert (inv.SQL_INSTANCES, "acme-prod") in notes.messages


def test_a_multi_field_collection_reads_as_empty_fields() -> None:
    tls = BY_NAME[inv.TLS_PROXIES]
    exc = _http_error(service_disabled_body("compute.googleapis.com", PROD_NUMBER))
    value = DisabledNotes().guard(
        tls, Project(id="acme-prod", number=PROD_NUMBER), lambda: _raise(exc)
    )
    assert value == {"ssl_policies": (), "target_proxies": (), "tls_endpoints": ()}


def test_a_numbered_consumer_with_the_project_number_unknown_stays_a_gap() -> None:
    sql = BY_NAME[inv.SQL_INSTANCES]
    exc = _http_error(service_disabled_body("sqladmin.googleapis.com", PROD_NUMBER))
    with pytest.raises(HttpError):
        DisabledNotes().guard(sql, Project(id="acme-prod"), lambda: _raise(exc))


def test_another_projects_consumer_raises_a_named_error() -> None:
    sql = BY_NAME[inv.SQL_INSTANCES]
    exc = _http_error(service_disabled_body("sqladmin.googleapis.com", QUOTA_PROJECT))
    with pytest.raises(CollectionFailedError) as raised:
        DisabledNotes().guard(sql, Project(id="acme-prod", number=PROD_NUMBER), lambda: _raise(exc))
    assert raised.value.outcome is Outcome.ERROR
