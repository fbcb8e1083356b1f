"""Graph wire shapes, as Microsoft Graph v1.0's resource docs give them, to inventory models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from providers.azuread import parse
from providers.azuread.permissions import P1, P2


def _user(activity: dict[str, Any]) -> dict[str, Any]:
    # GET /users?$select=...,signInActivity (user resource; signInActivity resource type).
    return {
        "id": "00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
        "displayName": "Stine Romund",
        "userPrincipalName": "stine@contoso.com",
        "accountEnabled": True,
        "userType": "Member",
        "createdDateTime": "2023-03-01T08:00:00Z",
        "signInActivity": activity,
    }


def test_sign_in_activity_keeps_attempts_apart_from_the_last_success() -> None:
    # A dormant account being sprayed: the attempt stamps are recent, the success is not.
    raw = _user(
        {
            "lastSignInDateTime": "2024-12-10T17:38:26Z",
            "lastSignInRequestId": "20a94b1b-ade2-4f4e-9c55-609f7cd97600",
            "lastNonInteractiveSignInDateTime": "2024-12-10T17:38:11Z",
            "lastNonInteractiveSignInRequestId": "94c369e6-249e-4595-bb86-495ea9a81e00",
            "lastSuccessfulSignInDateTime": "2024-05-02T07:00:00Z",
            "lastSuccessfulSignInRequestId": "5e1d7c2a-91b3-4e0f-8a66-0c2f3b4d5e00",
        }
    )
    user = parse.user(raw)
    assert user.last_successful_sign_in == datetime(2024, 5, 2, 7, tzinfo=UTC)
    assert user.last_sign_in_attempt == datetime(2024, 12, 10, 17, 38, 26, tzinfo=UTC)
    # Cross-provider identity sees the last success, not the last (possibly failed) attempt.
    assert parse.directory_user(user).last_login == datetime(2024, 5, 2, 7, tzinfo=UTC)


def test_no_successful_sign_in_on_record_is_not_a_login() -> None:
    # Graph fills lastSuccessfulSignInDateTime since 2023-12-01 and does not backfill it; the
    # beta user-list example answers it as "" beside older attempt stamps.
    raw = _user(
        {
            "lastSignInDateTime": "2021-07-29T15:53:27Z",
            "lastSignInRequestId": "f3149ee1-e347-4181-b45b-99a1f82b1c00",
            "lastNonInteractiveSignInDateTime": "2021-07-29T17:53:42Z",
            "lastNonInteractiveSignInRequestId": "868efa6a-b2e9-40e9-9b1c-0aaea5b50200",
            "lastSuccessfulSignInDateTime": "",
            "lastSuccessfulSignInRequestId": "",
        }
    )
    user = parse.user(raw)
    assert user.last_successful_sign_in is None
    assert user.last_sign_in_attempt == datetime(2021, 7, 29, 17, 53, 42, tzinfo=UTC)
    assert parse.directory_user(user).last_login is None


def test_mfa_capable_is_read_apart_from_registered() -> None:
    # userRegistrationDetails: isMfaRegistered may rest on a method the authentication methods
    # policy does not allow; isMfaCapable only on allowed ones.
    raw = {
        "@odata.type": "#microsoft.graph.userRegistrationDetails",
        "id": "86462606-fde0-4fc4-9e0c-a20eb73e54c6",
        "userPrincipalName": "AlexW@Contoso.com",
        "userDisplayName": "Alex Wilber",
        "userType": "member",
        "isAdmin": False,
        "isSsprRegistered": False,
        "isSsprEnabled": False,
        "isSsprCapable": False,
        "isMfaRegistered": True,
        "isMfaCapable": False,
        "isPasswordlessCapable": False,
        "methodsRegistered": ["mobilePhone"],
        "isSystemPreferredAuthenticationMethodEnabled": False,
        "systemPreferredAuthenticationMethods": [],
        "userPreferredMethodForSecondaryAuthentication": "sms",
        "lastUpdatedDateTime": "2024-01-05T10:00:00Z",
    }
    reg = parse.mfa_registration(raw)
    assert (reg.is_mfa_registered, reg.is_mfa_capable) == (True, False)
    del raw["isMfaCapable"]  # absent is not capable: missing data is never a pass
    assert parse.mfa_registration(raw).is_mfa_capable is False


def _policy(conditions: dict[str, Any], grant: dict[str, Any]) -> dict[str, Any]:
    # conditionalAccessPolicy with conditionalAccessConditionSet and conditionalAccessGrantControls.
    base_conditions: dict[str, Any] = {
        "userRiskLevels": [],
        "signInRiskLevels": [],
        "clientAppTypes": ["all"],
        "servicePrincipalRiskLevels": [],
        "insiderRiskLevels": None,
        "platforms": None,
        "locations": None,
        "devices": None,
        "clientApplications": None,
        "authenticationFlows": None,
        "applications": {
            "includeApplications": ["All"],
            "excludeApplications": [],
            "includeUserActions": [],
            "includeAuthenticationContextClassReferences": [],
            "applicationFilter": None,
        },
        "users": {"includeUsers": ["All"], "excludeUsers": []},
    }
    base_grant: dict[str, Any] = {
        "operator": "OR",
        "builtInControls": ["mfa"],
        "customAuthenticationFactors": [],
        "termsOfUse": [],
        "authenticationStrength": None,
    }
    return {
        "id": "c0a1b2c3-0009-4000-8000-000000000009",
        "displayName": "p",
        "state": "enabled",
        "conditions": {**base_conditions, **conditions},
        "grantControls": {**base_grant, **grant},
    }


def test_conditional_access_narrowing_conditions_and_grants_are_read() -> None:
    plain = parse.conditional_access_policy(_policy({}, {}))
    assert not any(
        (
            plain.insider_risk_levels,
            plain.authentication_flows,
            plain.client_applications,
            plain.application_filter,
            plain.authentication_contexts,
            plain.service_principal_risk_levels,
        )
    )
    narrowed = parse.conditional_access_policy(
        _policy(
            {
                "insiderRiskLevels": "minor,moderate",
                "servicePrincipalRiskLevels": ["high"],
                "authenticationFlows": {"transferMethods": "deviceCodeFlow,authenticationTransfer"},
                "clientApplications": {
                    "includeServicePrincipals": ["ServicePrincipalsInMyTenant"],
                    "excludeServicePrincipals": [],
                },
                "applications": {
                    "includeApplications": [],
                    "includeAuthenticationContextClassReferences": ["c1"],
                    "applicationFilter": {
                        "mode": "include",
                        "rule": 'CustomSecurityAttribute.Eng_Project -eq "Baker"',
                    },
                },
            },
            {
                "termsOfUse": ["ce580154-086a-40fd-91df-8a60abac81a0"],
                "customAuthenticationFactors": ["duo"],
            },
        )
    )
    assert narrowed.insider_risk_levels == "minor,moderate"
    assert narrowed.service_principal_risk_levels == ("high",)
    assert narrowed.authentication_flows == "deviceCodeFlow,authenticationTransfer"
    assert narrowed.client_applications and narrowed.application_filter
    assert narrowed.authentication_contexts == ("c1",)
    assert narrowed.terms_of_use and narrowed.custom_authentication_factors == ("duo",)
    none_flow = parse.conditional_access_policy(
        _policy({"authenticationFlows": {"transferMethods": "none"}}, {})
    )
    assert none_flow.authentication_flows is None


def test_authentication_strength_counts_as_mfa_only_when_it_grants_the_mfa_claim() -> None:
    # authenticationStrengthPolicy.requirementsSatisfied: none | mfa.
    def strength(requirement: str) -> dict[str, Any]:
        return {
            "id": "00000000-0000-0000-0000-000000000004",
            "displayName": "Phishing-resistant MFA",
            "policyType": "builtIn",
            "requirementsSatisfied": requirement,
            "allowedCombinations": [
                "windowsHelloForBusiness",
                "fido2",
                "x509CertificateMultiFactor",
            ],
        }

    mfa = parse.conditional_access_policy(
        _policy({}, {"builtInControls": [], "authenticationStrength": strength("mfa")})
    )
    assert mfa.authentication_strength == "Phishing-resistant MFA"
    assert mfa.authentication_strength_is_mfa is True
    single = parse.conditional_access_policy(
        _policy({}, {"builtInControls": [], "authenticationStrength": strength("none")})
    )
    assert single.authentication_strength_is_mfa is False


def test_licences_come_from_plans_in_force() -> None:
    # Graph v1.0 organization.assignedPlans (assignedPlan: capabilityStatus, servicePlanId).
    def plan(plan_id: str, status: str) -> dict[str, str]:
        return {
            "capabilityStatus": status,
            "service": "AADPremiumService",
            "servicePlanId": plan_id,
        }

    p1, p2 = "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "eec0eb4f-6444-4f95-aba0-50c24d67f998"
    assert parse.licences({"id": "t"}) is None
    assert parse.licences({"assignedPlans": []}) == frozenset()
    assert parse.licences({"assignedPlans": [plan(p1, "Warning")]}) == {P1}
    assert parse.licences({"assignedPlans": [plan(p2, "Enabled")]}) == {P1, P2}
    assert parse.licences({"assignedPlans": [plan(p2, "Suspended"), plan(p1, "Deleted")]}) == (
        frozenset()
    )


def test_authentication_strength_is_mfa_only_when_every_combination_is_two_factors() -> None:
    # authenticationStrengthPolicy (Graph v1.0): allowedCombinations are authenticationMethodModes
    # values, one combination per string, methods joined by commas.
    def strength(*combinations: str) -> dict[str, Any]:
        return {
            "id": "6d3e2f0a-3c29-4bd4-a2f5-2e25f7ad9e9c",
            "displayName": "Contoso custom strength",
            "policyType": "custom",
            "requirementsSatisfied": "mfa",
            "allowedCombinations": list(combinations),
        }

    def is_mfa(raw: dict[str, Any]) -> bool:
        grant = {"builtInControls": [], "authenticationStrength": raw}
        return parse.conditional_access_policy(_policy({}, grant)).authentication_strength_is_mfa

    # The built-in "Multifactor authentication" strength's combinations: all two factors.
    assert is_mfa(
        strength(
            "windowsHelloForBusiness",
            "fido2",
            "x509CertificateMultiFactor",
            "deviceBasedPush",
            "temporaryAccessPassOneTime",
            "temporaryAccessPassMultiUse",
            "password,microsoftAuthenticatorPush",
            "password,softwareOath",
            "password,hardwareOath",
            "password,sms",
            "password,voice",
            "federatedMultiFactor",
            "federatedSingleFactor,microsoftAuthenticatorPush",
            "federatedSingleFactor,softwareOath",
            "federatedSingleFactor,hardwareOath",
            "federatedSingleFactor,sms",
            "federatedSingleFactor,voice",
        )
    )
    # One single-factor way in (SMS sign-in, a single-factor certificate) is not MFA.
    assert not is_mfa(strength("fido2", "sms"))
    assert not is_mfa(strength("password,sms", "x509CertificateSingleFactor"))
    assert not is_mfa(strength("fido2", "qrCodePin"))
    assert not is_mfa(strength())
    assert not is_mfa(strength("unknownFutureValue"))


def test_device_filters_narrow_and_any_platform_does_not() -> None:
    # conditionalAccessDevices.deviceFilter is a conditionalAccessFilter: mode include|exclude
    # and a rule over device properties.
    for mode, rule in (
        ("exclude", 'device.extensionAttribute1 -eq "SAW"'),
        ("include", 'device.trustType -eq "ServerAD" -or device.isCompliant -eq True'),
    ):
        devices = {"deviceFilter": {"mode": mode, "rule": rule}}
        narrowed = parse.conditional_access_policy(_policy({"devices": devices}, {}))
        assert narrowed.device_filter, mode
    plain = parse.conditional_access_policy(_policy({"devices": {"deviceFilter": None}}, {}))
    assert not plain.device_filter
    # conditionalAccessPlatforms: includePlatforms ["all"] is every platform.
    platforms = {"includePlatforms": ["all"], "excludePlatforms": []}
    anywhere = parse.conditional_access_policy(_policy({"platforms": platforms}, {}))
    assert anywhere.include_platforms == ("all",) and not anywhere.exclude_platforms
