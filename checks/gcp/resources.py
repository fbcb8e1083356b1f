"""Resource references for GCP findings: uids are Cloud Asset full resource names."""

from __future__ import annotations

from scanner.inventory.gcp import (
    Bucket,
    CryptoKey,
    GcpIamInventory,
    GcpInventory,
    LogBucket,
    ServiceAccount,
    ServiceAccountKey,
    SqlInstance,
    TargetProxy,
    WorkspaceUser,
)
from scanner.models.findings import Resource

_COMPUTE_PREFIXES = (
    "https://www.googleapis.com/compute/v1/",
    "https://compute.googleapis.com/compute/v1/",
)


def policy_holder(inventory: GcpIamInventory) -> Resource:
    """The project, folder or organization whose allow policy is judged."""
    return Resource(
        uid=f"//cloudresourcemanager.googleapis.com/{inventory.resource_name}",
        type=f"cloudresourcemanager.googleapis.com/{inventory.kind.capitalize()}",
        name=inventory.account,
    )


project = policy_holder


def member(inventory: GcpIamInventory, principal: str) -> Resource:
    """A principal as granted roles in the project's, folder's or organization's policy."""
    return Resource(
        uid=f"//cloudresourcemanager.googleapis.com/{inventory.resource_name}/members/{principal}",
        type="iam.googleapis.com/PolicyMember",
        name=principal,
    )


def bucket(b: Bucket | str) -> Resource:
    name = b if isinstance(b, str) else b.name
    return Resource(
        uid=f"//storage.googleapis.com/projects/_/buckets/{name}",
        type="storage.googleapis.com/Bucket",
        name=name,
    )


def service_account(inventory: GcpInventory, sa: ServiceAccount) -> Resource:
    return Resource(
        uid=f"//iam.googleapis.com/projects/{inventory.account}/serviceAccounts/{sa.email}",
        type="iam.googleapis.com/ServiceAccount",
        name=sa.email,
    )


def service_account_key(sa: ServiceAccount, key: ServiceAccountKey) -> Resource:
    return Resource(
        uid=f"//iam.googleapis.com/{key.name}",
        type="iam.googleapis.com/ServiceAccountKey",
        name=f"{sa.email} key {key.key_id[:12]}",
    )


def crypto_key(key: CryptoKey) -> Resource:
    return Resource(
        uid=f"//cloudkms.googleapis.com/{key.name}",
        type="cloudkms.googleapis.com/CryptoKey",
        name=key.short_name,
    )


def log_bucket(b: LogBucket) -> Resource:
    return Resource(
        uid=f"//logging.googleapis.com/{b.name}",
        type="logging.googleapis.com/LogBucket",
        name=b.name,
    )


def sql_instance(inventory: GcpInventory, instance: SqlInstance) -> Resource:
    return Resource(
        uid=f"//cloudsql.googleapis.com/projects/{inventory.account}/instances/{instance.name}",
        type="sqladmin.googleapis.com/Instance",
        name=instance.name,
    )


def target_proxy(proxy: TargetProxy) -> Resource:
    path = proxy.self_link
    for prefix in _COMPUTE_PREFIXES:
        path = path.removeprefix(prefix)
    kind = "TargetHttpsProxy" if proxy.kind == "targetHttpsProxy" else "TargetSslProxy"
    return Resource(
        uid=f"//compute.googleapis.com/{path}",
        type=f"compute.googleapis.com/{kind}",
        name=proxy.name,
    )


def workspace_user(user: WorkspaceUser) -> Resource:
    return Resource(
        uid=f"//admin.googleapis.com/customers/{user.customer_id}/users/{user.id}",
        type="admin.googleapis.com/User",
        name=user.primary_email,
    )
