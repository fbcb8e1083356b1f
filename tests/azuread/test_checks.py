"""Every Azure AD check on hand-built inventories with a fixed clock: exact fails and passes."""

from __future__ import annotations

from datetime import timedelta

from checks.azuread.apps import credential_expiring, credential_lifetime_too_long
from checks.azuread.authorization import (
    guest_access_unrestricted,
    users_can_consent_to_apps,
    users_can_register_apps,
)
from checks.azuread.conditional_access import legacy_auth_not_blocked, mfa_not_enforced
from checks.azuread.roles import (
    global_admin_count,
    privileged_guest,
    privileged_synced_account,
    privileged_without_mfa,
)
from checks.azuread.users import guest_stale, mfa_not_registered, stale_sign_in
from scanner.engine import evaluate_check
from scanner.inventory import azuread as inv
from scanner.models.enums import Outcome, Status

from .builders import (
    GA,
    HELPDESK,
    USER_ADMIN,
    ago,
    assignment,
    ctx,
    inventory,
    policy,
    signed_in,
    user,
    verdicts,
)


def run(check, inventory_, **thresholds):  # type: ignore[no-untyped-def]
    return verdicts(list(check.evaluate(inventory_, ctx(**thresholds))))


# --- conditional access -------------------------------------------------------------------


def test_mfa_not_enforced_fails_without_a_policy_for_everyone() -> None:
    policies = (
        policy("report only", state="enabledForReportingButNotEnforced"),
        policy("office only", include_applications=("00000003-0000-0ff1-ce00-000000000000",)),
        policy("mfa or compliant", built_in_controls=("mfa", "compliantDevice")),
        policy("outside trusted", include_locations=("All",), exclude_locations=("AllTrusted",)),
        policy("browser only", client_app_types=("browser",)),
        policy("risky only", sign_in_risk_levels=("high",)),
        policy("one group", include_users=(), include_groups=("g1",)),
    )
    inv_ = inventory(conditional_access_policies=policies, security_defaults_enabled=False)
    assert run(mfa_not_enforced.CHECK, inv_) == ({"identity/conditionalAccess"}, set())


def test_mfa_not_enforced_passes_with_policy_strength_and_and_operator_or_defaults() -> None:
    for p in (
        policy("mfa", exclude_users=("id-breakglass",)),
        policy(
            "strength",
            built_in_controls=(),
            authentication_strength="Phishing-resistant MFA",
            authentication_strength_is_mfa=True,
        ),
        policy("any device", include_platforms=("all",)),
        policy(
            "mfa and compliant", grant_operator="AND", built_in_controls=("mfa", "compliantDevice")
        ),
        policy("modern clients", client_app_types=("browser", "mobileAppsAndDesktopClients")),
    ):
        inv_ = inventory(conditional_access_policies=(p,), security_defaults_enabled=False)
        assert run(mfa_not_enforced.CHECK, inv_) == (set(), {"identity/conditionalAccess"}), p
    defaults = inventory(security_defaults_enabled=True)
    assert run(mfa_not_enforced.CHECK, defaults) == (set(), {"identity/conditionalAccess"})


def test_or_grants_without_mfa_and_narrowing_conditions_do_not_enforce_mfa() -> None:
    """Under OR, terms of use, a custom factor or a strength short of MFA is a way in without
    MFA; every narrowing condition in conditionalAccessConditionSet limits the policy."""
    for p in (
        policy("mfa or terms", terms_of_use=("tou-1",)),
        policy("mfa or duo", custom_authentication_factors=("duo",)),
        policy("single-factor strength", built_in_controls=(), authentication_strength="Pwd"),
        policy("mfa or weak strength", authentication_strength="Pwd"),
        policy("insider risk", insider_risk_levels="elevated"),
        policy("sp risk", service_principal_risk_levels=("high",)),
        policy("device code only", authentication_flows="deviceCodeFlow"),
        policy("workload identities", client_applications=True),
        policy("app filter", application_filter=True),
        policy("auth context", authentication_contexts=("c1",)),
    ):
        inv_ = inventory(conditional_access_policies=(p,), security_defaults_enabled=False)
        assert run(mfa_not_enforced.CHECK, inv_) == ({"identity/conditionalAccess"}, set()), p
    # AND: terms of use on top of MFA still requires MFA.
    both = policy("mfa and terms", grant_operator="AND", terms_of_use=("tou-1",))
    inv_ = inventory(conditional_access_policies=(both,), security_defaults_enabled=False)
    assert run(mfa_not_enforced.CHECK, inv_) == (set(), {"identity/conditionalAccess"})


