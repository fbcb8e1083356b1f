"""When the root user has no credentials to protect: centralised root access and GovCloud.

- AWS Organizations' centralised root access (iam:ListOrganizationsFeatures reports
  RootCredentialsManagement): a member account whose root row in the credential report shows
  no password, access key, MFA device or signing certificate has had its root credentials
  removed; nobody can sign in as it or recover its password, and a root session is started
  only from the management account, for one task. MFA on that root is not a gap. The
  management account's own root is never covered.
- AWS GovCloud (US): the root credentials of the associated standard account cannot sign in to
  the GovCloud console (AWS GovCloud (US) User Guide, "AWS Identity and Access Management in AWS
  GovCloud (US)"); MFA for that root is judged in the standard account.
"""

from __future__ import annotations

from pydantic import JsonValue

from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import CREDENTIAL_REPORT, ORGANIZATIONS_FEATURES

GOVCLOUD = "aws-us-gov"


def _root_has_credentials(inventory: AwsInventory) -> bool | None:
    """None when the credential report (its root row) was not read."""
    row = inventory.root_report_row
    if row is None or not inventory.collected(CREDENTIAL_REPORT):
        return None
    return bool(
        row.password_enabled or row.active_keys or row.mfa_active or row.active_certificates
    )


def centrally_managed_evidence(inventory: AwsInventory) -> dict[str, JsonValue]:
    features = inventory.organizations_features
    if features is None or not inventory.collected(ORGANIZATIONS_FEATURES):
        return {"centralised_root_access": "not read"}
    return {
        "organization_id": features.organization_id,
        "organization_features": list(features.enabled_features),
        "management_account": features.management_account,
        "root_credentials_in_report": _root_has_credentials(inventory),
    }


def no_root_credentials_reason(inventory: AwsInventory) -> str | None:
    """Why the root user of this account has no console credentials to protect, or None."""
    if inventory.partition == GOVCLOUD:
        return (
            "in AWS GovCloud (US) the root user cannot sign in to the console; its MFA belongs "
            "to the associated standard AWS account and is judged there"
        )
    return centrally_managed_reason(inventory)


def centrally_managed_reason(inventory: AwsInventory) -> str | None:
    """Why a member root without credentials is no finding under centralised root access."""
    features = inventory.organizations_features
    if (
        features is None
        or not inventory.collected(ORGANIZATIONS_FEATURES)
        or not features.manages_root_of(inventory.account)
        or _root_has_credentials(inventory) is not False
    ):
        return None
    return (
        f"organization {features.organization_id} manages member root credentials centrally "
        "(RootCredentialsManagement) and this root user has no password, access key, MFA "
        "device or signing certificate; only the management account "
        f"{features.management_account} can start a task-scoped root session"
    )
