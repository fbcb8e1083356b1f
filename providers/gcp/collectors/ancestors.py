"""Folders and the organization above the projects: their own allow policies (judged as
inventories of their own), and what they pass down to their projects: audit configs and sinks.

Read once per ancestor, only when scanning an organization, and handed down to each project
below it (in the order of its ancestors, nearest first). This data can only turn a
project-level failure into a pass, so an ancestor that does not exist (404, e.g. an emulator
without folders) contributes nothing rather than failing the collection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf import json_format

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.collectors.logging import sink_from
from providers.gcp.errors import describe
from providers.gcp.runner import gcp_collection
from scanner.collection import NOT_RUN, Collected, CollectionFailedError, NotRun, Scope
from scanner.inventory import gcp as inv


def _unless_missing(read: Callable[[], Any], empty: Any) -> Any:
    try:
        return read()
    except Exception as exc:
        failure = describe(exc)
        if failure is not None and failure.status == 404:
            return empty
        raise


def _read_policy(clients: GcpClients, resource: str) -> inv.IamPolicy:
    client: Any = (
        clients.organizations() if resource.startswith("organizations/") else clients.folders()
    )
    message = client.get_iam_policy(
        request={"resource": resource, "options": {"requested_policy_version": 3}},
        retry=clients.retry,
        timeout=clients.timeout,
    )
    return parse.iam_policy(json_format.MessageToDict(message))


def fetch_policy(clients: GcpClients, resource: str) -> inv.IamPolicy | NotRun:
    """The folder's or organization's own allow policy, judged in an inventory of its own;
    one that does not exist (404) is not judged at all."""
    result: inv.IamPolicy | NotRun = _unless_missing(
        lambda: _read_policy(clients, resource), NOT_RUN
    )
    return result


def fetch_audit_configs(
    clients: GcpClients, resource: str, seen: Collected
) -> tuple[inv.InheritedAuditConfig, ...]:
    """The audit configs of the policy ANCESTOR_IAM_POLICY read (one call serves both), or
    of a policy read here when that collection is not part of the scan or found nothing."""
    if seen.ok(inv.ANCESTOR_IAM_POLICY, resource):
        policy: inv.IamPolicy = seen.value(inv.ANCESTOR_IAM_POLICY, resource)
    else:
        failed = [
            o
            for o in seen.outcomes
            if o.collection == inv.ANCESTOR_IAM_POLICY and o.scope == resource and not o.ok
        ]
        if failed:
            raise CollectionFailedError(failed[0].outcome, failed[0].message, failed[0].missing)
        policy = _unless_missing(lambda: _read_policy(clients, resource), inv.IamPolicy())
    return tuple(inv.InheritedAuditConfig(source=resource, config=c) for c in policy.audit_configs)


def fetch_sinks(clients: GcpClients, resource: str) -> tuple[inv.InheritedSink, ...]:
    def read() -> tuple[inv.InheritedSink, ...]:
        logging_api = clients.service("logging")
        kind = (
            logging_api.organizations()
            if resource.startswith("organizations/")
            else (logging_api.folders())
        )
        listed = clients.paginate(
            "logging", kind.sinks(), "list", "sinks", parent=resource, pageSize=200
        )
        sinks = (sink_from(raw) for raw in listed)
        return tuple(
            inv.InheritedSink(source=resource, sink=s) for s in sinks if s.include_children
        )

    result: tuple[inv.InheritedSink, ...] = _unless_missing(read, ())
    return result


COLLECTIONS = (
    gcp_collection(
        inv.ANCESTOR_IAM_POLICY,
        ("iam_policy",),
        fetch_policy,
        scope=Scope.ANCESTOR,
        inventory=inv.GcpAncestorInventory,
    ),
    gcp_collection(
        inv.INHERITED_AUDIT_CONFIGS,
        ("inherited_audit_configs",),
        fetch_audit_configs,
        scope=Scope.ANCESTOR,
        after=(inv.ANCESTOR_IAM_POLICY,),
    ),
    gcp_collection(inv.INHERITED_SINKS, ("inherited_sinks",), fetch_sinks, scope=Scope.ANCESTOR),
)