def test_legacy_auth() -> None:
    block = policy(
        "block legacy",
        client_app_types=("exchangeActiveSync", "other"),
        built_in_controls=("block",),
    )
    name = "identity/conditionalAccess/legacyAuthentication"
    ok = inventory(conditional_access_policies=(block,), security_defaults_enabled=False)
    assert run(legacy_auth_not_blocked.CHECK, ok) == (set(), {name})
    any_device = block.model_copy(update={"include_platforms": ("all",)})  # not a narrowing
    ok = inventory(conditional_access_policies=(any_device,), security_defaults_enabled=False)
    assert run(legacy_auth_not_blocked.CHECK, ok) == (set(), {name})
    for bad in (
        block.model_copy(update={"state": "enabledForReportingButNotEnforced"}),
        block.model_copy(update={"client_app_types": ("other",)}),
        block.model_copy(update={"built_in_controls": ("mfa",)}),
        block.model_copy(update={"include_users": ("id-alice",)}),
        block.model_copy(update={"exclude_applications": ("app",)}),
        block.model_copy(update={"authentication_flows": "deviceCodeFlow"}),
    ):
        inv_ = inventory(conditional_access_policies=(bad,), security_defaults_enabled=False)
        assert run(legacy_auth_not_blocked.CHECK, inv_) == ({name}, set()), bad
    assert run(legacy_auth_not_blocked.CHECK, inventory(security_defaults_enabled=True)) == (
        set(),
        {name},
    )


# --- privileged roles -----------------------------------------------------------------------


def _roles_inventory(**kw):  # type: ignore[no-untyped-def]
    users = (
        user("alice"),
        user("bob"),
        user("carol"),
        user("dan", on_premises_sync_enabled=True),
        user("erin"),
        user("guest", user_type="Guest"),
        user("helpdesk"),
        user("gone", account_enabled=False),
    )
    assignments = (
        assignment("alice"),
        assignment("bob"),
        assignment("dan"),
        assignment("tier0", kind="group"),
        assignment("automation", kind="servicePrincipal"),
        assignment("carol", USER_ADMIN),
        assignment("guest", USER_ADMIN),
        assignment("helpdesk", HELPDESK),
        assignment("gone"),
    )
    groups = (
        inv.AzureGroup(
            id="id-tier0",
            members=(inv.GroupMember(id="id-erin", type="user", name="erin@example.com"),),
        ),
        inv.AzureGroup(
            id="id-exempt",
            members=(inv.GroupMember(id="id-bob", type="user", name="bob@example.com"),),
        ),
    )
    fields = {
        "users": users,
        "role_assignments": assignments,
        "groups": groups,
        "mfa_registrations": tuple(
            inv.MfaRegistration(
                user_id=f"id-{n}", is_mfa_registered=n != "carol", is_mfa_capable=n != "carol"
            )
            for n in ("alice", "bob", "carol", "dan", "erin", "guest", "helpdesk")
        ),
        "conditional_access_policies": (policy("all users", exclude_groups=("id-exempt",)),),
        "security_defaults_enabled": False,
    }
    fields.update(kw)
    return inventory(**fields)


def test_privileged_without_mfa() -> None:
    fails, passes = run(privileged_without_mfa.CHECK, _roles_inventory())
    # carol: not registered; bob: excluded through the MFA-Exempt group; helpdesk: not privileged.
    assert fails == {"carol@example.com", "bob@example.com"}
    assert passes == {
        "alice@example.com",
        "dan@example.com",
        "erin@example.com",
        "guest@example.com",
    }


