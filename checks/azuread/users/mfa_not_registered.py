"""Enabled member users with no MFA method registered that the policy allows."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.resources import user as user_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import MFA_REGISTRATION, USERS, AzureAdInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.users.mfa_not_registered",
    title="Enabled member user not registered for MFA",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Have the user register an MFA method that the authentication methods policy "
    "allows (Authenticator app or FIDO2 key), e.g. through a registration campaign, or disable "
    "the account if it is not used.",
    requires=(USERS, MFA_REGISTRATION),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    registrations = {r.user_id: r for r in inventory.mfa_registrations}
    for user in inventory.users:
        if user.is_guest or not user.account_enabled:
            continue
        reg = registrations.get(user.id)
        evidence = {
            "mfa_capable": reg.is_mfa_capable if reg else False,
            "mfa_registered": reg.is_mfa_registered if reg else False,
            "in_registration_report": reg is not None,
            "methods_registered": list(reg.methods_registered) if reg else [],
        }
        name = user.user_principal_name
        if reg is not None and reg.is_mfa_capable:
            yield passed(user_resource(user), f"{name} is registered for MFA.", evidence=evidence)
        elif reg is None:
            yield fail(
                user_resource(user),
                f"{name} is enabled and absent from the MFA registration report "
                "(no method registered).",
                evidence=evidence,
            )
        elif reg.is_mfa_registered:
            yield fail(
                user_resource(user),
                f"{name} is enabled and registered for MFA only with methods the authentication "
                "methods policy does not allow.",
                evidence=evidence,
            )
        else:
            yield fail(
                user_resource(user),
                f"{name} is enabled and has no MFA method registered.",
                evidence=evidence,
            )


CHECK = Check(META, AzureAdInventory, evaluate)
