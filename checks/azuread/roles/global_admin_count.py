"""Too few (no backup) or too many (needless exposure) active Global Administrators."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.access import holdings
from checks.azuread.resources import tenant_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import (
    GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
    GROUP_MEMBERS,
    ROLE_ASSIGNMENTS,
    ROLE_DEFINITIONS,
    ROLE_ELIGIBILITY,
    USERS,
    AzureAdInventory,
)
from scanner.models.enums import Category, Outcome, Severity

META = CheckMeta(
    id="azuread.roles.global_admin_count",
    title="Number of Global Administrators outside the allowed range",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Keep between two and four active Global Administrators: move day-to-day "
    "administration to narrower roles, and make further administrators PIM-eligible instead.",
    requires=(USERS, ROLE_ASSIGNMENTS, ROLE_DEFINITIONS, GROUP_MEMBERS),
    # PIM eligibility needs a P2 licence; without it the evidence says eligibility is unknown.
    optional=(ROLE_ELIGIBILITY,),
)


def _holders(inventory: AzureAdInventory, eligible: bool, kind: str) -> dict[str, str]:
    """Principal id -> name of the Global Administrators of one kind (user, servicePrincipal).

    Disabled users are left out: they can neither administer nor stand in as a backup.
    """
    source = inventory.role_eligibilities if eligible else inventory.role_assignments
    disabled = {u.id for u in inventory.users if not u.account_enabled}
    return {
        h.principal_id: h.principal_name or h.principal_id
        for h in holdings(inventory, source)
        if h.role_template_id == GLOBAL_ADMINISTRATOR_TEMPLATE_ID
        and h.principal_type == kind
        and h.principal_id not in disabled
    }


def _eligibility_unseen(inventory: AzureAdInventory) -> str | None:
    """Why PIM-eligible holders are not in the evidence, or None when they are."""
    if inventory.collected(ROLE_ELIGIBILITY):
        return None
    failed = inventory.failures((ROLE_ELIGIBILITY,))
    if not failed:
        return "not read (azuread.collect_pim_eligibility is off)"
    if failed[0].outcome is Outcome.NOT_AVAILABLE:
        return f"not licensed: PIM eligibility needs a {failed[0].missing or 'P2 licence'}"
    return failed[0].describe()


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limits = ctx.config.azuread.thresholds
    active = _holders(inventory, eligible=False, kind="user")
    eligible = {
        k: v for k, v in _holders(inventory, eligible=True, kind="user").items() if k not in active
    }
    unseen = _eligibility_unseen(inventory)
    eligibility_known = unseen is None
    evidence = {
        "active_count": len(active),
        "active": sorted(active.values()),
        "service_principals": sorted(
            _holders(inventory, eligible=False, kind="servicePrincipal").values()
        ),
        "eligible_count": len(eligible) if eligibility_known else None,
        "eligible": sorted(eligible.values()) if eligibility_known else None,
        "eligibility_not_seen": unseen,
        "allowed_min": limits.global_admin_min,
        "allowed_max": limits.global_admin_max,
    }
    resource = tenant_setting(inventory, "roles/GlobalAdministrator")
    count = len(active)
    note = f" PIM-eligible holders: {unseen}." if unseen else ""
    if count < limits.global_admin_min:
        yield fail(
            resource,
            f"Only {count} active Global Administrator(s): assign at least "
            f"{limits.global_admin_min} so the tenant is not locked out.{note}",
            evidence=evidence,
        )
    elif count > limits.global_admin_max:
        yield fail(
            resource,
            f"{count} users hold Global Administrator actively: reduce them to at most "
            f"{limits.global_admin_max}.{note}",
            evidence=evidence,
        )
    else:
        yield passed(resource, f"{count} active Global Administrators.{note}", evidence=evidence)


CHECK = Check(META, AzureAdInventory, evaluate)