def test_privileged_without_mfa_role_targeted_policy_and_missing_registration() -> None:
    admins = policy("admins", include_users=(), include_roles=(GA,))
    inv_ = _roles_inventory(
        conditional_access_policies=(admins,),
        mfa_registrations=(
            inv.MfaRegistration(user_id="id-alice", is_mfa_registered=True, is_mfa_capable=True),
        ),
    )
    fails, passes = run(privileged_without_mfa.CHECK, inv_)
    assert passes == {"alice@example.com"}
    assert fails == {
        "bob@example.com",
        "carol@example.com",
        "dan@example.com",
        "erin@example.com",
        "guest@example.com",
    }


def test_global_admin_count_counts_enabled_users_direct_and_through_groups() -> None:
    name = "roles/GlobalAdministrator"
    inv_ = _roles_inventory(role_eligibilities=(assignment("frank"),))
    results = list(global_admin_count.CHECK.evaluate(inv_, ctx()))
    assert verdicts(results) == (set(), {name})
    evidence = results[0].evidence
    assert evidence["active_count"] == 4  # alice, bob, dan, erin; not the SP, not the disabled
    assert evidence["service_principals"] == ["automation"]
    assert evidence["eligible"] == ["frank@example.com"]
    assert run(global_admin_count.CHECK, inv_, global_admin_max=3) == ({name}, set())
    assert run(global_admin_count.CHECK, inv_, global_admin_min=5, global_admin_max=6) == (
        {name},
        set(),
    )


def test_privileged_synced_and_guest() -> None:
    inv_ = _roles_inventory()
    everyone = {
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dan@example.com",
        "erin@example.com",
        "guest@example.com",
        "gone@example.com",
    }
    assert run(privileged_synced_account.CHECK, inv_) == (
        {"dan@example.com"},
        everyone - {"dan@example.com"},
    )
    assert run(privileged_guest.CHECK, inv_) == (
        {"guest@example.com"},
        everyone - {"guest@example.com"},
    )
    # A custom privileged list: only Helpdesk Administrator counts.
    assert run(privileged_guest.CHECK, inv_, privileged_roles=("helpdesk administrator",)) == (
        set(),
        {"helpdesk@example.com"},
    )


# --- users ---------------------------------------------------------------------------------


def test_mfa_not_registered() -> None:
    inv_ = inventory(
        users=(
            user("reg"),
            user("unreg"),
            user("absent"),
            user("disallowed"),
            user("guest", user_type="Guest"),
            user("off", account_enabled=False),
        ),
        mfa_registrations=(
            inv.MfaRegistration(user_id="id-reg", is_mfa_registered=True, is_mfa_capable=True),
            inv.MfaRegistration(user_id="id-unreg", is_mfa_registered=False, is_mfa_capable=False),
            inv.MfaRegistration(user_id="id-off", is_mfa_registered=False, is_mfa_capable=False),
            # Registered a method the authentication methods policy no longer allows.
            inv.MfaRegistration(
                user_id="id-disallowed", is_mfa_registered=True, is_mfa_capable=False
            ),
        ),
    )
    results = list(mfa_not_registered.CHECK.evaluate(inv_, ctx()))
    assert verdicts(results) == (
        {"unreg@example.com", "absent@example.com", "disallowed@example.com"},
        {"reg@example.com"},
    )
    disallowed = next(r for r in results if r.resource.name == "disallowed@example.com")
    assert "does not allow" in disallowed.message
    assert disallowed.evidence["mfa_registered"] is True
    assert disallowed.evidence["mfa_capable"] is False


def test_privileged_holder_registered_only_with_disallowed_methods_fails() -> None:
    capable = {"alice", "bob", "carol", "dan", "erin", "guest", "helpdesk"} - {"alice"}
    inv_ = _roles_inventory(
        mfa_registrations=(
            inv.MfaRegistration(user_id="id-alice", is_mfa_registered=True, is_mfa_capable=False),
            *(
                inv.MfaRegistration(user_id=f"id-{n}", is_mfa_registered=True, is_mfa_capable=True)
                for n in sorted(capable)
            ),
        ),
        conditional_access_policies=(policy("all users"),),
    )
    results = list(privileged_without_mfa.CHECK.evaluate(inv_, ctx()))
    fails, _ = verdicts(results)
    assert fails == {"alice@example.com"}
    alice = next(r for r in results if r.resource.name == "alice@example.com")
    assert "only with methods the policy does not allow" in alice.message


