"""Graph JSON (the wire format) to posture's frozen inventory models. Pure; no SDK."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from providers.azuread.permissions import LICENCE_PLANS, PLAN_IN_FORCE
from scanner.inventory import azuread as inv
from scanner.inventory.common import DirectoryUser
from scanner.payload import flag as flag
from scanner.timestamps import utc_timestamp

Json = dict[str, Any]

_ODATA_TYPES: dict[str, inv.PrincipalType] = {
    "#microsoft.graph.user": "user",
    "#microsoft.graph.group": "group",
    "#microsoft.graph.servicePrincipal": "servicePrincipal",
    "#microsoft.graph.device": "device",
}


def when(value: Any) -> datetime | None:
    """Graph timestamps are ISO 8601 UTC, sometimes with 7 fractional digits."""
    if not isinstance(value, str) or not value:
        return None
    parsed = utc_timestamp(value)
    if parsed is None or parsed.year <= 1:  # Graph's "never" (0001-01-01T00:00:00Z)
        return None
    return parsed


def strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if v is not None)


def principal_type(obj: Json | None) -> inv.PrincipalType:
    if not obj:
        return "other"
    return _ODATA_TYPES.get(str(obj.get("@odata.type", "")), "other")


def user(raw: Json) -> inv.AzureUser:
    activity = raw.get("signInActivity") or {}
    return inv.AzureUser(
        id=raw["id"],
        user_principal_name=raw.get("userPrincipalName") or raw["id"],
        display_name=raw.get("displayName"),
        mail=raw.get("mail"),
        account_enabled=flag(raw.get("accountEnabled"), "accountEnabled"),
        user_type=raw.get("userType") or "Member",
        on_premises_sync_enabled=raw.get("onPremisesSyncEnabled") is True,
        created=when(raw.get("createdDateTime")),
        external_user_state=raw.get("externalUserState"),
        # The two "last sign-in" stamps record attempts, failed ones included (signInActivity).
        last_sign_in=when(activity.get("lastSignInDateTime")),
        last_non_interactive_sign_in=when(activity.get("lastNonInteractiveSignInDateTime")),
        # Only this one is use of the account; Graph fills it since 2023-12-01, not backfilled.
        last_successful_sign_in=when(activity.get("lastSuccessfulSignInDateTime")),
    )


def directory_user(u: inv.AzureUser) -> DirectoryUser:
    return DirectoryUser(
        uid=u.id,
        login=u.user_principal_name,
        email=u.mail,
        display_name=u.display_name,
        status="enabled" if u.account_enabled else "disabled",
        active=u.account_enabled,
        created=u.created,
        # A failed attempt (a password spray, say) is not a login.
        last_login=u.last_successful_sign_in,
    )


def mfa_registration(raw: Json) -> inv.MfaRegistration:
    return inv.MfaRegistration(
        user_id=raw["id"],
        user_principal_name=raw.get("userPrincipalName"),
        # Capable: a registered method the authentication methods policy still allows.
        # Registered alone may rest on a method the policy has since disabled (SMS, say).
        is_mfa_capable=raw.get("isMfaCapable") is True,
        is_mfa_registered=raw.get("isMfaRegistered") is True,
        methods_registered=strings(raw.get("methodsRegistered")),
    )


def _guests_condition(users: Json, key: str) -> bool:
    value = users.get(key)
    return isinstance(value, dict) and bool(value.get("guestOrExternalUserTypes"))


def _transfer_methods(flows: Any) -> str | None:
    """The transfer methods a policy is limited to; "none" (or no value) limits nothing."""
    if not isinstance(flows, dict):
        return None
    methods = str(flows.get("transferMethods") or "").strip()
    return None if methods.casefold() in ("", "none") else methods


def _targets_service_principals(clients: Any) -> bool:
    if not isinstance(clients, dict):
        return False
    return bool(
        strings(clients.get("includeServicePrincipals"))
        or strings(clients.get("excludeServicePrincipals"))
        or clients.get("servicePrincipalFilter")
    )


# authenticationMethodModes that are two factors on their own: a passkey or Windows Hello (a
# device plus a PIN or biometric), a multi-factor certificate or federated sign-in, passwordless
# phone sign-in, and the Temporary Access Pass (Microsoft issues it as strong authentication).
# password, sms, voice, email, OATH codes, an Authenticator push after nothing, single-factor
# certificates or federation and qrCodePin are one factor each.
MULTIFACTOR_MODES = frozenset(
    m.casefold()
    for m in (
        "fido2",
        "windowsHelloForBusiness",
        "x509CertificateMultiFactor",
        "federatedMultiFactor",
        "deviceBasedPush",
        "temporaryAccessPassOneTime",
        "temporaryAccessPassMultiUse",
    )
)


def _two_factors(combination: str) -> bool:
    """One allowed combination ("password,microsoftAuthenticatorPush"): two methods, or one
    that is two factors itself."""
    modes = {m.strip().casefold() for m in combination.split(",") if m.strip()}
    return len(modes) >= 2 or bool(modes & MULTIFACTOR_MODES)


def _grants_mfa_claim(strength: Json | None) -> bool:
    """An authentication strength counts as MFA when its requirementsSatisfied is mfa and every
    one of its allowedCombinations is two factors (a custom strength may allow
    "password" or "sms" alone). Without the combinations, Microsoft's own claim stands."""
    if not strength:
        return False
    if str(strength.get("requirementsSatisfied", "")).casefold() != "mfa":
        return False
    combinations = strength.get("allowedCombinations")
    if combinations is None:
        return True
    return bool(combinations) and all(_two_factors(str(c)) for c in combinations)


