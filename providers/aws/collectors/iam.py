"""IAM: bulk reads only (credential report, authorization details), never one call per user."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.parse
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from providers.aws.collectors.iam_refresh import refresh_stale_rows
from providers.aws.errors import error_code, outcome_for
from providers.aws.paginate import paginate_pages
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.collection import CollectionFailedError
from scanner.inventory.aws import identity as inv
from scanner.models.enums import Outcome
from scanner.timestamps import parse_timestamp

NO_VALUE = frozenset({"N/A", "no_information", "not_supported"})
"""The credential report's placeholders (IAM User Guide, "Getting credential reports"): N/A
when the credential does not exist or was never used; never a value."""
REPORT_WAIT_SECONDS = 120


def _bool(value: str) -> bool:
    return value.strip().lower() == "true"


def _time(value: str) -> datetime | None:
    value = value.strip()
    if not value or value in NO_VALUE:
        return None
    return parse_timestamp(value)


def _text(value: str | None) -> str | None:
    """A text column, None for a placeholder: `N/A` is never a service name."""
    value = (value or "").strip()
    return None if not value or value in NO_VALUE else value


def _certificates(row: dict[str, str]) -> tuple[inv.SigningCertificate, ...]:
    """cert_<n>_active / cert_<n>_last_rotated: the X.509 signing certificates."""
    return tuple(
        inv.SigningCertificate(
            slot=slot,
            active=_bool(row.get(f"cert_{slot}_active", "false")),
            created=_time(row.get(f"cert_{slot}_last_rotated", "N/A")),
        )
        for slot in (1, 2)
        if _bool(row.get(f"cert_{slot}_active", "false"))
        or _time(row.get(f"cert_{slot}_last_rotated", "N/A")) is not None
    )


def parse_credential_report(
    content: bytes | str, generated: datetime | None = None
) -> list[inv.CredentialReportUser]:
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    rows: list[inv.CredentialReportUser] = []
    for row in csv.DictReader(io.StringIO(text)):
        keys = tuple(
            inv.AccessKey(
                slot=slot,
                active=_bool(row.get(f"access_key_{slot}_active", "false")),
                created=_time(row.get(f"access_key_{slot}_last_rotated", "N/A")),
                last_used=_time(row.get(f"access_key_{slot}_last_used_date", "N/A")),
                last_used_service=_text(row.get(f"access_key_{slot}_last_used_service")),
            )
            for slot in (1, 2)
            if _bool(row.get(f"access_key_{slot}_active", "false"))
            or _time(row.get(f"access_key_{slot}_last_rotated", "N/A")) is not None
        )
        rows.append(
            inv.CredentialReportUser(
                name=row["user"],
                arn=row["arn"],
                created=_time(row.get("user_creation_time", "")),
                password_enabled=_bool(row.get("password_enabled", "false")),
                password_last_used=_time(row.get("password_last_used", "")),
                password_last_changed=_time(row.get("password_last_changed", "")),
                mfa_active=_bool(row.get("mfa_active", "false")),
                access_keys=keys,
                signing_certificates=_certificates(row),
                report_generated=generated,
            )
        )
    return rows


def fetch_credential_report(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[inv.CredentialReportUser, ...]:
    iam = clients.client("iam", region)
    deadline = time.monotonic() + REPORT_WAIT_SECONDS
    pause = 0.25
    while True:
        state = iam.generate_credential_report().get("State")
        if state == "COMPLETE":
            break
        if time.monotonic() > deadline:
            raise TimeoutError("the credential report was not ready in time")
        time.sleep(pause)
        pause = min(pause * 2, 4.0)
    try:
        report = iam.get_credential_report()
    except ClientError as exc:
        if error_code(exc) in {"ReportNotPresent", "ReportExpired", "ReportInProgress"}:
            raise TimeoutError("the credential report was not ready in time") from None
        raise
    stamp = report.get("GeneratedTime")
    generated = stamp if isinstance(stamp, datetime) else None
    rows = parse_credential_report(report["Content"], generated)
    return tuple(refresh_stale_rows(iam, rows, generated, datetime.now(UTC)))


def fetch_root_summary(clients: AwsClients, region: str, account: AwsAccount) -> inv.RootAccount:
    summary = clients.client("iam", region).get_account_summary()["SummaryMap"]
    return inv.RootAccount(
        arn=f"arn:{account.partition}:iam::{account.id}:root",
        mfa_enabled=bool(summary.get("AccountMFAEnabled", 0)),
        access_keys_present=bool(summary.get("AccountAccessKeysPresent", 0)),
    )


NO_CENTRAL_ROOT_ACCESS = frozenset(
    {
        "OrganizationNotFoundException",
        "OrganizationNotInAllFeaturesModeException",
        "ServiceAccessNotEnabledException",
    }
)
"""ListOrganizationsFeatures errors (botocore iam model) that mean the feature is off: no
organization, not all features, or IAM's trusted access not enabled in Organizations."""
NOT_MANAGEMENT = "AccountNotManagementOrDelegatedAdministratorException"
DESCRIBE_ORGANIZATION = "organizations:DescribeOrganization"