def test_stale_sign_in() -> None:
    inv_ = inventory(
        users=(
            user("recent"),
            user("stale", **signed_in(90)),
            user("almost", **signed_in(89)),
            user(
                "noninteractive",
                last_sign_in=ago(200),
                last_non_interactive_sign_in=ago(2),
                last_successful_sign_in=ago(2),
            ),
            user("never_old", **signed_in(None), created=ago(31)),
            user("never_new", **signed_in(None), created=ago(29)),
            user("off", **signed_in(900), account_enabled=False),
            user("guest", user_type="Guest", **signed_in(900)),
        )
    )
    assert run(stale_sign_in.CHECK, inv_) == (
        {"stale@example.com", "never_old@example.com"},
        {
            "recent@example.com",
            "almost@example.com",
            "noninteractive@example.com",
            "never_new@example.com",
        },
    )
    assert run(stale_sign_in.CHECK, inv_, stale_sign_in_days=30, never_signed_in_grace_days=60)[
        0
    ] == {"stale@example.com", "almost@example.com"}


def test_failed_sign_in_attempts_are_not_activity() -> None:
    """lastSignInDateTime and lastNonInteractiveSignInDateTime record failed attempts too: a
    dormant account being sprayed is stale, judged by lastSuccessfulSignInDateTime."""
    sprayed = user(
        "sprayed",
        last_sign_in=ago(1),
        last_non_interactive_sign_in=ago(3),
        last_successful_sign_in=ago(200),
    )
    # Attempts only (no success on record, e.g. before Graph recorded successes): judged by
    # the creation date, as for an account that never signed in.
    attempts_only = user("attempts_only", last_sign_in=ago(2), last_successful_sign_in=None)
    new_attempts = user(
        "new_attempts", last_sign_in=ago(2), last_successful_sign_in=None, created=ago(10)
    )
    inv_ = inventory(users=(sprayed, attempts_only, new_attempts))
    results = list(stale_sign_in.CHECK.evaluate(inv_, ctx()))
    assert verdicts(results) == (
        {"sprayed@example.com", "attempts_only@example.com"},
        {"new_attempts@example.com"},
    )
    by_name = {r.resource.name: r for r in results}
    spray = by_name["sprayed@example.com"]
    assert "200 days ago" in spray.message and "may have failed" in spray.message
    assert spray.evidence["judged_by"] == "lastSuccessfulSignInDateTime"
    only = by_name["attempts_only@example.com"]
    assert "no successful sign-in on record since it was created 400 days ago" in only.message
    assert only.evidence["judged_by"] == "createdDateTime"
    guests = inventory(users=(sprayed.model_copy(update={"user_type": "Guest"}),))
    assert run(guest_stale.CHECK, guests) == ({"sprayed@example.com"}, set())


def test_guest_stale() -> None:
    inv_ = inventory(
        users=(
            user("active", user_type="Guest", **signed_in(5)),
            user("stale", user_type="Guest", **signed_in(120)),
            user(
                "pending",
                user_type="Guest",
                **signed_in(None),
                created=ago(45),
                external_user_state="PendingAcceptance",
            ),
            user("invited", user_type="Guest", **signed_in(None), created=ago(3)),
            user("member", **signed_in(500)),
        )
    )
    assert run(guest_stale.CHECK, inv_) == (
        {"stale@example.com", "pending@example.com"},
        {"active@example.com", "invited@example.com"},
    )


def test_stale_checks_error_when_sign_in_activity_is_not_licensed() -> None:
    inv_ = inventory(
        failed={inv.SIGN_IN_ACTIVITY: Outcome.NOT_AVAILABLE},
        users=(user("recent"), user("stale", **signed_in(None), created=ago(500))),
    )
    results = evaluate_check(stale_sign_in.CHECK, inv_, ctx())
    statuses = [(r.status, r.resource.name) for r in results]
    # The error names the missing data; no pass survives on missing data.
    assert (Status.ERROR, inv.SIGN_IN_ACTIVITY) in statuses
    assert all(s is not Status.PASS for s, _ in statuses)


# --- applications ----------------------------------------------------------------------------