def conditional_access_policy(raw: Json) -> inv.ConditionalAccessPolicy:
    conditions = raw.get("conditions") or {}
    users = conditions.get("users") or {}
    apps = conditions.get("applications") or {}
    platforms = conditions.get("platforms") or {}
    locations = conditions.get("locations") or {}
    grant = raw.get("grantControls") or {}
    strength = grant.get("authenticationStrength") or None
    return inv.ConditionalAccessPolicy(
        id=raw["id"],
        display_name=raw.get("displayName") or raw["id"],
        state=raw.get("state") or "disabled",
        include_users=strings(users.get("includeUsers")),
        exclude_users=strings(users.get("excludeUsers")),
        include_groups=strings(users.get("includeGroups")),
        exclude_groups=strings(users.get("excludeGroups")),
        include_roles=strings(users.get("includeRoles")),
        exclude_roles=strings(users.get("excludeRoles")),
        include_guests_or_external_users=_guests_condition(users, "includeGuestsOrExternalUsers"),
        exclude_guests_or_external_users=_guests_condition(users, "excludeGuestsOrExternalUsers"),
        include_applications=strings(apps.get("includeApplications")),
        exclude_applications=strings(apps.get("excludeApplications")),
        include_user_actions=strings(apps.get("includeUserActions")),
        client_app_types=strings(conditions.get("clientAppTypes")),
        include_platforms=strings(platforms.get("includePlatforms")),
        exclude_platforms=strings(platforms.get("excludePlatforms")),
        include_locations=strings(locations.get("includeLocations")),
        exclude_locations=strings(locations.get("excludeLocations")),
        user_risk_levels=strings(conditions.get("userRiskLevels")),
        sign_in_risk_levels=strings(conditions.get("signInRiskLevels")),
        device_filter=bool((conditions.get("devices") or {}).get("deviceFilter")),
        service_principal_risk_levels=strings(conditions.get("servicePrincipalRiskLevels")),
        # A flags enum as one string ("minor,moderate"); null when not conditioned.
        insider_risk_levels=conditions.get("insiderRiskLevels") or None,
        authentication_flows=_transfer_methods(conditions.get("authenticationFlows")),
        # clientApplications targets workload identities (service principals), not users.
        client_applications=_targets_service_principals(conditions.get("clientApplications")),
        application_filter=bool(apps.get("applicationFilter")),
        authentication_contexts=strings(apps.get("includeAuthenticationContextClassReferences")),
        grant_operator=grant.get("operator"),
        built_in_controls=strings(grant.get("builtInControls")),
        custom_authentication_factors=strings(grant.get("customAuthenticationFactors")),
        terms_of_use=strings(grant.get("termsOfUse")),
        authentication_strength=(
            str(strength.get("displayName") or strength.get("id")) if strength else None
        ),
        # Only a strength that is two factors in every allowed combination is MFA.
        authentication_strength_is_mfa=_grants_mfa_claim(strength),
    )


