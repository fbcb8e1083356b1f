"""Project IAM policy (Resource Manager) and service accounts with their user-managed keys."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.inventory import gcp as inv


def fetch_iam_policy(clients: GcpClients, project: Project) -> inv.IamPolicy:
    policy = clients.projects().get_iam_policy(
        request={"resource": f"projects/{project.id}", "options": {"requested_policy_version": 3}},
        retry=clients.retry,
        timeout=clients.timeout,
    )
    return parse.iam_policy(json_format.MessageToDict(policy))


def _key(raw: dict[str, Any]) -> inv.ServiceAccountKey:
    name = str(raw["name"])
    return inv.ServiceAccountKey(
        key_id=name.rsplit("/", 1)[-1],
        name=name,
        key_type=str(raw.get("keyType", "USER_MANAGED")),
        origin=raw.get("keyOrigin"),
        valid_after=parse.timestamp(raw.get("validAfterTime")),
        valid_before=parse.timestamp(raw.get("validBeforeTime")),
        disabled=parse.flag(raw.get("disabled"), "disabled"),
    )


def fetch_service_accounts(clients: GcpClients, project: Project) -> tuple[inv.ServiceAccount, ...]:
    accounts = clients.service("iam").projects().serviceAccounts()
    listed = clients.paginate(
        "iam", accounts, "list", "accounts", name=f"projects/{project.id}", pageSize=100
    )
    out = []
    for raw in listed:
        email = str(raw["email"])
        response = clients.execute(
            "iam",
            accounts.keys().list(
                name=f"projects/{project.id}/serviceAccounts/{email}", keyTypes="USER_MANAGED"
            ),
        )
        keys = tuple(
            _key(k)
            for k in response.get("keys", [])
            if k.get("keyType", "USER_MANAGED") == "USER_MANAGED"
        )
        out.append(
            inv.ServiceAccount(
                email=email,
                unique_id=str(raw.get("uniqueId", "")),
                display_name=raw.get("displayName"),
                disabled=parse.flag(raw.get("disabled"), "disabled"),
                keys=keys,
            )
        )
    return tuple(out)


COLLECTIONS = (
    gcp_collection(inv.IAM_POLICY, ("iam_policy",), fetch_iam_policy),
    gcp_collection(inv.SERVICE_ACCOUNT_KEYS, ("service_accounts",), fetch_service_accounts),
)
