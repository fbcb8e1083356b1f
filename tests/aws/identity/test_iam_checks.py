"""Pure tests of the IAM checks on hand-built inventories with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest

from checks.aws.iam import (
    access_key_too_old,
    credential_unused,
    password_policy_weak,
    role_cross_account_without_external_id,
    root_access_keys_present,
    root_mfa_disabled,
    root_recently_used,
    signing_certificate_too_old,
    user_console_without_mfa,
    user_direct_policies,
    user_has_admin,
    user_multiple_active_keys,
)
from scanner.check import AnyCheck, CheckContext
from scanner.config import PostureConfig
from scanner.config.aws import AwsConfig, AwsPasswordPolicy
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import (
    ACCOUNT_SUMMARY,
    AUTHORIZATION_DETAILS,
    CREDENTIAL_REPORT,
    ORGANIZATIONS_FEATURES,
    PASSWORD_POLICY,
    AccessKey,
    AttachedPolicy,
    AuthorizationDetails,
    CredentialReportUser,
    IamGroupDetail,
    IamRoleDetail,
    IamUserDetail,
    InlinePolicy,
    ManagedPolicy,
    OrganizationsFeatures,
    PasswordPolicy,
    RootAccount,
    SigningCertificate,
)
from scanner.models.enums import Status
from scanner.models.inventory import CollectionOutcome
from tests.conftest import FIXED_NOW

ACCOUNT = "111122223333"
IAM_COLLECTIONS = (CREDENTIAL_REPORT, ACCOUNT_SUMMARY, AUTHORIZATION_DETAILS, PASSWORD_POLICY)
ADMIN_DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
READ_DOC = {"Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"}]}


def days_ago(n: int) -> datetime:
    return FIXED_NOW - timedelta(days=n)


def user(name: str, **kw: object) -> CredentialReportUser:
    fields: dict[str, object] = {
        "name": name,
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
        "created": days_ago(400),
        "password_enabled": False,
        "mfa_active": False,
    }
    fields.update(kw)
    return CredentialReportUser.model_validate(fields)


def key(slot: int, created_days: int, used_days: int | None, active: bool = True) -> AccessKey:
    return AccessKey.model_validate(
        {
            "slot": slot,
            "active": active,
            "created": days_ago(created_days),
            "last_used": days_ago(used_days) if used_days is not None else None,
        }
    )


def inventory(**kw: object) -> AwsInventory:
    """An inventory whose IAM collections all ended ok; the authorization details only when
    given (read, they list every user that still exists)."""
    read = [c for c in IAM_COLLECTIONS if c != AUTHORIZATION_DETAILS or "authorization" in kw]
    outcomes = [CollectionOutcome(collection=c) for c in read]
    return AwsInventory.model_validate({"account": ACCOUNT, "outcomes": outcomes, **kw})


def verdicts(check: AnyCheck, inv: AwsInventory, ctx: CheckContext) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {s.value: set() for s in Status}
    for r in check.evaluate(inv, ctx):
        out[r.status.value].add(r.resource.name + (f"#{r.sub_key}" if r.sub_key else ""))
    return out


def names(results: Iterable[str]) -> set[str]:
    return {r.split("#")[0] for r in results}


def test_root_mfa_and_keys(ctx: CheckContext) -> None:
    bad = inventory(root=RootAccount(arn="r", mfa_enabled=False, access_keys_present=True))
    good = inventory(root=RootAccount(arn="r", mfa_enabled=True, access_keys_present=False))
    assert verdicts(root_mfa_disabled.CHECK, bad, ctx)["fail"] == {"root"}
    assert verdicts(root_mfa_disabled.CHECK, good, ctx)["pass"] == {"root"}
    assert verdicts(root_access_keys_present.CHECK, bad, ctx)["fail"] == {"root"}
    assert verdicts(root_access_keys_present.CHECK, good, ctx)["pass"] == {"root"}


def test_root_recent_use_needs_the_report_row(ctx: CheckContext) -> None:
    assert verdicts(root_recently_used.CHECK, inventory(), ctx)["error"] == {"root"}
    used = inventory(root_report_row=user("<root_account>", password_last_used=days_ago(3)))
    idle = inventory(root_report_row=user("<root_account>", password_last_used=days_ago(200)))
    by_key = inventory(root_report_row=user("<root_account>", access_keys=(key(1, 300, 10),)))
    assert verdicts(root_recently_used.CHECK, used, ctx)["fail"] == {"root"}
    assert verdicts(root_recently_used.CHECK, idle, ctx)["pass"] == {"root"}
    assert verdicts(root_recently_used.CHECK, by_key, ctx)["fail"] == {"root"}


def test_console_without_mfa(ctx: CheckContext) -> None:
    inv = inventory(
        credential_report=(
            user("alice", password_enabled=True, mfa_active=False),
            user("carol", password_enabled=True, mfa_active=True),
            user("robot", password_enabled=False, mfa_active=False),
        )
    )
    v = verdicts(user_console_without_mfa.CHECK, inv, ctx)
    assert v["fail"] == {"alice"}
    assert v["pass"] == {"carol"}


def test_key_age_per_key_with_its_own_fingerprint_key(ctx: CheckContext) -> None:
    inv = inventory(
        credential_report=(
            user("bob", access_keys=(key(1, 200, 1), key(2, 10, 1))),
            user("old-inactive", access_keys=(key(1, 500, None, active=False),)),
        )
    )
    v = verdicts(access_key_too_old.CHECK, inv, ctx)
    assert names(v["fail"]) == {"bob"} and len(v["fail"]) == 1
    assert names(v["pass"]) == {"bob"} and len(v["pass"]) == 1
    assert v["fail"].isdisjoint(v["pass"])  # the two keys have distinct sub-keys


def test_key_age_threshold_is_configurable() -> None:
    config = PostureConfig(
        aws=AwsConfig.model_validate({"thresholds": {"access_key_max_age_days": 5}})
    )
    strict = CheckContext(now=FIXED_NOW, config=config)
    inv = inventory(credential_report=(user("bob", access_keys=(key(1, 10, 1),)),))
    assert names(verdicts(access_key_too_old.CHECK, inv, strict)["fail"]) == {"bob"}


def test_multiple_active_keys(ctx: CheckContext) -> None:
    inv = inventory(
        credential_report=(
            user("bob", access_keys=(key(1, 10, 1), key(2, 10, 1))),
            user("dan", access_keys=(key(1, 10, 1), key(2, 10, 1, active=False))),
            user("eve"),
        )
    )
    v = verdicts(user_multiple_active_keys.CHECK, inv, ctx)
    assert v["fail"] == {"bob"}
    assert v["pass"] == {"dan"}


def test_unused_credentials(ctx: CheckContext) -> None:
    inv = inventory(
        credential_report=(
            user("idle-pw", password_enabled=True, password_last_used=days_ago(120)),
            user("never-pw", password_enabled=True, password_last_changed=days_ago(100)),
            user("new-pw", password_enabled=True, password_last_changed=days_ago(10)),
            user("busy-pw", password_enabled=True, password_last_used=days_ago(2)),
            user("idle-key", access_keys=(key(1, 300, 95),)),
            user("never-key", access_keys=(key(1, 91, None),)),
            user("new-key", access_keys=(key(1, 30, None),)),
        )
    )
    v = verdicts(credential_unused.CHECK, inv, ctx)
    assert names(v["fail"]) == {"idle-pw", "never-pw", "idle-key", "never-key"}
    assert names(v["pass"]) == {"new-pw", "busy-pw", "new-key"}


def _authz() -> AuthorizationDetails:
    admin = AttachedPolicy(
        name="AdministratorAccess", arn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    custom = ManagedPolicy(
        name="everything", arn=f"arn:aws:iam::{ACCOUNT}:policy/everything", document=ADMIN_DOC
    )
    return AuthorizationDetails(
        users=(
            IamUserDetail(name="via-group", arn="u1", user_id="1", groups=("admins",)),
            IamUserDetail(
                name="via-inline",
                arn="u2",
                user_id="2",
                inline_policies=(InlinePolicy(name="god", document=ADMIN_DOC),),
            ),
            IamUserDetail(
                name="via-custom",
                arn="u3",
                user_id="3",
                attached_policies=(AttachedPolicy(name=custom.name, arn=custom.arn),),
            ),
            IamUserDetail(name="reader", arn="u4", user_id="4", groups=("readers",)),
            IamUserDetail(
                name="direct-reader",
                arn="u5",
                user_id="5",
                inline_policies=(InlinePolicy(name="read", document=READ_DOC),),
            ),
        ),
        groups=(
            IamGroupDetail(name="admins", arn="g1", attached_policies=(admin,)),
            IamGroupDetail(
                name="readers",
                arn="g2",
                inline_policies=(InlinePolicy(name="read", document=READ_DOC),),
            ),
        ),
        policies=(custom,),
    )


def test_admin_privileges_direct_inline_and_through_groups(ctx: CheckContext) -> None:
    v = verdicts(user_has_admin.CHECK, inventory(authorization=_authz()), ctx)
    assert v["fail"] == {"via-group", "via-inline", "via-custom"}
    assert v["pass"] == {"reader", "direct-reader"}


def test_policies_attached_directly_to_users(ctx: CheckContext) -> None:
    v = verdicts(user_direct_policies.CHECK, inventory(authorization=_authz()), ctx)
    assert v["fail"] == {"via-inline", "via-custom", "direct-reader"}
    assert v["pass"] == {"via-group", "reader"}


def test_password_policy(ctx: CheckContext) -> None:
    missing = verdicts(password_policy_weak.CHECK, inventory(password_policy=None), ctx)
    assert missing["fail"] == {"account-password-policy"}
    weak = inventory(password_policy=PasswordPolicy(minimum_length=8, reuse_prevention=24))
    assert verdicts(password_policy_weak.CHECK, weak, ctx)["fail"] == {"account-password-policy"}
    strong = inventory(password_policy=PasswordPolicy(minimum_length=14, reuse_prevention=24))
    assert verdicts(password_policy_weak.CHECK, strong, ctx)["pass"] == {"account-password-policy"}
    stricter = CheckContext(
        now=FIXED_NOW,
        config=PostureConfig(
            aws=AwsConfig(password_policy=AwsPasswordPolicy(min_length=16, require_symbols=True))
        ),
    )
    assert verdicts(password_policy_weak.CHECK, strong, stricter)["fail"] == {
        "account-password-policy"
    }


def _role(
    name: str, principal: object, condition: dict[str, object] | None = None
) -> IamRoleDetail:
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return IamRoleDetail.model_validate(
        {
            "name": name,
            "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
            "trust_policy": {"Statement": [statement]},
        }
    )


def test_cross_account_roles_need_an_external_id(ctx: CheckContext) -> None:
    roles = (
        _role("vendor", {"AWS": "arn:aws:iam::999988887777:root"}),
        _role("vendor-id", {"AWS": "999988887777"}),
        _role("anyone", {"AWS": "*"}),
        _role(
            "guarded",
            {"AWS": "arn:aws:iam::999988887777:root"},
            {"StringEquals": {"sts:ExternalId": "x-123"}},
        ),
        _role("same-account", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
        _role("lambda", {"Service": "lambda.amazonaws.com"}),
    )
    v = verdicts(
        role_cross_account_without_external_id.CHECK,
        inventory(authorization=AuthorizationDetails(roles=roles)),
        ctx,
    )
    assert v["fail"] == {"vendor", "vendor-id", "anyone"}
    assert v["pass"] == {"guarded", "same-account"}


VENDOR = {"AWS": "arn:aws:iam::999988887777:root"}
# Trust conditions shaped as in the IAM User Guide's "Access to AWS accounts owned by third
# parties" (`"StringEquals": {"sts:ExternalId": "<id>"}`) and its condition-operator reference.
EXTERNAL_ID_GUARDS = {
    "string-equals": (
        {"StringEquals": {"sts:ExternalId": "Unique ID Assigned by Example Corp"}},
        True,
    ),
    "string-equals-two-ids": ({"StringEquals": {"sts:ExternalId": ["id-1", "id-2"]}}, True),
    "string-like-fixed": ({"StringLike": {"sts:ExternalId": "id-1"}}, True),
    "key-case": ({"StringEquals": {"STS:EXTERNALID": "id-1"}}, True),
    "string-not-equals": ({"StringNotEquals": {"sts:ExternalId": "id-1"}}, False),
    "string-not-like": ({"StringNotLike": {"sts:ExternalId": "id-*"}}, False),
    "string-like-wildcard": ({"StringLike": {"sts:ExternalId": "*"}}, False),
    "string-like-partial-wildcard": ({"StringLike": {"sts:ExternalId": "vendor-?"}}, False),
    "one-wildcard-among-ids": ({"StringLike": {"sts:ExternalId": ["id-1", "*"]}}, False),
    "policy-variable": ({"StringEquals": {"sts:ExternalId": "${aws:PrincipalAccount}"}}, False),
    "if-exists": ({"StringEqualsIfExists": {"sts:ExternalId": "id-1"}}, False),
    "null-false": ({"Null": {"sts:ExternalId": "false"}}, False),
    "for-all-values": ({"ForAllValues:StringEquals": {"sts:ExternalId": ["id-1"]}}, False),
    "empty": ({"StringEquals": {"sts:ExternalId": ""}}, False),
}


@pytest.mark.parametrize("name", sorted(EXTERNAL_ID_GUARDS))
def test_only_a_positive_match_on_a_fixed_external_id_guards(name: str, ctx: CheckContext) -> None:
    condition, guarded = EXTERNAL_ID_GUARDS[name]
    v = verdicts(
        role_cross_account_without_external_id.CHECK,
        inventory(authorization=AuthorizationDetails(roles=(_role(name, VENDOR, condition),))),
        ctx,
    )
    assert v["pass" if guarded else "fail"] == {name}


def test_signing_certificates_are_held_to_the_access_key_age(ctx: CheckContext) -> None:
    def cert(slot: int, created_days: int | None, active: bool = True) -> SigningCertificate:
        created = days_ago(created_days) if created_days is not None else None
        return SigningCertificate.model_validate(
            {"slot": slot, "active": active, "created": created}
        )

    users = (
        user("old", signing_certificates=(cert(1, 400), cert(2, 10))),
        user("inactive-old", signing_certificates=(cert(1, 900, active=False),)),
        user("undated", signing_certificates=(cert(1, None),)),
        user("none"),
    )
    v = verdicts(signing_certificate_too_old.CHECK, inventory(credential_report=users), ctx)
    assert names(v["fail"]) == {"old"} and len(v["fail"]) == 1
    assert names(v["pass"]) == {"old"} and len(v["pass"]) == 1
    assert names(v["error"]) == {"undated"}


REPORT_TIME = FIXED_NOW - timedelta(hours=3)
"""GetCredentialReport GeneratedTime (botocore iam model: "The date and time when the credential
report was created, in ISO 8601 date-time format"): reused for four hours."""


def test_every_credential_report_verdict_carries_the_report_time(ctx: CheckContext) -> None:
    old = {"report_generated": REPORT_TIME}
    inv = inventory(
        credential_report=(
            user("alice", password_enabled=True, password_last_used=days_ago(1), **old),
            user("bob", access_keys=(key(1, 200, 1), key(2, 10, 1)), **old),
            user(
                "carol",
                signing_certificates=(
                    SigningCertificate(slot=1, active=True, created=days_ago(200)),
                ),
                **old,
            ),
        ),
        root_report_row=user("<root_account>", **old),
    )
    checks = (
        user_console_without_mfa,
        access_key_too_old,
        user_multiple_active_keys,
        credential_unused,
        signing_certificate_too_old,
        root_recently_used,
    )
    for module in checks:
        results = list(module.CHECK.evaluate(inv, ctx))
        assert results, module.META.id
        for r in results:
            assert r.evidence["credential_report_generated"] == REPORT_TIME.isoformat()
            if r.status is Status.FAIL and module is not root_recently_used:
                assert "3.0 h before this scan" in r.message, r.message


def test_a_fresh_report_adds_no_caveat(ctx: CheckContext) -> None:
    fresh = user("alice", password_enabled=True, report_generated=FIXED_NOW - timedelta(minutes=2))
    (result,) = user_console_without_mfa.CHECK.evaluate(inventory(credential_report=(fresh,)), ctx)
    assert result.status is Status.FAIL and "credential report" not in result.message


def test_a_user_deleted_after_the_report_is_not_judged(ctx: CheckContext) -> None:
    """The report still lists gone (deleted at 2 h ago, the report is 3 h old); the
    authorization details, read during the scan, list only kept."""
    report = tuple(
        user(n, password_enabled=True, access_keys=(key(1, 200, 1),), report_generated=REPORT_TIME)
        for n in ("kept", "gone")
    )
    kept = IamUserDetail(name="kept", arn=f"arn:aws:iam::{ACCOUNT}:user/kept", user_id="AIDA1")
    with_iam = inventory(
        credential_report=report, authorization=AuthorizationDetails(users=(kept,))
    )
    without_iam = inventory(credential_report=report)
    for module in (user_console_without_mfa, access_key_too_old, credential_unused):
        assert names(verdicts(module.CHECK, with_iam, ctx)["fail"]) == {"kept"}, module.META.id
        assert names(verdicts(module.CHECK, without_iam, ctx)["fail"]) == {"kept", "gone"}


MANAGEMENT = "999988887777"


def centralised(
    features: tuple[str, ...] = ("RootCredentialsManagement", "RootSessions"),
    management: str = MANAGEMENT,
    root_row: CredentialReportUser | None = None,
    features_read: bool = True,
    partition: str = "aws",
    mfa: bool = False,
    keys: bool = False,
) -> AwsInventory:
    """A member account: ListOrganizationsFeatures' EnabledFeatures (botocore iam model
    FeatureType enum), DescribeOrganization's MasterAccountId, and the report's root row."""
    read = [*IAM_COLLECTIONS]
    if features_read:
        read.append(ORGANIZATIONS_FEATURES)
    return AwsInventory(
        account=ACCOUNT,
        partition=partition,
        outcomes=tuple(CollectionOutcome(collection=c) for c in read),
        root=RootAccount(arn="r", mfa_enabled=mfa, access_keys_present=keys),
        root_report_row=root_row or user("<root_account>", created=days_ago(900)),
        organizations_features=OrganizationsFeatures(
            organization_id="o-a1b2c3d4e5", enabled_features=features, management_account=management
        ),
    )


def test_a_member_root_without_credentials_under_central_management_is_no_finding(
    ctx: CheckContext,
) -> None:
    inv = centralised()
    (mfa,) = root_mfa_disabled.CHECK.evaluate(inv, ctx)
    assert mfa.status is Status.PASS
    assert "RootCredentialsManagement" in mfa.message and MANAGEMENT in mfa.message
    assert mfa.evidence["organization_features"] == ["RootCredentialsManagement", "RootSessions"]
    assert mfa.evidence["root_credentials_in_report"] is False
    (keys,) = root_access_keys_present.CHECK.evaluate(inv, ctx)
    assert keys.status is Status.PASS and "why_root_has_no_credentials" in keys.evidence


@pytest.mark.parametrize(
    "inv",
    [
        centralised(root_row=user("<root_account>", password_enabled=True)),  # a password left
        centralised(root_row=user("<root_account>", access_keys=(key(1, 10, None),))),
        centralised(management=ACCOUNT),  # the management account's own root
        centralised(features=("RootSessions",)),
        centralised(features_read=False),  # not readable here: no claim
    ],
    ids=["password", "key", "management-account", "sessions-only", "unread"],
)
def test_root_without_mfa_still_fails_unless_centrally_stripped(
    inv: AwsInventory, ctx: CheckContext
) -> None:
    assert verdicts(root_mfa_disabled.CHECK, inv, ctx)["fail"] == {"root"}


def test_govcloud_root_has_no_console_sign_in_but_keys_still_count(ctx: CheckContext) -> None:
    inv = centralised(features=(), partition="aws-us-gov", keys=True)
    (mfa,) = root_mfa_disabled.CHECK.evaluate(inv, ctx)
    assert mfa.status is Status.PASS and "GovCloud" in mfa.message
    assert verdicts(root_access_keys_present.CHECK, inv, ctx)["fail"] == {"root"}


def test_a_row_re_read_from_iam_needs_no_caveat(ctx: CheckContext) -> None:
    row = user("alice", password_enabled=True, report_generated=REPORT_TIME, refreshed=True)
    (result,) = user_console_without_mfa.CHECK.evaluate(inventory(credential_report=(row,)), ctx)
    assert result.status is Status.FAIL and "credential report" not in result.message
    assert result.evidence["state_read_after_report"] is True