def role_definition(raw: Json) -> inv.RoleDefinition:
    return inv.RoleDefinition(
        id=raw["id"],
        template_id=raw.get("templateId"),
        display_name=raw.get("displayName") or raw["id"],
        is_built_in=raw.get("isBuiltIn") is not False,
    )


def directory_role(raw: Json) -> inv.RoleDefinition:
    """An activated role from /directoryRoles; assignments name roles by their template id."""
    template = raw.get("roleTemplateId") or raw["id"]
    return inv.RoleDefinition(
        id=template, template_id=template, display_name=raw.get("displayName") or template
    )


def role_assignment(raw: Json) -> inv.RoleAssignment:
    principal = raw.get("principal") or None
    name = None
    if principal:
        name = principal.get("userPrincipalName") or principal.get("displayName")
    return inv.RoleAssignment(
        id=raw["id"],
        role_definition_id=raw["roleDefinitionId"],
        principal_id=raw["principalId"],
        principal_type=principal_type(principal),
        principal_name=name,
        directory_scope_id=raw.get("directoryScopeId") or "/",
    )


def group_member(raw: Json) -> inv.GroupMember:
    return inv.GroupMember(
        id=raw["id"],
        type=principal_type(raw),
        name=raw.get("userPrincipalName") or raw.get("displayName"),
    )


def _credentials(raw: Json) -> tuple[inv.AppCredential, ...]:
    passwords = [
        inv.AppCredential(
            key_id=c["keyId"],
            kind="password",
            display_name=c.get("displayName"),
            start=when(c.get("startDateTime")),
            end=when(c.get("endDateTime")),
        )
        for c in raw.get("passwordCredentials") or []
    ]
    keys = [
        inv.AppCredential(
            key_id=c["keyId"],
            kind="certificate",
            display_name=c.get("displayName"),
            start=when(c.get("startDateTime")),
            end=when(c.get("endDateTime")),
            usage=c.get("usage"),
            thumbprint=c.get("customKeyIdentifier"),
        )
        for c in raw.get("keyCredentials") or []
    ]
    return (*passwords, *keys)


def application(raw: Json) -> inv.AzureApplication:
    return inv.AzureApplication(
        id=raw["id"],
        app_id=raw.get("appId") or raw["id"],
        display_name=raw.get("displayName") or raw["id"],
        credentials=_credentials(raw),
    )


def service_principal(raw: Json) -> inv.AzureServicePrincipal:
    return inv.AzureServicePrincipal(
        id=raw["id"],
        app_id=raw.get("appId") or raw["id"],
        display_name=raw.get("displayName") or raw["id"],
        service_principal_type=raw.get("servicePrincipalType"),
        app_owner_organization_id=raw.get("appOwnerOrganizationId"),
        preferred_single_sign_on_mode=raw.get("preferredSingleSignOnMode"),
        credentials=_credentials(raw),
    )


def authorization_policy(raw: Json) -> inv.AuthorizationPolicy:
    # v1.0 returns the object; some tenants (and beta) wrap it in a collection.
    value = raw.get("value")
    if isinstance(value, list) and value:
        raw = value[0]
    defaults = raw.get("defaultUserRolePermissions") or {}
    return inv.AuthorizationPolicy(
        allowed_to_create_apps=defaults.get("allowedToCreateApps") is not False,
        permission_grant_policies_assigned=strings(defaults.get("permissionGrantPoliciesAssigned")),
        guest_user_role_id=raw.get("guestUserRoleId"),
        allow_invites_from=raw.get("allowInvitesFrom"),
        allowed_to_create_tenants=defaults.get("allowedToCreateTenants"),
    )


def licences(organization: Json) -> frozenset[str] | None:
    """The Entra ID licences the tenant holds, from /organization's `assignedPlans`; None when
    the answer has no such list (then a licence error cannot be told from Graph's quirk)."""
    plans = organization.get("assignedPlans")
    if not isinstance(plans, list):
        return None
    held: set[str] = set()
    for plan in plans:
        if not isinstance(plan, dict):
            continue
        status = str(plan.get("capabilityStatus") or "").casefold()
        if status in PLAN_IN_FORCE:
            held |= LICENCE_PLANS.get(str(plan.get("servicePlanId") or "").casefold(), frozenset())
    return frozenset(held)