def _cred(key: str, kind: str, start_days_ago: float, lifetime: float, usage: str | None = None):  # type: ignore[no-untyped-def]
    start = ago(start_days_ago)
    return inv.AppCredential(
        key_id=key,
        kind=kind,
        display_name=key,
        start=start,
        end=start + timedelta(days=lifetime),
        usage=usage,
    )


def _apps_inventory():  # type: ignore[no-untyped-def]
    apps = (
        inv.AzureApplication(
            id="app1",
            app_id="a1",
            display_name="billing",
            credentials=(
                _cred("expired", "password", 200, 180),
                _cred("soon", "password", 160, 180),
                _cred("fine", "password", 10, 180),
                _cred("long-secret", "password", 10, 730),
                _cred("cert-ok", "certificate", 10, 365),
                _cred("cert-long", "certificate", 10, 1095),
            ),
        ),
        inv.AzureApplication(id="app2", app_id="a2", display_name="empty"),
    )
    sps = (
        inv.AzureServicePrincipal(
            id="sp1",
            app_id="s1",
            display_name="saml-app",
            credentials=(
                _cred("saml-sign", "certificate", 1080, 1095, "Sign"),
                _cred("saml-new", "certificate", 10, 1095, "Sign"),
            ),
        ),
    )
    return inventory(applications=apps, service_principals=sps)


def test_credential_expiring() -> None:
    assert run(credential_expiring.CHECK, _apps_inventory()) == (
        {"billing#expired", "billing#soon", "saml-app#saml-sign"},
        {
            "billing#fine",
            "billing#long-secret",
            "billing#cert-ok",
            "billing#cert-long",
            "saml-app#saml-new",
        },
    )


def test_credential_lifetime_ignores_enterprise_app_saml_certificates() -> None:
    assert run(credential_lifetime_too_long.CHECK, _apps_inventory()) == (
        {"billing#long-secret", "billing#cert-long"},
        {"billing#expired", "billing#soon", "billing#fine", "billing#cert-ok"},
    )


# --- authorization policy ------------------------------------------------------------------


def _authz(**kw):  # type: ignore[no-untyped-def]
    fields = {
        "allowed_to_create_apps": False,
        "permission_grant_policies_assigned": (),
        "guest_user_role_id": inv.GUEST_ROLE_RESTRICTED,
        "allow_invites_from": "adminsAndGuestInviters",
    }
    fields.update(kw)
    return inventory(authorization_policy=inv.AuthorizationPolicy(**fields))


def test_authorization_policy_checks_clean_tenant() -> None:
    clean = _authz()
    assert run(users_can_register_apps.CHECK, clean)[0] == set()
    assert run(users_can_consent_to_apps.CHECK, clean)[0] == set()
    assert run(guest_access_unrestricted.CHECK, clean)[0] == set()
    owned = _authz(permission_grant_policies_assigned=("ManagePermissionGrantsForOwnedResource.x",))
    assert run(users_can_consent_to_apps.CHECK, owned)[0] == set()


def test_authorization_policy_checks_open_tenant() -> None:
    assert run(users_can_register_apps.CHECK, _authz(allowed_to_create_apps=True))[0] == {
        "policies/authorizationPolicy/allowedToCreateApps"
    }
    consent = "policies/authorizationPolicy/permissionGrantPoliciesAssigned"
    for grant in ("microsoft-user-default-legacy", "microsoft-user-default-low"):
        open_ = _authz(
            permission_grant_policies_assigned=(f"ManagePermissionGrantsForSelf.{grant}",)
        )
        assert run(users_can_consent_to_apps.CHECK, open_)[0] == {consent}
    guests = "policies/authorizationPolicy/guestAccess"
    for role in (inv.GUEST_ROLE_LIMITED, inv.GUEST_ROLE_SAME_AS_MEMBERS, None):
        assert run(guest_access_unrestricted.CHECK, _authz(guest_user_role_id=role)) == (
            {guests},
            set(),
        )
    # Who may invite is reported, not judged here.
    assert run(guest_access_unrestricted.CHECK, _authz(allow_invites_from="everyone")) == (
        set(),
        {guests},
    )


