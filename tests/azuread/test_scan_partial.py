"""The scan is partial unless what failed is only optional reads the tenant cannot have."""

from __future__ import annotations

from checks.azuread.roles import global_admin_count
from scanner.check import Check, CheckMeta
from scanner.config import PostureConfig
from scanner.inventory import azuread as inv
from scanner.models.enums import Category, Outcome, Severity
from scanner.models.inventory import CollectionOutcome
from scanner.scan import ScanPlan, is_partial

from .builders import TENANT

# A check that *requires* what global_admin_count reads only when it can.
NEEDS_ELIGIBILITY = Check(
    CheckMeta(
        id="azuread.roles.needs_eligibility",
        title="t",
        severity=Severity.LOW,
        category=Category.ACCESS_CONTROL,
        soc2=("CC6.3",),
        remediation="r",
        requires=(inv.ROLE_ELIGIBILITY,),
    ),
    inv.AzureAdInventory,
    global_admin_count.CHECK.evaluate,
)


def _tenant(outcome: Outcome) -> inv.AzureAdInventory:
    return inv.AzureAdInventory(
        account=TENANT,
        outcomes=(
            CollectionOutcome(collection=inv.ROLE_ASSIGNMENTS),
            CollectionOutcome(collection=inv.ROLE_ELIGIBILITY, outcome=outcome, missing="x"),
        ),
    )


def _plan(*checks: Check[inv.AzureAdInventory]) -> ScanPlan:
    return ScanPlan(providers=("azuread",), checks=checks, config=PostureConfig())


def test_an_optional_read_not_available_does_not_make_the_scan_partial() -> None:
    plan = _plan(global_admin_count.CHECK)
    assert is_partial(plan, [_tenant(Outcome.NOT_AVAILABLE)]) is False
    # Denied or failed is for the operator to fix: still partial.
    assert is_partial(plan, [_tenant(Outcome.ACCESS_DENIED)]) is True
    assert is_partial(plan, [_tenant(Outcome.ERROR)]) is True


def test_a_read_some_selected_check_requires_is_partial_when_not_available() -> None:
    plan = _plan(global_admin_count.CHECK, NEEDS_ELIGIBILITY)
    assert is_partial(plan, [_tenant(Outcome.NOT_AVAILABLE)]) is True
