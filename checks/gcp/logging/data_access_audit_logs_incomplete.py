"""Data Access audit logs not on for all services, or some members exempted from them."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import project
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import (
    IAM_POLICY,
    INHERITED_AUDIT_CONFIGS,
    AuditConfig,
    GcpInventory,
)
from scanner.models.enums import Category, Severity

DATA_ACCESS_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")

META = CheckMeta(
    id="gcp.logging.data_access_audit_logs_incomplete",
    title="Data Access audit logs not enabled for all services, or members exempted",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation=(
        "Add an auditConfig for allServices with ADMIN_READ, DATA_READ and DATA_WRITE to the "
        "project (or organization) IAM policy, and remove every exempted member."
    ),
    requires=(IAM_POLICY, INHERITED_AUDIT_CONFIGS),
    description="Audit configs set on the folders and organization above count too.",
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    policy = inventory.iam_policy
    if policy is None:
        return
    # Unread folders/organization: the engine adds an error and discards a pass.
    inherited_read = not inventory.failures([INHERITED_AUDIT_CONFIGS])
    # (where it is set, config): the project's own, then what folders and the org hand down.
    configs: list[tuple[str, AuditConfig]] = [(inventory.account, a) for a in policy.audit_configs]
    configs += [(i.source, i.config) for i in inventory.inherited_audit_configs]
    enabled = {
        c.log_type for _, a in configs if a.service == "allServices" for c in a.audit_log_configs
    }
    missing = [t for t in DATA_ACCESS_TYPES if t not in enabled]
    exempted = sorted(
        f"{source} {a.service}/{c.log_type}: {m}"
        for source, a in configs
        for c in a.audit_log_configs
        for m in c.exempted_members
    )
    evidence = {
        "all_services_log_types": sorted(enabled),
        "missing_log_types": missing,
        "exempted_members": exempted,
        "inherited_from": sorted({i.source for i in inventory.inherited_audit_configs}),
        "inherited_configs_read": inherited_read,
    }
    problem = (
        f"allServices lacks {', '.join(missing)}"
        if missing
        else f"{len(exempted)} member exemption(s)"
    )
    yield pass_or_fail(
        project(inventory),
        not (missing or exempted),
        f"Data Access audit logs are on for all services in {inventory.account}.",
        f"Data Access audit logging in project {inventory.account} is incomplete "
        f"({problem}); enable all types for allServices without exemptions.",
        evidence=evidence,
    )


CHECK = Check(META, GcpInventory, evaluate)
