"""Who holds which directory role (directly or through a group), and which conditional access
policies require MFA of whom. Pure functions over the inventory, shared by several checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scanner.inventory.azuread import (
    AzureAdInventory,
    AzureUser,
    ConditionalAccessPolicy,
    RoleAssignment,
)

ALL = "all"
TENANT_WIDE = "/"
LEGACY_CLIENTS = frozenset({"exchangeactivesync", "other"})
MODERN_CLIENTS = frozenset({"browser", "mobileappsanddesktopclients"})


# Template ids of built-in roles (the same in every tenant), for assignments whose definition
# was not listed.
BUILTIN_ROLES: dict[str, str] = {
    "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
    "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
}


@dataclass(frozen=True)
class RoleHolding:
    """One principal holding one role; `via_group` names the group it came through."""

    principal_id: str
    principal_type: str
    principal_name: str | None
    role: str
    role_template_id: str
    via_group: str | None = None
    directory_scope_id: str = TENANT_WIDE

    @property
    def tenant_wide(self) -> bool:
        return self.directory_scope_id == TENANT_WIDE

    def describe(self) -> str:
        role = self.role if self.tenant_wide else f"{self.role} at scope {self.directory_scope_id}"
        return f"{role} (via group {self.via_group})" if self.via_group else role


def role_names(inventory: AzureAdInventory) -> dict[str, tuple[str, str]]:
    """Role definition id and template id -> (display name, template id)."""
    names: dict[str, tuple[str, str]] = {t: (n, t) for t, n in BUILTIN_ROLES.items()}
    for d in inventory.role_definitions:
        template = d.template_id or d.id
        names[d.id] = (d.display_name, template)
        names[template] = (d.display_name, template)
    return names


def _group_names(
    inventory: AzureAdInventory, assignments: Iterable[RoleAssignment]
) -> dict[str, str]:
    return {a.principal_id: a.principal_name or a.principal_id for a in assignments}


def holdings(
    inventory: AzureAdInventory, assignments: Iterable[RoleAssignment]
) -> list[RoleHolding]:
    """Role assignments with group principals expanded to their transitive members."""
    names = role_names(inventory)
    members = {g.id: g.members for g in inventory.groups}
    assignments = tuple(assignments)
    group_names = _group_names(inventory, assignments)
    out: list[RoleHolding] = []
    for a in assignments:
        role, template = names.get(
            a.role_definition_id, (a.role_definition_id, a.role_definition_id)
        )
        scope = a.directory_scope_id
        if a.principal_type != "group":
            out.append(
                RoleHolding(
                    a.principal_id,
                    a.principal_type,
                    a.principal_name,
                    role,
                    template,
                    directory_scope_id=scope,
                )
            )
            continue
        for m in members.get(a.principal_id, ()):
            out.append(
                RoleHolding(
                    m.id, m.type, m.name, role, template, group_names[a.principal_id], scope
                )
            )
    return out


def is_privileged(role: str, privileged: Iterable[str]) -> bool:
    wanted = {p.casefold() for p in privileged}
    return role.casefold() in wanted


def privileged_users(
    inventory: AzureAdInventory, privileged_roles: Iterable[str]
) -> dict[str, list[RoleHolding]]:
    """User id -> the privileged roles the user actively holds (directly or via groups)."""
    roles = tuple(privileged_roles)
    by_user: dict[str, list[RoleHolding]] = defaultdict(list)
    for h in holdings(inventory, inventory.role_assignments):
        if h.principal_type == "user" and is_privileged(h.role, roles):
            by_user[h.principal_id].append(h)
    return dict(by_user)


def privileged_holders(
    inventory: AzureAdInventory, privileged_roles: Iterable[str]
) -> Iterator[tuple[AzureUser, list[RoleHolding]]]:
    """Each known user holding a privileged role, with those roles, in a stable order."""
    users = users_by_id(inventory)
    for user_id, held in sorted(privileged_users(inventory, privileged_roles).items()):
        user = users.get(user_id)
        if user is not None:
            yield user, held


def role_templates_by_principal(inventory: AzureAdInventory) -> dict[str, set[str]]:
    """Principal id -> template ids of the roles it actively holds tenant-wide.

    Only these can bring a user into (or out of) a policy's `includeRoles`/`excludeRoles`:
    Conditional Access does not support roles assigned at an administrative-unit or object
    scope (Microsoft Entra docs, "Conditional Access: Users, groups, and workload identities").
    """
    out: dict[str, set[str]] = defaultdict(set)
    for h in holdings(inventory, inventory.role_assignments):
        if h.tenant_wide:
            out[h.principal_id].add(h.role_template_id)
    return dict(out)


def users_by_id(inventory: AzureAdInventory) -> dict[str, AzureUser]:
    return {u.id: u for u in inventory.users}


# --- conditional access ------------------------------------------------------------------


def _lower(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values}


def requires_mfa(p: ConditionalAccessPolicy) -> bool:
    """Every way to satisfy the grant includes MFA: the `mfa` control or an authentication
    strength that grants the MFA claim. Under OR, any other control (a compliant device, terms
    of use, a custom factor, a strength short of MFA) is a way in without MFA."""
    controls = _lower(p.built_in_controls)
    mfa_ways = int("mfa" in controls) + int(p.authentication_strength_is_mfa)
    if mfa_ways == 0:
        return False
    if (p.grant_operator or "OR").upper() == "AND":
        return True
    other_ways = (
        len(controls - {"mfa"})
        + len(p.terms_of_use)
        + len(p.custom_authentication_factors)
        + int(p.authentication_strength is not None and not p.authentication_strength_is_mfa)
    )
    return other_ways == 0


def _narrowing(p: ConditionalAccessPolicy) -> list[str]:
    """Conditions other than users, apps, platforms, locations and client types that limit
    when the policy applies."""
    return [
        name
        for name, present in (
            ("user risk", bool(p.user_risk_levels)),
            ("sign-in risk", bool(p.sign_in_risk_levels)),
            ("service principal risk", bool(p.service_principal_risk_levels)),
            ("insider risk", bool(p.insider_risk_levels)),
            ("device filter", p.device_filter),
            ("authentication flows", bool(p.authentication_flows)),
            ("client applications", p.client_applications),
            ("application filter", p.application_filter),
            ("authentication context", bool(p.authentication_contexts)),
        )
        if present
    ]


def unconditional(p: ConditionalAccessPolicy) -> bool:
    """Not narrowed by platform, location, risk, device or app filter, client type,
    authentication flow, authentication context or workload identity. "All" platforms or
    locations is not a narrowing."""
    platforms_ok = (not p.include_platforms or ALL in _lower(p.include_platforms)) and not (
        p.exclude_platforms
    )
    locations_ok = (not p.include_locations or ALL in _lower(p.include_locations)) and not (
        p.exclude_locations
    )
    clients = _lower(p.client_app_types)
    clients_ok = not clients or ALL in clients or clients >= MODERN_CLIENTS
    return platforms_ok and locations_ok and clients_ok and not _narrowing(p)


def all_apps(p: ConditionalAccessPolicy) -> bool:
    return ALL in _lower(p.include_applications) and not p.exclude_applications


def mfa_for_everyone(p: ConditionalAccessPolicy) -> bool:
    return (
        p.enforced
        and ALL in _lower(p.include_users)
        and all_apps(p)
        and unconditional(p)
        and requires_mfa(p)
    )


def blocks_legacy_auth(p: ConditionalAccessPolicy) -> bool:
    clients = _lower(p.client_app_types)
    narrowed = (
        (p.include_platforms and ALL not in _lower(p.include_platforms))
        or p.exclude_platforms
        or (p.include_locations and ALL not in _lower(p.include_locations))
        or p.exclude_locations
        or _narrowing(p)
    )
    return (
        p.enforced
        and ALL in _lower(p.include_users)
        and all_apps(p)
        and clients >= LEGACY_CLIENTS
        and _lower(p.built_in_controls) == {"block"}
        and not narrowed
    )


def group_memberships(inventory: AzureAdInventory) -> dict[str, set[str]]:
    """Principal id -> the collected groups it is a (transitive) member of."""
    out: dict[str, set[str]] = defaultdict(set)
    for g in inventory.groups:
        for m in g.members:
            out[m.id].add(g.id)
    return out


def covers(
    p: ConditionalAccessPolicy,
    user: AzureUser,
    role_templates: set[str],
    groups: set[str],
) -> bool:
    """The policy requires MFA of this user for every app, with nothing narrowing it."""
    if not (p.enforced and all_apps(p) and unconditional(p) and requires_mfa(p)):
        return False
    include = _lower(p.include_users)
    included = (
        ALL in include
        or user.id.casefold() in include
        or bool(role_templates & set(p.include_roles))
        or bool(groups & set(p.include_groups))
        or (
            user.is_guest
            and ("guestsorexternalusers" in include or p.include_guests_or_external_users)
        )
    )
    excluded = (
        user.id.casefold() in _lower(p.exclude_users)
        or bool(role_templates & set(p.exclude_roles))
        or bool(groups & set(p.exclude_groups))
        or (
            user.is_guest
            and (
                "guestsorexternalusers" in _lower(p.exclude_users)
                or p.exclude_guests_or_external_users
            )
        )
    )
    return included and not excluded


def excluded_principals(p: ConditionalAccessPolicy) -> int:
    return len(p.exclude_users) + len(p.exclude_groups) + len(p.exclude_roles)