def read_organizations_features(clients: AwsClients, region: str) -> inv.OrganizationsFeatures:
    """The organization (DescribeOrganization, any member may call it) and, when there is one,
    its centralised root access features (management or delegated administrator only)."""
    try:
        organization = clients.client("organizations", region).describe_organization()
    except ClientError as exc:
        if error_code(exc) == "AWSOrganizationsNotInUseException":
            return inv.OrganizationsFeatures()
        failed = outcome_for(inv.ORGANIZATIONS_FEATURES, None, exc, DESCRIBE_ORGANIZATION)
        raise CollectionFailedError(failed.outcome, failed.message, failed.missing) from None
    management = organization.get("Organization", {}).get("MasterAccountId")
    try:
        features = clients.client("iam", region).list_organizations_features()
    except ClientError as exc:
        code = error_code(exc)
        if code in NO_CENTRAL_ROOT_ACCESS:
            return inv.OrganizationsFeatures(management_account=management)
        if code == NOT_MANAGEMENT:
            raise CollectionFailedError(
                Outcome.NOT_AVAILABLE,
                "only the organization's management account or IAM's delegated administrator "
                "can list centralised root access; scan the members with --org-role from it",
                "iam:ListOrganizationsFeatures (from the management account)",
            ) from None
        raise
    return inv.OrganizationsFeatures(
        organization_id=features.get("OrganizationId"),
        enabled_features=tuple(features.get("EnabledFeatures", [])),
        management_account=management,
    )


def fetch_organizations_features(
    clients: AwsClients, region: str, account: AwsAccount
) -> inv.OrganizationsFeatures:
    if account.organizations_features is not None:
        return account.organizations_features
    return read_organizations_features(clients, region)


def fetch_password_policy(
    clients: AwsClients, region: str, account: AwsAccount
) -> inv.PasswordPolicy | None:
    try:
        policy = clients.client("iam", region).get_account_password_policy()["PasswordPolicy"]
    except ClientError as exc:
        if error_code(exc) == "NoSuchEntity":
            return None
        raise
    return inv.PasswordPolicy(
        minimum_length=policy.get("MinimumPasswordLength"),
        reuse_prevention=policy.get("PasswordReusePrevention"),
        max_age_days=policy.get("MaxPasswordAge") or None,  # 0 means passwords never expire
        require_symbols=bool(policy.get("RequireSymbols")),
        require_numbers=bool(policy.get("RequireNumbers")),
        require_uppercase=bool(policy.get("RequireUppercaseCharacters")),
        require_lowercase=bool(policy.get("RequireLowercaseCharacters")),
        expire_passwords=bool(policy.get("ExpirePasswords")),
    )


def policy_document(raw: Any) -> dict[str, Any]:
    """Documents arrive as dicts from boto3, or URL-encoded JSON from some endpoints."""
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str) and raw:
        decoded = json.loads(urllib.parse.unquote(raw))
        if isinstance(decoded, dict):
            return decoded
    return {}


