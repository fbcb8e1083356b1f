"""The AWS inventory. Built by providers.aws, read by checks.aws."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, JsonValue

from scanner.models.inventory import Frozen

PolicyDocument = dict[str, JsonValue]


class AccessKey(Frozen):
    """One access key slot of the credential report (1 or 2)."""

    slot: Literal[1, 2]
    active: bool
    created: datetime | None = Field(description="last_rotated in the credential report")
    last_used: datetime | None = None
    last_used_service: str | None = None

    @property
    def sub_key(self) -> str:
        """Stable per key: a new key in the same slot has another creation time."""
        stamp = self.created.isoformat() if self.created else "unknown"
        return f"access_key_{self.slot}@{stamp}"


class SigningCertificate(Frozen):
    """One X.509 signing certificate slot of the credential report (cert_1, cert_2): a
    long-lived credential like an access key."""

    slot: Literal[1, 2]
    active: bool
    created: datetime | None = Field(description="cert_<n>_last_rotated in the credential report")

    @property
    def sub_key(self) -> str:
        stamp = self.created.isoformat() if self.created else "unknown"
        return f"signing_certificate_{self.slot}@{stamp}"


class CredentialReportUser(Frozen):
    """A row of the IAM credential report (one call for every user)."""

    name: str
    arn: str
    created: datetime | None
    password_enabled: bool
    password_last_used: datetime | None = None
    password_last_changed: datetime | None = None
    mfa_active: bool
    access_keys: tuple[AccessKey, ...] = ()
    signing_certificates: tuple[SigningCertificate, ...] = ()
    report_generated: datetime | None = Field(
        None,
        description="GetCredentialReport GeneratedTime: IAM reuses a report for 4 hours, so "
        "changes made after it are not in the row",
    )
    refreshed: bool = Field(
        False,
        description="Password, MFA and access keys re-read from IAM because the report was "
        "older than the scan by more than a few minutes",
    )

    @property
    def active_keys(self) -> tuple[AccessKey, ...]:
        return tuple(k for k in self.access_keys if k.active)

    @property
    def active_certificates(self) -> tuple[SigningCertificate, ...]:
        return tuple(c for c in self.signing_certificates if c.active)


class RootAccount(Frozen):
    """Root facts from GetAccountSummary (answers even where the report has no root row)."""

    arn: str
    mfa_enabled: bool
    access_keys_present: bool


class InlinePolicy(Frozen):
    name: str
    document: PolicyDocument


class AttachedPolicy(Frozen):
    name: str
    arn: str


class IamUserDetail(Frozen):
    name: str
    arn: str
    user_id: str
    created: datetime | None = None
    groups: tuple[str, ...] = ()
    attached_policies: tuple[AttachedPolicy, ...] = ()
    inline_policies: tuple[InlinePolicy, ...] = ()


class IamGroupDetail(Frozen):
    name: str
    arn: str
    attached_policies: tuple[AttachedPolicy, ...] = ()
    inline_policies: tuple[InlinePolicy, ...] = ()


class IamRoleDetail(Frozen):
    name: str
    arn: str
    path: str = "/"
    trust_policy: PolicyDocument = Field(default_factory=dict)
    attached_policies: tuple[AttachedPolicy, ...] = ()
    inline_policies: tuple[InlinePolicy, ...] = ()


class ManagedPolicy(Frozen):
    """A customer-managed policy with its default version's document."""

    name: str
    arn: str
    document: PolicyDocument = Field(default_factory=dict)


class AuthorizationDetails(Frozen):
    """GetAccountAuthorizationDetails, every page: who holds which policy."""

    users: tuple[IamUserDetail, ...] = ()
    groups: tuple[IamGroupDetail, ...] = ()
    roles: tuple[IamRoleDetail, ...] = ()
    policies: tuple[ManagedPolicy, ...] = ()


class PasswordPolicy(Frozen):
    minimum_length: int | None = None
    reuse_prevention: int | None = None
    max_age_days: int | None = None
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    expire_passwords: bool = False


ROOT_CREDENTIALS_MANAGEMENT = "RootCredentialsManagement"


class OrganizationsFeatures(Frozen):
    """Centralised root access: iam:ListOrganizationsFeatures of the account's organization.

    With RootCredentialsManagement on, member accounts' root users can have their credentials
    removed and cannot recover a password; only the management account (or IAM's delegated
    administrator) starts a task-scoped root session. The management account's own root is
    never covered.
    """

    organization_id: str | None = Field(None, description="None: not in an organization")
    enabled_features: tuple[str, ...] = Field(
        (), description="EnabledFeatures: RootCredentialsManagement, RootSessions, …"
    )
    management_account: str | None = Field(None, description="DescribeOrganization MasterAccountId")

    def manages_root_of(self, account: str) -> bool:
        return (
            ROOT_CREDENTIALS_MANAGEMENT in self.enabled_features
            and self.management_account is not None
            and account != self.management_account
        )


ROOT_REPORT_ROW = "<root_account>"
"""The credential report's row for the root user."""

# Collection names: checks declare them in `requires`, collectors record their outcomes.
CREDENTIAL_REPORT = "aws.iam.credential_report"
ACCOUNT_SUMMARY = "aws.iam.account_summary"
AUTHORIZATION_DETAILS = "aws.iam.authorization_details"
PASSWORD_POLICY = "aws.iam.password_policy"
ORGANIZATIONS_FEATURES = "aws.iam.organizations_features"
