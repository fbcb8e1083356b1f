"""Requester-pays buckets: their reads name the scanned project to bill (`userProject`), and
one that still cannot be read leaves its own facts unknown, never the project's bucket checks.

The bucket shape is the storage v1 discovery document's Bucket (`billing.requesterPays`); the
400 is `user_project_missing_body` (Requester Pays page: 400 UserProjectMissing; the JSON API
sends reason "required", "Bucket is a requester pays bucket but no user project provided.").
"""

from __future__ import annotations

from typing import Any

from checks.gcp.iam import personal_account_access
from checks.gcp.storage import bucket_public_access
from providers.demo.fakes.gcp import FakeGcp, error_body, user_project_missing_body
from providers.demo.fakes.server import Fault
from scanner.inventory import gcp as inv
from scanner.inventory.gcp import Bucket
from scanner.models.enums import Outcome
from tests.gcp.helpers import fails, passes, policy, verdicts
from tests.gcp.helpers import project as hand_built
from tests.gcp.test_collect import collect, outcomes, project

BUCKET = "acme-prod-data"
IAM_PATH = f"/storage/storage/v1/b/{BUCKET}/iam"


def _requester_pays(fake: FakeGcp, project_id: str, name: str) -> dict[str, Any]:
    for found in fake.projects[project_id]["buckets"]:
        if found["name"] == name:
            found["billing"] = {"requesterPays": True}
            return found
    raise AssertionError(name)


def _bucket(prod: inv.GcpInventory, name: str = BUCKET) -> Bucket:
    return next(b for b in prod.buckets if b.name == name)


def test_a_requester_pays_bucket_is_read_billed_to_the_scanned_project(fake: FakeGcp) -> None:
    plain = _bucket(project(collect(projects=("acme-prod",)), "acme-prod"))
    _requester_pays(fake, "acme-prod", BUCKET)
    prod = project(collect(projects=("acme-prod",)), "acme-prod")
    assert outcomes(prod)[inv.BUCKETS] is Outcome.OK
    billed = _bucket(prod)
    assert billed.requester_pays and billed.iam_unreadable is None
    assert billed.iam == plain.iam and billed.iam.bindings
    iam_reads = [p for _, p in fake.requests if p.startswith(IAM_PATH)]
    assert iam_reads[-1].count("userProject=acme-prod") == 1


def test_a_bucket_that_says_requester_pays_only_when_read_is_read_again_billed(
    fake: FakeGcp,
) -> None:
    fake.inject(Fault(IAM_PATH, 400, user_project_missing_body()))
    prod = project(collect(projects=("acme-prod",)), "acme-prod")
    assert outcomes(prod)[inv.BUCKETS] is Outcome.OK
    assert _bucket(prod).iam.bindings and _bucket(prod).iam_unreadable is None
    iam_reads = [p for _, p in fake.requests if p.startswith(IAM_PATH)]
    assert len(iam_reads) == 2 and "userProject=acme-prod" in iam_reads[1]


def test_a_refused_bill_leaves_that_bucket_unknown_and_the_rest_standing(fake: FakeGcp) -> None:
    _requester_pays(fake, "acme-prod", BUCKET)
    denied = error_body(
        403,
        "PERMISSION_DENIED",
        "scanner@acme.iam does not have serviceusage.services.use access to the Google Cloud "
        "project.",
    )
    fake.inject(Fault(IAM_PATH, 403, denied, times=10))
    prod = project(collect(projects=("acme-prod",)), "acme-prod")
    assert outcomes(prod)[inv.BUCKETS] is Outcome.OK
    unknown = _bucket(prod)
    assert (
        unknown.iam_unreadable is not None and "serviceusage.services.use" in unknown.iam_unreadable
    )
    assert unknown.iam.bindings == ()
    assert all(b.iam_unreadable is None for b in prod.buckets if b.name != BUCKET)
    assert len(prod.buckets) == 3
    seen = verdicts(bucket_public_access.CHECK, prod)
    assert seen["error"] == {BUCKET}
    assert "acme-prod-assets" in seen["fail"] | seen.get("pass", set())


def test_a_requester_pays_sink_destination_is_read_billed(fake: FakeGcp) -> None:
    _requester_pays(fake, "acme-secure", "acme-secure-log-archive")
    analytics = project(collect(projects=("acme-analytics",)), "acme-analytics")
    assert outcomes(analytics)[inv.SINK_DESTINATIONS] is Outcome.OK
    [destination] = analytics.sink_destinations
    assert destination.retention_locked
    assert (
        "GET",
        "/storage/storage/v1/b/acme-secure-log-archive?userProject=acme-analytics&alt=json",
    ) in fake.requests


def test_checks_on_a_bucket_whose_policy_is_unknown_say_error_not_pass() -> None:
    unread = Bucket(name="rp", uniform_access=True, iam_unreadable="requester-pays bucket")
    open_acl = Bucket(
        name="acl", uniform_access=False, acl_entities=("allUsers",), iam_unreadable="x"
    )
    seen = Bucket(
        name="seen",
        uniform_access=True,
        iam=policy(("roles/storage.admin", ["user:a@acme.example"])),
    )
    inv_ = hand_built(buckets=(unread, open_acl, seen))
    assert verdicts(bucket_public_access.CHECK, inv_) == {
        "error": {"rp"},
        "fail": {"acl"},  # the ACL alone is public: a fail from what was seen
        "pass": {"seen"},
    }
    assert fails(personal_account_access.CHECK, inv_) == set()
    assert passes(personal_account_access.CHECK, inv_) == {"user:a@acme.example"}
    errors = verdicts(personal_account_access.CHECK, inv_)["error"]
    assert errors == {"rp", "acl"}