def _inline(items: list[dict[str, Any]]) -> tuple[inv.InlinePolicy, ...]:
    return tuple(
        inv.InlinePolicy(name=p["PolicyName"], document=policy_document(p.get("PolicyDocument")))
        for p in items
    )


def _attached(items: list[dict[str, Any]]) -> tuple[inv.AttachedPolicy, ...]:
    return tuple(inv.AttachedPolicy(name=p["PolicyName"], arn=p["PolicyArn"]) for p in items)


def _default_document(policy: dict[str, Any]) -> dict[str, Any]:
    for version in policy.get("PolicyVersionList", []):
        if version.get("IsDefaultVersion"):
            return policy_document(version.get("Document"))
    return {}


def fetch_authorization_details(
    clients: AwsClients, region: str, account: AwsAccount
) -> inv.AuthorizationDetails:
    pages = paginate_pages(
        clients.client("iam", region),
        "get_account_authorization_details",
        Filter=["User", "Group", "Role", "LocalManagedPolicy"],
    )
    users, groups, roles, policies = [], [], [], []
    for page in pages:
        users += [
            inv.IamUserDetail(
                name=u["UserName"],
                arn=u["Arn"],
                user_id=u.get("UserId", ""),
                created=u.get("CreateDate"),
                groups=tuple(u.get("GroupList", [])),
                attached_policies=_attached(u.get("AttachedManagedPolicies", [])),
                inline_policies=_inline(u.get("UserPolicyList", [])),
            )
            for u in page.get("UserDetailList", [])
        ]
        groups += [
            inv.IamGroupDetail(
                name=g["GroupName"],
                arn=g["Arn"],
                attached_policies=_attached(g.get("AttachedManagedPolicies", [])),
                inline_policies=_inline(g.get("GroupPolicyList", [])),
            )
            for g in page.get("GroupDetailList", [])
        ]
        roles += [
            inv.IamRoleDetail(
                name=r["RoleName"],
                arn=r["Arn"],
                path=r.get("Path", "/"),
                trust_policy=policy_document(r.get("AssumeRolePolicyDocument")),
                attached_policies=_attached(r.get("AttachedManagedPolicies", [])),
                inline_policies=_inline(r.get("RolePolicyList", [])),
            )
            for r in page.get("RoleDetailList", [])
        ]
        policies += [
            inv.ManagedPolicy(name=p["PolicyName"], arn=p["Arn"], document=_default_document(p))
            for p in page.get("Policies", [])
        ]
    return inv.AuthorizationDetails(
        users=tuple(users), groups=tuple(groups), roles=tuple(roles), policies=tuple(policies)
    )


COLLECTIONS = (
    aws_collection(
        inv.CREDENTIAL_REPORT,
        "credential_report",
        "iam",
        (
            "iam:GenerateCredentialReport",
            "iam:GetCredentialReport",
            # A report IAM reuses (up to 4 h old) is re-checked for the users it would flag.
            "iam:GetLoginProfile",
            "iam:ListMFADevices",
            "iam:ListAccessKeys",
        ),
        fetch_credential_report,
        # The report's <root_account> row goes to its own field.
        derived=("root_report_row",),
    ),
    aws_collection(
        inv.ACCOUNT_SUMMARY, "root", "iam", ("iam:GetAccountSummary",), fetch_root_summary
    ),
    aws_collection(
        inv.ORGANIZATIONS_FEATURES,
        "organizations_features",
        "iam",
        ("iam:ListOrganizationsFeatures", DESCRIBE_ORGANIZATION),
        fetch_organizations_features,
    ),
    aws_collection(
        inv.PASSWORD_POLICY,
        "password_policy",
        "iam",
        ("iam:GetAccountPasswordPolicy",),
        fetch_password_policy,
    ),
    aws_collection(
        inv.AUTHORIZATION_DETAILS,
        "authorization",
        "iam",
        ("iam:GetAccountAuthorizationDetails",),
        fetch_authorization_details,
    ),
)
