"""Privileged role holders who are not registered for MFA or not covered by an MFA policy."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.access import (
    covers,
    group_memberships,
    privileged_holders,
    role_templates_by_principal,
)
from checks.azuread.resources import user as user_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import (
    CONDITIONAL_ACCESS,
    GROUP_MEMBERS,
    MFA_REGISTRATION,
    ROLE_ASSIGNMENTS,
    ROLE_DEFINITIONS,
    SECURITY_DEFAULTS,
    USERS,
    AzureAdInventory,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.roles.privileged_without_mfa",
    title="Privileged role holder without MFA",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Have the administrator register an MFA method and make sure an enforced "
    "conditional access policy requiring MFA applies to them (or to their roles), without "
    "excluding them.",
    requires=(
        USERS,
        MFA_REGISTRATION,
        ROLE_ASSIGNMENTS,
        ROLE_DEFINITIONS,
        GROUP_MEMBERS,
        CONDITIONAL_ACCESS,
        SECURITY_DEFAULTS,
    ),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    roles = ctx.config.azuread.thresholds.privileged_roles
    registrations = {r.user_id: r for r in inventory.mfa_registrations}
    memberships = group_memberships(inventory)
    all_roles = role_templates_by_principal(inventory)
    for user, held in privileged_holders(inventory, roles):
        if not user.account_enabled:
            continue
        templates = all_roles.get(user.id, set())
        covering = [
            p.display_name
            for p in inventory.conditional_access_policies
            if covers(p, user, templates, memberships.get(user.id, set()))
        ]
        reg = registrations.get(user.id)
        # Capable, not merely registered: a method the authentication methods policy allows.
        is_capable = reg is not None and reg.is_mfa_capable
        is_registered = reg is not None and reg.is_mfa_registered
        is_covered = bool(inventory.security_defaults_enabled) or bool(covering)
        evidence = {
            "roles": sorted({h.describe() for h in held}),
            "mfa_registered": is_registered,
            "mfa_capable": is_capable,
            "in_registration_report": reg is not None,
            "covering_policies": covering,
            "security_defaults_enabled": inventory.security_defaults_enabled,
        }
        name = user.user_principal_name
        role_list = ", ".join(sorted({h.role for h in held}))
        if is_capable and is_covered:
            yield passed(user_resource(user), f"{name} ({role_list}) uses MFA.", evidence=evidence)
            continue
        gaps = []
        if not is_registered:
            gaps.append("has no MFA method registered")
        elif not is_capable:
            gaps.append("has MFA registered only with methods the policy does not allow")
        if not is_covered:
            gaps.append("is not covered by any enforced policy requiring MFA")
        yield fail(
            user_resource(user),
            f"Privileged user {name} ({role_list}) {' and '.join(gaps)}.",
            evidence=evidence,
        )


CHECK = Check(META, AzureAdInventory, evaluate)
