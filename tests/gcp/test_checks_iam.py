"""IAM checks on hand-built project inventories: the exact failing and passing members."""

from __future__ import annotations

from datetime import timedelta

from checks.gcp.iam import (
    basic_role_granted_to_user,
    duties_not_separated,
    personal_account_access,
    project_public_access,
    service_account_admin_role,
    service_account_key_too_old,
    service_account_user_managed_key,
    user_can_impersonate_service_accounts,
)
from scanner.config.gcp import GcpThresholds
from scanner.inventory.gcp import (
    IAM_POLICY,
    Bucket,
    CryptoKey,
    ServiceAccount,
    ServiceAccountKey,
)
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from tests.gcp.helpers import NOW, ctx, fails, passes, policy, project, verdicts

ALICE, BOB, CAROL = "user:alice@acme.example", "user:bob@acme.example", "user:carol@acme.example"
DEVS = "group:devs@acme.example"
APP_SA = "serviceAccount:app@proj-a.iam.gserviceaccount.com"
DEFAULT_COMPUTE = "serviceAccount:123456-compute@developer.gserviceaccount.com"
AGENTS = (
    "serviceAccount:123456@cloudservices.gserviceaccount.com",
    "serviceAccount:service-123456@gcp-sa-cloudkms.iam.gserviceaccount.com",
    "serviceAccount:service-123456@container-engine-robot.iam.gserviceaccount.com",
)

POLICY = policy(
    ("roles/owner", [ALICE]),
    ("roles/editor", [DEVS, APP_SA, DEFAULT_COMPUTE, *AGENTS]),
    ("roles/viewer", [CAROL, "user:someone@gmail.com", "allAuthenticatedUsers"]),
    ("roles/iam.serviceAccountUser", [BOB]),
    ("roles/iam.serviceAccountAdmin", [BOB]),
    ("roles/iam.serviceAccountTokenCreator", [DEVS]),
    ("roles/cloudkms.admin", [CAROL, AGENTS[1]]),
    ("roles/cloudkms.cryptoKeyDecrypter", [CAROL]),
    ("roles/storage.objectViewer", ["serviceAccount:reader@proj-a.iam.gserviceaccount.com"]),
)
CLEAN = policy(
    ("roles/viewer", [ALICE, DEVS]),
    ("roles/cloudkms.admin", [BOB]),
    ("roles/cloudkms.cryptoKeyEncrypterDecrypter", [APP_SA]),
    ("roles/editor", [AGENTS[0]]),
)


def test_basic_roles_flag_people_and_groups_only() -> None:
    inv = project(iam_policy=POLICY)
    check = basic_role_granted_to_user.CHECK
    assert fails(check, inv) == {ALICE, DEVS}
    assert passes(check, inv) == {BOB, CAROL, "user:someone@gmail.com"}
    assert fails(check, project(iam_policy=CLEAN)) == set()


def test_project_public_access() -> None:
    assert fails(project_public_access.CHECK, project(iam_policy=POLICY)) == {"proj-a"}
    assert passes(project_public_access.CHECK, project(iam_policy=CLEAN)) == {"proj-a"}
    assert fails(project_public_access.CHECK, project(iam_policy=CLEAN)) == set()


def test_personal_accounts_in_project_bucket_and_key_policies() -> None:
    inv = project(iam_policy=POLICY)
    assert fails(personal_account_access.CHECK, inv) == {"user:someone@gmail.com"}
    assert passes(personal_account_access.CHECK, inv) == {ALICE, BOB, CAROL}
    bucket = Bucket(name="b", iam=policy(("roles/storage.objectViewer", ["user:x@googlemail.com"])))
    key = CryptoKey(
        name="projects/proj-a/locations/us/keyRings/r/cryptoKeys/k",
        location="us",
        iam=policy(("roles/cloudkms.cryptoKeyDecrypter", ["user:y@gmail.com", ALICE])),
    )
    inv = project(iam_policy=CLEAN, buckets=(bucket,), crypto_keys=(key,))
    assert fails(personal_account_access.CHECK, inv) == {
        "user:x@googlemail.com",
        "user:y@gmail.com",
    }
    assert passes(personal_account_access.CHECK, inv) == {ALICE, BOB}


def test_service_accounts_with_admin_roles_skip_google_agents() -> None:
    inv = project(iam_policy=POLICY)
    assert fails(service_account_admin_role.CHECK, inv) == {APP_SA, DEFAULT_COMPUTE}
    assert passes(service_account_admin_role.CHECK, inv) == {
        "serviceAccount:reader@proj-a.iam.gserviceaccount.com"
    }


def test_impersonation_at_project_level() -> None:
    inv = project(iam_policy=POLICY)
    check = user_can_impersonate_service_accounts.CHECK
    assert fails(check, inv) == {BOB, DEVS}
    assert passes(check, inv) == {ALICE, CAROL, "user:someone@gmail.com"}


def test_separation_of_duties() -> None:
    inv = project(iam_policy=POLICY)
    assert fails(duties_not_separated.CHECK, inv) == {BOB, CAROL}
    assert fails(duties_not_separated.CHECK, project(iam_policy=CLEAN)) == set()
    assert BOB in passes(duties_not_separated.CHECK, project(iam_policy=CLEAN))


def test_failed_policy_collection_is_an_error_not_a_pass() -> None:
    denied = CollectionOutcome(
        collection=IAM_POLICY,
        outcome=Outcome.ACCESS_DENIED,
        missing="resourcemanager.projects.getIamPolicy",
    )
    inv = project(outcomes=(denied,))
    result = verdicts(project_public_access.CHECK, inv)
    assert set(result) == {"error"}


def _key(key_id: str, age_days: int, **kw: object) -> ServiceAccountKey:
    return ServiceAccountKey(
        key_id=key_id,
        name=f"projects/proj-a/serviceAccounts/x/keys/{key_id}",
        valid_after=NOW - timedelta(days=age_days),
        **kw,  # type: ignore[arg-type]
    )


ACCOUNTS = (
    ServiceAccount(
        email="old@proj-a.iam.gserviceaccount.com",
        keys=(_key("a" * 40, 200), _key("b" * 40, 10)),
    ),
    ServiceAccount(email="keyless@proj-a.iam.gserviceaccount.com"),
    ServiceAccount(
        email="retired@proj-a.iam.gserviceaccount.com",
        keys=(
            _key("c" * 40, 300, disabled=True),
            _key("d" * 40, 300, valid_before=NOW - timedelta(days=1)),
        ),
    ),
)


def test_user_managed_keys() -> None:
    inv = project(service_accounts=ACCOUNTS)
    check = service_account_user_managed_key.CHECK
    assert fails(check, inv) == {
        "old@proj-a.iam.gserviceaccount.com key aaaaaaaaaaaa",
        "old@proj-a.iam.gserviceaccount.com key bbbbbbbbbbbb",
    }
    assert passes(check, inv) == {
        "keyless@proj-a.iam.gserviceaccount.com",
        "retired@proj-a.iam.gserviceaccount.com",
    }


def test_key_age_uses_the_clock_and_threshold() -> None:
    inv = project(service_accounts=ACCOUNTS)
    check = service_account_key_too_old.CHECK
    assert fails(check, inv) == {"old@proj-a.iam.gserviceaccount.com key aaaaaaaaaaaa"}
    assert passes(check, inv) == {"old@proj-a.iam.gserviceaccount.com key bbbbbbbbbbbb"}
    strict = ctx(thresholds=GcpThresholds(service_account_key_max_age_days=5))
    assert len(fails(check, inv, strict)) == 2
