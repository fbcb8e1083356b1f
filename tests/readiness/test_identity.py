"""Cross-provider identity: projection, matching, and the training and access checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from checks.identity.access import orphaned_access, unmanaged_console_identity
from checks.identity.training import new_hire_overdue, not_completed
from providers.evidence.collections import COLLECTIONS as EVIDENCE_TABLE
from scanner.config import PostureConfig
from scanner.config.evidence import EvidenceConfig
from scanner.engine import run_checks
from scanner.identity.matching import People
from scanner.identity.projection import aws_identities, run_inventory
from scanner.inventory import evidence as ev
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AccessKey, CredentialReportUser
from scanner.models.enums import Outcome, Status
from scanner.models.inventory import CollectionOutcome
from tests.readiness.helpers import NOW, FakeDirectoryInventory, context, names, person, run

EVIDENCE_NAMES = tuple(c.name for c in EVIDENCE_TABLE)

ACCOUNT = "111122223333"
OK_EVIDENCE = tuple(CollectionOutcome(collection=c) for c in EVIDENCE_NAMES)


def iam_user(
    name: str, *, password: bool = False, keys: int = 0, created: datetime | None = None
) -> CredentialReportUser:
    return CredentialReportUser(
        name=name,
        arn=f"arn:aws:iam::{ACCOUNT}:user/{name}",
        created=created or datetime(2024, 1, 1, tzinfo=UTC),
        password_enabled=password,
        mfa_active=password,
        access_keys=tuple(
            AccessKey(slot=i + 1, active=True, created=datetime(2025, 1, i + 1, tzinfo=UTC))  # type: ignore[arg-type]
            for i in range(keys)
        ),
    )


def aws(*users: CredentialReportUser) -> AwsInventory:
    return AwsInventory(
        account=ACCOUNT,
        credential_report=users,
        outcomes=(CollectionOutcome(collection="aws.iam.credential_report"),),
    )


def evidence(**fields: object) -> ev.EvidenceInventory:
    return ev.EvidenceInventory(account="Acme", root="/ev", outcomes=OK_EVIDENCE, **fields)  # type: ignore[arg-type]


def training(*rows: tuple[str, str]) -> tuple[ev.TrainingRecord, ...]:
    return tuple(
        ev.TrainingRecord(line=i + 2, email=e, course="Security Awareness", completed_on=d)
        for i, (e, d) in enumerate((e, date.fromisoformat(d)) for e, d in rows)
    )


# ---- projection and matching ---------------------------------------------------------------


def test_aws_projection() -> None:
    inv = aws(
        iam_user("alice@acme.example", password=True),
        iam_user("deploy", keys=2),
        iam_user("ghost"),
    )
    by_name = {i.name: i for i in aws_identities(inv)}
    alice, deploy, ghost = by_name["alice@acme.example"], by_name["deploy"], by_name["ghost"]
    assert alice.email == "alice@acme.example" and alice.console_access
    assert alice.uid == f"arn:aws:iam::{ACCOUNT}:user/alice@acme.example"
    assert deploy.email is None and deploy.login == "deploy" and len(deploy.active_keys) == 2
    assert not ghost.has_access
    run_inv = run_inventory([inv])
    assert run_inv.cloud_accounts == (f"aws:{ACCOUNT}",)
    assert len(run_inv.cloud_identities) == 3


def test_matching_by_email_login_and_map() -> None:
    directory = FakeDirectoryInventory(
        directory_users=(
            person("alice@acme.example"),
            person("bob", email="robert@acme.example"),
            person("carol@acme.example"),
        )
    )
    mapping = ev.PersonMapping(
        person="carol@acme.example", aliases=("c@old.example",), identities={"aws": ("cj",)}, line=3
    )
    run_inv = run_inventory(
        [
            directory,
            aws(iam_user("ALICE@acme.example"), iam_user("bob"), iam_user("cj"), iam_user("x")),
            evidence(identity_map=(mapping,)),
        ]
    )
    people = People.from_run(run_inv)
    matches = {i.name: people.match(i) for i in run_inv.cloud_identities}
    assert matches["ALICE@acme.example"].via == "email"
    assert matches["bob"].via == "login"
    assert matches["cj"].via == "identity-map.yaml line 3"
    assert matches["cj"].entries[0].user.login == "carol@acme.example"
    assert not matches["x"].matched
    assert people.lookup("c@old.example")[0].user.login == "carol@acme.example"


# ---- training ------------------------------------------------------------------------------


def training_run(*users: object, records: tuple[ev.TrainingRecord, ...] | None = None) -> object:
    return run_inventory(
        [
            FakeDirectoryInventory(directory_users=users),  # type: ignore[arg-type]
            evidence(
                training=records,
                manifest=ev.Manifest(
                    organisation="Acme", awareness_courses=("Security Awareness",)
                ),
                identity_map=(
                    ev.PersonMapping(person="erin@acme.example", aliases=("erin@gmail.com",)),
                ),
            ),
        ]
    )


def test_training_annual() -> None:
    inv = training_run(
        person("alice@acme.example"),
        person("bob@acme.example"),
        person("carol@acme.example"),
        person("dave@acme.example", active=False),
        person("erin@acme.example"),
        person("fred@acme.example", created=NOW - timedelta(days=3)),
        records=(
            *training(
                ("alice@acme.example", "2026-02-01"),
                ("BOB@acme.example", "2025-10-01"),
                ("erin@gmail.com", "2026-06-01"),
            ),
            ev.TrainingRecord(
                line=9,
                email="carol@acme.example",
                course="Secure Coding",
                completed_on=date(2026, 6, 1),
            ),
        ),
    )
    results = run(not_completed.CHECK, inv)  # type: ignore[arg-type]
    assert names(results, Status.FAIL) == {"bob@acme.example", "carol@acme.example"}
    assert names(results, Status.PASS) == {
        "alice@acme.example",
        "erin@acme.example",
        "fred@acme.example",  # in their first week: held to the new-hire deadline
    }
    bob = next(r for r in results if r.resource.name == "bob@acme.example")
    assert "2025-10-01" in bob.message
    assert all(r.account == "acme.okta.com" for r in results)
    assert not_completed.META.soc2 == ("CC1.4", "CC2.2")


def test_training_new_hires() -> None:
    inv = training_run(
        person("early@acme.example", created=datetime(2026, 9, 1, tzinfo=UTC)),
        person("late@acme.example", created=datetime(2026, 9, 1, tzinfo=UTC)),
        person("untrained@acme.example", created=NOW - timedelta(days=10)),
        person("justjoined@acme.example", created=NOW - timedelta(days=2)),
        person("veteran@acme.example", created=datetime(2020, 1, 1, tzinfo=UTC)),
        person("nodate@acme.example", created=None),
        records=training(
            ("early@acme.example", "2026-09-05"),
            ("late@acme.example", "2026-09-20"),
        ),
    )
    results = run(new_hire_overdue.CHECK, inv)  # type: ignore[arg-type]
    assert names(results, Status.FAIL) == {"late@acme.example", "untrained@acme.example"}
    assert names(results, Status.PASS) == {"early@acme.example", "justjoined@acme.example"}
    assert names(results, Status.ERROR) == {"nodate@acme.example"}
    late = next(r for r in results if r.resource.name == "late@acme.example")
    assert "19 days after" in late.message
    annual = run(not_completed.CHECK, inv)  # type: ignore[arg-type]
    assert "untrained@acme.example" in names(annual, Status.FAIL)
    assert new_hire_overdue.META.soc2 == ("CC1.4", "CC2.2")


def test_training_without_records_file_fails_everyone() -> None:
    inv = training_run(person("alice@acme.example"), records=None)
    results = run(not_completed.CHECK, inv)  # type: ignore[arg-type]
    assert [r.status for r in results] == [Status.FAIL]
    assert "training.csv is missing" in results[0].message


def test_training_needs_an_identity_provider_and_evidence() -> None:
    no_idp = run(not_completed.CHECK, run_inventory([evidence(training=())]))
    assert [r.status for r in no_idp] == [Status.ERROR]
    assert "identity provider" in no_idp[0].message
    no_evidence = run(
        new_hire_overdue.CHECK,
        run_inventory([FakeDirectoryInventory(directory_users=(person("a@x"),))]),
    )
    assert [r.status for r in no_evidence] == [Status.ERROR]
    assert "--provider evidence" in no_evidence[0].message


def test_invalid_training_file_is_an_error_not_a_failure() -> None:
    outcomes = tuple(
        CollectionOutcome(collection=c)
        if c != ev.TRAINING
        else CollectionOutcome(
            collection=c, outcome=Outcome.ERROR, message="training.csv:4: completed_on: bad"
        )
        for c in EVIDENCE_NAMES
    )
    inv = run_inventory(
        [
            FakeDirectoryInventory(directory_users=(person("a@acme.example"),)),
            ev.EvidenceInventory(account="Acme", root="/ev", outcomes=outcomes),
        ]
    )
    results = run(not_completed.CHECK, inv)
    assert [r.status for r in results] == [Status.ERROR]
    assert "training.csv:4" in results[0].message


# ---- orphaned and unmanaged access ---------------------------------------------------------


def access_run(*, with_directory: bool = True) -> object:
    directory = FakeDirectoryInventory(
        directory_users=(
            person("alice@acme.example"),
            person("bob@acme.example", active=False, deactivated=datetime(2026, 10, 1, tzinfo=UTC)),
            person("carol@acme.example"),
            person("frank@acme.example"),
            person("gina@acme.example"),
        )
    )
    cloud = aws(
        iam_user("alice@acme.example", password=True),  # active person: fine
        iam_user("bob@acme.example", keys=1),  # deactivated in the IdP, key still active
        iam_user("carol", keys=1),  # active in IdP, but on the leavers list
        iam_user("dan", password=True),  # mapped to a person the IdP no longer has
        iam_user("eve-local", password=True),  # console user nobody knows: unmanaged
        iam_user("ci-deploy", keys=1),  # machine user, unknown: neither check's business
        iam_user("frank", password=False),  # leaver whose credentials were all removed
        iam_user("gina", password=True),  # leaves next month: still fine
    )
    mappings = (
        ev.PersonMapping(person="carol@acme.example", identities={"aws": ("carol",)}, line=2),
        ev.PersonMapping(person="dan@acme.example", identities={"aws": ("dan",)}, line=5),
        ev.PersonMapping(person="frank@acme.example", identities={"aws": ("frank",)}, line=8),
        ev.PersonMapping(person="gina@acme.example", identities={"aws": ("gina",)}, line=11),
    )
    leavers = (
        ev.Leaver(line=2, email="carol@acme.example", left_on=date(2026, 11, 1)),
        ev.Leaver(line=3, email="frank@acme.example", left_on=date(2026, 9, 1)),
        ev.Leaver(line=4, email="gina@acme.example", left_on=date(2026, 12, 31)),
    )
    members = [cloud, evidence(identity_map=mappings, leavers=leavers)]
    if with_directory:
        members.insert(0, directory)
    return run_inventory(members)


def test_orphaned_access() -> None:
    results = run(orphaned_access.CHECK, access_run())  # type: ignore[arg-type]
    # carol and frank left: carol's Okta account is still active (a finding of its own),
    # frank's is too but all his cloud credentials are gone.
    assert names(results, Status.FAIL) == {
        "bob@acme.example",
        "carol",
        "dan",
        "carol@acme.example",
        "frank@acme.example",
    }
    assert names(results, Status.PASS) == {"alice@acme.example", "frank", "gina"}
    by = {r.resource.name: r for r in results}
    assert "deactivated" in by["bob@acme.example"].message
    assert "1 active access key" in by["bob@acme.example"].message
    assert "hr/leavers.csv line 2" in by["carol"].message
    assert "not in the identity provider" in by["dan"].message
    assert by["carol"].resource.uid == f"arn:aws:iam::{ACCOUNT}:user/carol"
    assert by["carol"].account == ACCOUNT
    assert orphaned_access.META.soc2 == ("CC6.2",)


def test_orphaned_access_from_leavers_alone() -> None:
    results = run(orphaned_access.CHECK, access_run(with_directory=False))  # type: ignore[arg-type]
    assert names(results, Status.FAIL) == {"carol"}
    assert "frank" in names(results, Status.PASS)
    assert "gina" in names(results, Status.PASS)


def test_unmanaged_console_identities() -> None:
    results = run(unmanaged_console_identity.CHECK, access_run())  # type: ignore[arg-type]
    assert names(results, Status.FAIL) == {"eve-local", "dan"}
    assert names(results, Status.PASS) == {"alice@acme.example", "gina"}
    assert unmanaged_console_identity.META.soc2 == ("CC6.2",)
    no_idp = run(unmanaged_console_identity.CHECK, access_run(with_directory=False))  # type: ignore[arg-type]
    assert [r.status for r in no_idp] == [Status.ERROR]


def test_access_checks_need_a_cloud() -> None:
    inv = run_inventory([FakeDirectoryInventory(directory_users=(person("a@x"),)), evidence()])
    for check in (orphaned_access.CHECK, unmanaged_console_identity.CHECK):
        assert [r.status for r in run(check, inv)] == [Status.ERROR]


def test_leaver_still_active_in_the_identity_provider() -> None:
    directory = FakeDirectoryInventory(
        directory_users=(
            person("ann@acme.example"),
            person("ben@acme.example", active=False),
            person("cat@acme.example"),
        )
    )
    leavers = (
        ev.Leaver(line=2, email="ann@acme.example", left_on=date(2026, 10, 1)),
        ev.Leaver(line=3, email="ben@acme.example", left_on=date(2026, 10, 1)),
        ev.Leaver(line=4, email="cat@acme.example", left_on=date(2027, 1, 1)),
    )
    results = run(orphaned_access.CHECK, run_inventory([directory, evidence(leavers=leavers)]))
    assert names(results, Status.FAIL) == {"ann@acme.example"}
    assert names(results, Status.PASS) == {"ben@acme.example"}
    assert names(results, Status.ERROR) == {"identity.access.orphaned_access"}  # no cloud
    ann = next(r for r in results if r.status is Status.FAIL)
    assert "still active in okta" in ann.message


def test_failed_credential_report_withholds_passes() -> None:
    cloud = AwsInventory(
        account=ACCOUNT,
        outcomes=(
            CollectionOutcome(
                collection="aws.iam.credential_report",
                outcome=Outcome.ACCESS_DENIED,
                missing="iam:GenerateCredentialReport",
            ),
        ),
    )
    inv = run_inventory([FakeDirectoryInventory(directory_users=(person("a@x"),)), cloud])
    results = run(orphaned_access.CHECK, inv)
    assert [r.status for r in results] == [Status.ERROR]
    assert "iam:GenerateCredentialReport" in results[0].message


def test_findings_through_the_engine() -> None:
    inv = access_run()
    findings = list(
        run_checks([inv], (orphaned_access.CHECK, unmanaged_console_identity.CHECK), context())  # type: ignore[list-item]
    )
    failing = {(f.check_id, f.resource.name) for f in findings if f.status is Status.FAIL}
    assert ("identity.access.orphaned_access", "bob@acme.example") in failing
    assert all(f.provider == "identity" for f in findings)
    assert len({f.fingerprint for f in findings}) == len(findings)


def test_user_name_matches_an_unambiguous_email_local_part() -> None:
    directory = FakeDirectoryInventory(
        directory_users=(
            person("bob@acme.example", active=False),
            person("sam@acme.example"),
            person("sam@contractor.example"),
        )
    )
    cloud = aws(iam_user("bob", keys=1), iam_user("sam", password=True))
    inv = run_inventory([directory, cloud, evidence()])
    results = run(orphaned_access.CHECK, inv)
    assert names(results, Status.FAIL) == {"bob"}
    bob = next(r for r in results if r.resource.name == "bob")
    assert bob.evidence["matched_by"] == "email local part"
    unmanaged = run(unmanaged_console_identity.CHECK, inv)
    assert names(unmanaged, Status.FAIL) == {"sam"}  # two people called sam: never guess
    strict = context(PostureConfig(evidence=EvidenceConfig(match_email_local_part=False)))
    assert names(run(orphaned_access.CHECK, inv, strict), Status.FAIL) == set()


def test_leaver_matched_by_local_part_without_identity_provider() -> None:
    leavers = (ev.Leaver(line=2, email="erin@acme.example", left_on=date(2026, 10, 1)),)
    inv = run_inventory(
        [aws(iam_user("erin", keys=1), iam_user("sam", keys=1)), evidence(leavers=leavers)]
    )
    results = run(orphaned_access.CHECK, inv)
    assert names(results, Status.FAIL) == {"erin"}
    assert names(results, Status.PASS) == {"sam"}


def test_cross_provider_checks_join_only_where_they_can_say_something() -> None:
    from scanner.inventory.run import with_cross_provider

    assert with_cross_provider(["aws"]) == ("aws",)
    assert with_cross_provider(["okta"]) == ("okta",)
    assert with_cross_provider(["evidence"]) == ("evidence", "identity")
    assert with_cross_provider(["okta", "aws"]) == ("okta", "aws", "identity")
    assert with_cross_provider(["aws", "aws"]) == ("aws",)


def test_gcp_bindings_projection_joins_the_orphan_check() -> None:
    from scanner.identity.projection import gcp_member_identities
    from scanner.inventory.run import build_run_inventory

    identities = list(
        gcp_member_identities(
            "acme-prod",
            [
                ("roles/owner", ["user:bob@acme.example", "serviceAccount:ci@acme.iam"]),
                ("roles/viewer", ["user:bob@acme.example", "domain:acme.example", "allUsers"]),
            ],
        )
    )
    assert [(i.uid, i.kind, i.grants) for i in identities] == [
        ("serviceAccount:ci@acme.iam", "service_account", ("roles/owner",)),
        ("user:bob@acme.example", "user", ("roles/owner", "roles/viewer")),
    ]
    directory = FakeDirectoryInventory(directory_users=(person("bob@acme.example", active=False),))
    inv = build_run_inventory([directory, evidence()], identities, ["gcp:acme-prod"])
    results = run(orphaned_access.CHECK, inv)
    assert names(results, Status.FAIL) == {"bob@acme.example"}
    assert "2 role binding(s)" in results[0].message
    assert results[0].resource.type == "GCP::IAM::Member"
