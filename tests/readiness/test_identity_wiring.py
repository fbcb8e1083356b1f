"""The wiring between the providers and the cross-provider identity checks: collection names,
the GCP projection, and the account dates the identity providers hand over."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from checks.identity.access import orphaned_access, unmanaged_console_identity
from checks.identity.training import new_hire_overdue, not_completed
from scanner.check import AnyCheck
from scanner.identity.projection import gcp_identities, run_inventory
from scanner.inventory import azuread, gcp, github, okta
from scanner.inventory import evidence as ev
from scanner.inventory.aws import identity as aws_inv
from scanner.inventory.run import CLOUD_IDENTITY_COLLECTIONS, DIRECTORY_COLLECTIONS
from scanner.models.enums import Outcome, Status
from scanner.models.inventory import CollectionOutcome, Inventory
from tests.readiness.helpers import FakeDirectoryInventory, names, person, run
from tests.readiness.test_identity import aws, evidence, iam_user, training

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
IDENTITY_CHECKS: tuple[AnyCheck, ...] = (
    not_completed.CHECK,
    new_hire_overdue.CHECK,
    orphaned_access.CHECK,
    unmanaged_console_identity.CHECK,
)


def denied(collection: str, missing: str) -> tuple[CollectionOutcome, ...]:
    return (
        CollectionOutcome(collection=collection, outcome=Outcome.ACCESS_DENIED, missing=missing),
    )


# ---- collection names ----------------------------------------------------------------------


def test_collection_names_are_the_providers_own() -> None:
    assert DIRECTORY_COLLECTIONS == (azuread.USERS, okta.USERS, gcp.WORKSPACE_USERS)
    assert DIRECTORY_COLLECTIONS == ("azuread.directory.users", "okta.users", "gcp.workspace.users")
    assert CLOUD_IDENTITY_COLLECTIONS == (aws_inv.CREDENTIAL_REPORT, gcp.IAM_POLICY, github.MEMBERS)
    for check in IDENTITY_CHECKS:
        assert set(DIRECTORY_COLLECTIONS) <= set(check.meta.requires)


@pytest.mark.parametrize(
    "directory",
    [
        okta.OktaInventory(
            account="acme.okta.com",
            org_url="https://acme.okta.com",
            outcomes=denied(okta.USERS, "okta.users.read"),
        ),
        azuread.AzureAdInventory(
            account="tenant-1", outcomes=denied(azuread.USERS, "User.Read.All")
        ),
        gcp.GcpWorkspaceInventory(
            account="C0123",
            outcomes=denied(gcp.WORKSPACE_USERS, "admin.directory.user.readonly"),
        ),
    ],
    ids=["okta", "azuread", "workspace"],
)
def test_failed_directory_read_turns_identity_checks_into_errors(directory: Inventory) -> None:
    records = training(("bob@acme.example", "2026-10-01"))
    inv = run_inventory([directory, aws(iam_user("bob", keys=1)), evidence(training=records)])
    for check in IDENTITY_CHECKS:
        results = run(check, inv)
        assert results, check.id
        assert {r.status for r in results} == {Status.ERROR}, check.id
        missing = [r for r in results if r.evidence.get("collection") in DIRECTORY_COLLECTIONS]
        assert missing, f"{check.id} does not name the failed directory read"


def test_failed_gcp_iam_policy_read_is_an_error_not_a_pass() -> None:
    project = gcp.GcpInventory(
        account="acme-prod",
        outcomes=denied(gcp.IAM_POLICY, "resourcemanager.projects.getIamPolicy"),
    )
    directory = FakeDirectoryInventory(directory_users=(person("alice@acme.example"),))
    inv = run_inventory([directory, project, evidence()])
    for check in (orphaned_access.CHECK, unmanaged_console_identity.CHECK):
        results = run(check, inv)
        assert {r.status for r in results} == {Status.ERROR}
        assert any("getIamPolicy" in r.message for r in results)


# ---- the GCP projection ---------------------------------------------------------------------


def gcp_project(*bindings: tuple[str, tuple[str, ...]]) -> gcp.GcpInventory:
    return gcp.GcpInventory(
        account="acme-prod",
        iam_policy=gcp.IamPolicy(
            bindings=tuple(gcp.Binding(role=r, members=m) for r, m in bindings)
        ),
        outcomes=(CollectionOutcome(collection=gcp.IAM_POLICY, scope="acme-prod"),),
    )


PROJECT = gcp_project(
    ("roles/owner", ("user:alice@acme.example",)),
    ("roles/viewer", ("user:dana@acme.example", "user:mallory.contractor@gmail.com")),
    ("roles/iam.serviceAccountUser", ("user:bob@acme.example",)),
    ("roles/editor", ("user:frank@acme.example", "group:developers@acme.example")),
    (
        "roles/editor",
        (
            "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com",
            "serviceAccount:304918274615@cloudservices.gserviceaccount.com",
            "serviceAccount:service-304918274615@gcp-sa-logging.iam.gserviceaccount.com",
            "serviceAccount:service-304918274615@container-engine-robot.iam.gserviceaccount.com",
            "domain:acme.example",
            "allUsers",
            "deleted:user:old@acme.example?uid=123",
        ),
    ),
)


def test_gcp_projection_yields_people_and_service_accounts_not_service_agents() -> None:
    found = {i.uid: i for i in gcp_identities(PROJECT)}
    assert set(found) == {
        "user:alice@acme.example",
        "user:bob@acme.example",
        "user:dana@acme.example",
        "user:frank@acme.example",
        "user:mallory.contractor@gmail.com",
        "group:developers@acme.example",
        "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com",
    }
    assert found["user:alice@acme.example"].console_access
    assert found["user:alice@acme.example"].grants == ("roles/owner",)
    assert found["serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"].kind == (
        "service_account"
    )
    assert list(gcp_identities(gcp.GcpInventory(account="no-policy"))) == []
    inv = run_inventory([PROJECT])
    assert inv.cloud_accounts == ("gcp:acme-prod",)
    assert len(inv.cloud_identities) == 7


def gcp_run() -> Inventory:
    directory = FakeDirectoryInventory(
        directory_users=(
            person("alice@acme.example"),
            person("bob@acme.example"),  # active in the IdP, but HR says he left
            person("dana@acme.example", active=False),  # deactivated in the IdP
            person("frank@acme.example"),  # leaves next year
        )
    )
    leavers = (
        ev.Leaver(line=2, email="bob@acme.example", left_on=date(2026, 10, 30)),
        ev.Leaver(line=3, email="frank@acme.example", left_on=date(2027, 3, 1)),
    )
    return run_inventory([directory, PROJECT, evidence(leavers=leavers)])


def test_gcp_leavers_still_holding_bindings_are_orphaned_access() -> None:
    results = run(orphaned_access.CHECK, gcp_run())
    failing = {r.resource.uid: r for r in results if r.status is Status.FAIL}
    assert set(failing) == {
        "user:bob@acme.example",  # in hr/leavers.csv
        "user:dana@acme.example",  # deactivated in the identity provider
        "00u-bob",  # and bob's identity-provider account is still active
    }
    bob = failing["user:bob@acme.example"]
    assert bob.account == "acme-prod"
    assert bob.resource.type == "GCP::IAM::Member"
    assert "hr/leavers.csv line 2" in bob.message and "1 role binding(s)" in bob.message
    assert "deactivated" in failing["user:dana@acme.example"].message
    assert orphaned_access.META.soc2 == ("CC6.2",)
    passing = names(results, Status.PASS)
    assert {"alice@acme.example", "frank@acme.example"} <= passing
    everything = {r.resource.uid for r in results}
    assert not any("serviceAccount" in uid or "group:" in uid for uid in everything)


def test_gcp_user_member_unknown_to_the_identity_provider_is_unmanaged() -> None:
    results = run(unmanaged_console_identity.CHECK, gcp_run())
    assert names(results, Status.FAIL) == {"mallory.contractor@gmail.com"}
    assert "alice@acme.example" in names(results, Status.PASS)
    everything = {r.resource.uid for r in results}
    assert not any("serviceAccount" in uid or "group:" in uid for uid in everything)


def test_gcp_and_aws_identities_of_one_leaver_both_fail() -> None:
    leavers = (ev.Leaver(line=2, email="bob@acme.example", left_on=date(2026, 10, 30)),)
    directory = FakeDirectoryInventory(directory_users=(person("bob@acme.example"),))
    inv = run_inventory(
        [directory, PROJECT, aws(iam_user("bob", keys=1)), evidence(leavers=leavers)]
    )
    failing = {r.resource.uid for r in run(orphaned_access.CHECK, inv) if r.status is Status.FAIL}
    assert {"user:bob@acme.example", "arn:aws:iam::111122223333:user/bob"} <= failing


# ---- account dates from the identity providers ---------------------------------------------


def test_okta_users_carry_created_and_activated() -> None:
    from providers.okta.collectors.users import parse_user

    raw = json.loads((FIXTURES / "okta/acme/users.json").read_text())
    users = [parse_user(u) for u in raw]
    assert users and all(u.created is not None for u in users)
    assert all(u.activated is not None for u in users if u.status != "STAGED")
    dave = next(u for u in users if u.login.startswith("dave."))
    assert dave.created == datetime(2026, 9, 19, 12, tzinfo=UTC)
    assert dave.activated == datetime(2026, 9, 21, 12, tzinfo=UTC)


def test_azuread_users_carry_created() -> None:
    from providers.azuread import parse
    from providers.azuread.collect import USER_FIELDS

    assert "createdDateTime" in USER_FIELDS  # Graph returns it only when selected
    raw = json.loads((FIXTURES / "azuread/users.json").read_text())
    users = [parse.directory_user(parse.user(u)) for u in raw]
    assert users and all(u.created is not None for u in users)
    kim = next(u for u in users if u.login.startswith("kim@"))
    assert kim.created == datetime(2026, 11, 15, 9, tzinfo=UTC)


def test_workspace_users_carry_created() -> None:
    from providers.gcp.collectors import workspace

    raw = json.loads((FIXTURES / "gcp/workspace_users.json").read_text())
    users = [workspace.directory_user(workspace._user(u, "C0123")) for u in raw]
    assert users and all(u.created is not None for u in users)
    assert users[0].created == datetime(2023, 2, 1, 9, tzinfo=UTC)


# ---- the identity map names one person, whichever name a directory knows -------------------


def test_identity_map_aliases_work_in_both_directions() -> None:
    workspace = gcp.GcpWorkspaceInventory(
        account="C0123",
        directory_users=(person("alice@acme.example"), person("bob@acme.example")),
        outcomes=(CollectionOutcome(collection=gcp.WORKSPACE_USERS),),
    )
    mappings = (
        ev.PersonMapping(
            person="alice.nguyen@acme.example",
            aliases=("alice@acme.example",),
            identities={"aws": ("alice",)},
            line=2,
        ),
    )
    records = training(("alice.nguyen@acme.example", "2026-10-01"))
    inv = run_inventory(
        [
            workspace,
            aws(iam_user("alice", password=True)),
            evidence(identity_map=mappings, training=records),
        ]
    )
    # Only Workspace is scanned: the mapped Okta login is absent, the alias is there.
    orphaned = run(orphaned_access.CHECK, inv)
    assert names(orphaned, Status.FAIL) == set()
    assert "alice" in names(orphaned, Status.PASS)
    # Training recorded under the Okta login counts for the Workspace account of the person.
    trained = run(not_completed.CHECK, inv)
    assert names(trained, Status.PASS) == {"alice@acme.example"}
    assert names(trained, Status.FAIL) == {"bob@acme.example"}


def test_a_leaver_unknown_to_the_identity_provider_is_orphaned_not_unmanaged() -> None:
    directory = FakeDirectoryInventory(directory_users=(person("alice@acme.example"),))
    leavers = (ev.Leaver(line=2, email="dana@acme.example", left_on=date(2026, 9, 1)),)
    inv = run_inventory([directory, PROJECT, evidence(leavers=leavers)])
    unmanaged = names(run(unmanaged_console_identity.CHECK, inv), Status.FAIL)
    assert "dana@acme.example" not in unmanaged
    assert "mallory.contractor@gmail.com" in unmanaged
    orphaned = {r.resource.name: r for r in run(orphaned_access.CHECK, inv)}
    assert orphaned["dana@acme.example"].status is Status.FAIL
    assert "console password" not in orphaned["dana@acme.example"].message  # GCP has none


# ---- the demo ---------------------------------------------------------------------------------


def test_demo_identity_findings_tell_a_small_story(tmp_path: Path) -> None:
    from scanner.cli import main
    from scanner.models.findings import FindingsDocument

    pytest.importorskip("moto")
    out = tmp_path / "demo.json"
    with pytest.raises(SystemExit):
        main(["scan", "--demo", "--format", "json", "--output", str(out), "-q", "--no-history"])
    doc = FindingsDocument.model_validate_json(out.read_text(encoding="utf-8"))
    identity = [f for f in doc.findings if f.provider == "identity"]
    failing = {
        (f.check_id, f.account, f.resource.name) for f in identity if f.status is Status.FAIL
    }
    orphaned, unmanaged = (
        "identity.access.orphaned_access",
        "identity.access.unmanaged_console_identity",
    )
    assert failing == {
        # an untrained new hire, and one whose annual refresher lapsed
        ("identity.training.new_hire_overdue", "127.0.0.1", "dave.okafor@acme.example"),
        ("identity.training.not_completed", "127.0.0.1", "dave.okafor@acme.example"),
        ("identity.training.not_completed", "127.0.0.1", "trent.walker@acme.example"),
        # bob left and was offboarded nowhere: AWS keys, a GCP binding, Okta, Workspace
        (orphaned, "123456789012", "bob"),
        (orphaned, "acme-prod", "bob@acme.example"),
        (orphaned, "127.0.0.1", "bob.martin@acme.example"),
        (orphaned, "C03az79cb", "bob@acme.example"),
        # erin left; her Workspace admin account is still active
        (orphaned, "C03az79cb", "erin@acme.example"),
        # dana left and is gone from the directories, but keeps GCP viewer in two projects
        (orphaned, "acme-prod", "dana@acme.example"),
        (orphaned, "acme-secure", "dana@acme.example"),
        # a personal Gmail account with a project role
        (unmanaged, "acme-prod", "mallory.contractor@gmail.com"),
        # GitHub members: a leaver, one whose directory user is deprovisioned, and one the
        # identity provider cannot link to anybody
        (orphaned, "acme", "bmartin"),
        (orphaned, "acme", "gracehopper-gh"),
        (unmanaged, "acme", "octo-intern"),
    }
    assert not [f for f in identity if f.status is Status.ERROR]
    passing = {(f.check_id, f.resource.name) for f in identity if f.status is Status.PASS}
    assert {
        (orphaned, "frank.moreau@acme.example"),  # left and suspended in Okta
        (orphaned, "leo@contoso-demo.onmicrosoft.com"),  # left and disabled in Entra ID
        ("identity.training.new_hire_overdue", "erin.kowalski@acme.example"),  # due tomorrow
        ("identity.training.not_completed", "kim@contoso-demo.onmicrosoft.com"),
        (unmanaged, "alice"),
    } <= passing
    bob = next(f for f in identity if f.resource.name == "bob" and f.status is Status.FAIL)
    assert bob.soc2 == ("CC6.2",) and "2 active access key(s)" in bob.message