def test_policy_targeting_a_non_privileged_role_the_admin_also_holds() -> None:
    targeted = policy("helpdesk mfa", include_users=(), include_roles=(HELPDESK,))
    inv_ = _roles_inventory(
        role_assignments=(assignment("alice"), assignment("alice", HELPDESK)),
        conditional_access_policies=(targeted,),
    )
    assert run(privileged_without_mfa.CHECK, inv_) == (set(), {"alice@example.com"})


def test_role_targeted_policy_does_not_cover_an_administrative_unit_scoped_assignment() -> None:
    # Entra docs (Conditional Access: users, groups and workload identities): policies do not
    # support users assigned a directory role scoped to an administrative unit. Graph v1.0
    # unifiedRoleAssignment.directoryScopeId is "/" tenant-wide, "/administrativeUnits/{id}"
    # for an administrative unit.
    targeted = policy("admin mfa", include_users=(), include_roles=(USER_ADMIN,))
    scoped = assignment("alice", USER_ADMIN).model_copy(
        update={"directory_scope_id": "/administrativeUnits/8a07f5a8-edc9-4847-bbf2-dde106594bf4"}
    )
    registered = (
        inv.MfaRegistration(user_id="id-alice", is_mfa_registered=True, is_mfa_capable=True),
    )
    inv_ = _roles_inventory(
        role_assignments=(scoped,),
        conditional_access_policies=(targeted,),
        mfa_registrations=registered,
    )
    results = list(
        privileged_without_mfa.CHECK.evaluate(inv_, ctx(privileged_roles=("User Administrator",)))
    )
    (alice,) = results
    assert alice.status == "fail"
    assert "not covered" in alice.message
    assert alice.evidence["roles"] == [
        "User Administrator at scope /administrativeUnits/8a07f5a8-edc9-4847-bbf2-dde106594bf4"
    ]
    tenant_wide = _roles_inventory(
        role_assignments=(assignment("alice", USER_ADMIN),),
        conditional_access_policies=(targeted,),
        mfa_registrations=registered,
    )
    (alice,) = privileged_without_mfa.CHECK.evaluate(
        tenant_wide, ctx(privileged_roles=("User Administrator",))
    )
    assert alice.status == "pass"


def test_built_in_roles_are_known_without_their_definitions() -> None:
    inv_ = _roles_inventory(role_definitions=())
    fails, _ = run(privileged_synced_account.CHECK, inv_)
    assert fails == {"dan@example.com"}


def test_global_admin_count_says_why_eligibility_is_not_seen() -> None:
    unlicensed = _roles_inventory(failed={inv.ROLE_ELIGIBILITY: Outcome.NOT_AVAILABLE})
    (result,) = evaluate_check(global_admin_count.CHECK, unlicensed, ctx())
    assert result.status is Status.PASS  # an optional read: the verdict stands
    assert result.evidence["eligible"] is None
    assert result.evidence["eligibility_not_seen"].startswith("not licensed")
    switched_off = _roles_inventory()
    switched_off = switched_off.model_copy(
        update={
            "outcomes": tuple(
                o for o in switched_off.outcomes if o.collection != inv.ROLE_ELIGIBILITY
            )
        }
    )
    (result,) = evaluate_check(global_admin_count.CHECK, switched_off, ctx())
    assert "collect_pim_eligibility" in result.evidence["eligibility_not_seen"]


def test_device_filters_and_excluded_platforms_narrow_an_mfa_policy() -> None:
    """conditions.devices.deviceFilter (include or exclude) limits which devices the policy
    covers; includePlatforms ["all"] covers every platform unless excludePlatforms takes some
    back."""
    name = "identity/conditionalAccess"
    for p in (
        policy("mfa except on some devices", device_filter=True),
        policy("all platforms but iOS", include_platforms=("all",), exclude_platforms=("iOS",)),
        policy("windows only", include_platforms=("windows",)),
    ):
        inv_ = inventory(conditional_access_policies=(p,), security_defaults_enabled=False)
        assert run(mfa_not_enforced.CHECK, inv_) == ({name}, set()), p
    anywhere = policy("every platform", include_platforms=("all",))
    inv_ = inventory(conditional_access_policies=(anywhere,), security_defaults_enabled=False)
    assert run(mfa_not_enforced.CHECK, inv_) == (set(), {name})
