"""GitHub members in the cross-provider identity checks: matched by the email GitHub shows or by
the identity map, never by guessing from a login."""

from __future__ import annotations

from checks.identity.access import orphaned_access, unmanaged_console_identity
from scanner.identity.projection import run_inventory
from scanner.inventory import evidence as ev
from scanner.inventory import github as inv
from scanner.models.enums import Status
from scanner.models.inventory import CollectionOutcome
from tests.readiness.helpers import FakeDirectoryInventory, names, person, run
from tests.readiness.test_identity import evidence

API = "https://api.github.com"


def member(login: str, email: str | None = None) -> inv.Member:
    return inv.Member(login=login, id=len(login), url=f"{API}/users/{login}", email=email)


def github(*members: inv.Member) -> inv.GithubInventory:
    return inv.GithubInventory(
        account="acme",
        members=members,
        outcomes=(CollectionOutcome(collection=inv.MEMBERS),),
    )


def scan() -> list[inv.GithubInventory | FakeDirectoryInventory | ev.EvidenceInventory]:
    directory = FakeDirectoryInventory(
        directory_users=(
            person("alice@acme.example"),
            person("dave@acme.example"),
            person("grace@acme.example", active=False),
        ),
        outcomes=(CollectionOutcome(collection="okta.users"),),
    )
    mapped = ev.PersonMapping(
        person="dave@acme.example", identities={"github": ("dokafor",)}, line=4
    )
    members = github(
        member("alice-gh", "alice@acme.example"),
        member("dokafor"),
        member("grace-gh", "grace@acme.example"),
        member("alice"),  # a login equal to a local part is no identity of its own
    )
    return [members, directory, evidence(identity_map=(mapped,))]


def test_members_are_matched_by_email_or_the_map_and_unlinked_ones_fail() -> None:
    run_inv = run_inventory(scan())
    results = run(unmanaged_console_identity.CHECK, run_inv)
    assert names(results, Status.PASS) == {"alice-gh", "dokafor", "grace-gh"}
    assert names(results, Status.FAIL) == {"alice"}
    (unlinked,) = (r for r in results if r.status is Status.FAIL)
    assert "GitHub shows no email for alice" in unlinked.message
    assert unlinked.resource.type == "GitHub::User"


def test_a_member_deactivated_in_the_identity_provider_still_in_the_org_fails() -> None:
    results = run(orphaned_access.CHECK, run_inventory(scan()))
    assert names(results, Status.FAIL) == {"grace-gh"}
    (left,) = (r for r in results if r.status is Status.FAIL)
    assert "membership of the GitHub organisation" in left.message
