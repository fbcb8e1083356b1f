"""Each Okta check on hand-built inventories: the exact failing and passing resources."""

from __future__ import annotations

from checks.okta.admins import (
    inactive_user_holds_role,
    role_assigned_directly,
    too_many_super_admins,
    without_phishing_resistant_factor,
)
from checks.okta.api_tokens import not_network_restricted, owned_by_super_admin, unused
from checks.okta.authenticators import weak_enabled
from checks.okta.logging import no_active_log_stream
from checks.okta.policy import (
    admin_console_without_mfa,
    password_history_short,
    password_lockout_weak,
    password_min_length_short,
    session_idle_too_long,
    session_lifetime_too_long,
    session_persistent_cookie,
)
from checks.okta.security import threat_insight_not_blocking
from checks.okta.users import active_without_mfa, dormant, never_logged_in
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaThresholds
from scanner.inventory.okta import (
    AccessRule,
    AdminRole,
    ApiToken,
    AppAccessPolicy,
    Authenticator,
    AuthenticatorMethod,
    Factor,
    GroupRole,
    LogStream,
    NetworkZone,
    PasswordPolicy,
    SignOnPolicy,
    SignOnRule,
    ThreatInsight,
)
from tests.okta.builders import NOW, ago, ctx, inventory, user, verdicts


def factor(user_id: str, factor_type: str, status: str = "ACTIVE") -> Factor:
    return Factor(
        id=f"f-{user_id}-{factor_type}", user_id=user_id, factor_type=factor_type, status=status
    )


def role(user_id: str, role_type: str, assignment: str = "USER") -> AdminRole:
    return AdminRole(
        id=f"r-{user_id}", user_id=user_id, role_type=role_type, assignment_type=assignment
    )


def test_active_user_without_mfa() -> None:
    inv = inventory(
        directory_users=(
            user("push"),
            user("emailonly"),
            user("pending"),
            user("nothing", "PASSWORD_EXPIRED"),
            user("gone", "DEPROVISIONED"),
            user("suspended", "SUSPENDED"),
        ),
        factors=(
            factor("push", "push"),
            factor("emailonly", "email"),
            factor("emailonly", "question"),
            factor("pending", "token:software:totp", "PENDING_ACTIVATION"),
        ),
    )
    assert verdicts(list(active_without_mfa.evaluate(inv, ctx()))) == {
        "fail": {"emailonly@acme.example", "pending@acme.example", "nothing@acme.example"},
        "pass": {"push@acme.example"},
    }
    lenient = PostureConfig(okta=OktaConfig(thresholds=OktaThresholds(mfa_ignored_factor_types=())))
    assert (
        "emailonly@acme.example"
        in verdicts(list(active_without_mfa.evaluate(inv, ctx(lenient))))["pass"]
    )


def test_dormant_and_never_logged_in() -> None:
    inv = inventory(
        directory_users=(
            user("recent", last_login=ago(10), activated=ago(400)),
            user("stale", last_login=ago(90), activated=ago(400)),
            user("new", activated=ago(29)),
            user("never", activated=ago(30)),
            user("never_created_only", created=ago(45)),
            user("stale_suspended", "SUSPENDED", last_login=ago(300)),
        )
    )
    assert verdicts(list(dormant.evaluate(inv, ctx()))) == {
        "fail": {"stale@acme.example"},
        "pass": {"recent@acme.example"},
    }
    assert verdicts(list(never_logged_in.evaluate(inv, ctx()))) == {
        "fail": {"never@acme.example", "never_created_only@acme.example"},
        "pass": {"new@acme.example"},
    }


def _admins_inventory(**extra: object) -> object:
    return inventory(
        directory_users=(
            user("key"),
            user("fastpass"),
            user("pushonly"),
            user("viagroup"),
            user("left", "SUSPENDED"),
            user("deprov", "DEPROVISIONED"),
            user("plain"),
        ),
        factors=(
            factor("key", "webauthn"),
            factor("fastpass", "signed_nonce"),
            factor("pushonly", "push"),
            factor("pushonly", "webauthn", "PENDING_ACTIVATION"),
            factor("viagroup", "sms"),
            factor("plain", "push"),
        ),
        admin_roles=(
            role("key", "SUPER_ADMIN"),
            role("fastpass", "ORG_ADMIN"),
            role("pushonly", "HELP_DESK_ADMIN", "GROUP"),
            role("left", "ORG_ADMIN"),
        ),
        group_roles=(
            GroupRole(
                id="gr1",
                group_id="g1",
                group_name="Super Admins",
                role_type="SUPER_ADMIN",
                member_ids=("viagroup", "deprov"),
            ),
        ),
        **extra,
    )


def test_admins_without_phishing_resistant_factor() -> None:
    inv = _admins_inventory()
    assert verdicts(list(without_phishing_resistant_factor.evaluate(inv, ctx()))) == {  # type: ignore[arg-type]
        "fail": {"pushonly@acme.example", "viagroup@acme.example"},
        "pass": {"key@acme.example", "fastpass@acme.example"},
    }


def test_inactive_user_holds_role() -> None:
    inv = _admins_inventory()
    assert verdicts(list(inactive_user_holds_role.evaluate(inv, ctx()))) == {  # type: ignore[arg-type]
        "fail": {"left@acme.example", "deprov@acme.example"},
        "pass": {
            "key@acme.example",
            "fastpass@acme.example",
            "pushonly@acme.example",
            "viagroup@acme.example",
        },
    }


def test_role_assigned_directly() -> None:
    inv = _admins_inventory()
    assert verdicts(list(role_assigned_directly.evaluate(inv, ctx()))) == {  # type: ignore[arg-type]
        "fail": {
            "key@acme.example#SUPER_ADMIN",
            "fastpass@acme.example#ORG_ADMIN",
            "left@acme.example#ORG_ADMIN",
        },
        "pass": {"pushonly@acme.example"},
    }


def test_too_many_super_admins_counts_active_holders_direct_and_by_group() -> None:
    users = (*tuple(user(f"u{i}") for i in range(6)), user("gone", "DEPROVISIONED"))
    direct = tuple(role(f"u{i}", "SUPER_ADMIN") for i in range(2))
    group = GroupRole(
        id="gr",
        group_id="g",
        group_name="SA",
        role_type="SUPER_ADMIN",
        member_ids=("u3", "u4", "gone"),
    )
    four = inventory(directory_users=users, admin_roles=direct, group_roles=(group,))
    results = list(too_many_super_admins.evaluate(four, ctx()))
    assert verdicts(results) == {"fail": set(), "pass": {"super_admins"}}
    assert results[0].evidence["super_admin_count"] == 4
    five = four.model_copy(update={"admin_roles": (*direct, role("u5", "SUPER_ADMIN", "GROUP"))})
    assert verdicts(list(too_many_super_admins.evaluate(five, ctx()))) == {
        "fail": {"super_admins"},
        "pass": set(),
    }


def _password(
    pid: str, length: int | None, history: int | None, attempts: int | None, **kw: object
) -> PasswordPolicy:
    return PasswordPolicy(
        id=pid,
        name=pid,
        status=str(kw.get("status", "ACTIVE")),
        min_length=length,
        history_count=history,
        max_attempts=attempts,
        auth_provider=str(kw.get("provider", "OKTA")),
    )


def test_password_policy_checks() -> None:
    inv = inventory(
        password_policies=(
            _password("strong", 14, 5, 10),
            _password("weak", 13, 4, 11),
            _password("nolockout", 20, 24, 0),
            _password("unset", None, None, None),
            _password("inactive", 6, 0, 0, status="INACTIVE"),
            _password("ad", 6, 0, 0, provider="ACTIVE_DIRECTORY"),
        )
    )
    assert verdicts(list(password_min_length_short.evaluate(inv, ctx()))) == {
        "fail": {"weak", "unset"},
        "pass": {"strong", "nolockout"},
    }
    assert verdicts(list(password_history_short.evaluate(inv, ctx()))) == {
        "fail": {"weak", "unset"},
        "pass": {"strong", "nolockout"},
    }
    assert verdicts(list(password_lockout_weak.evaluate(inv, ctx()))) == {
        "fail": {"weak", "nolockout", "unset"},
        "pass": {"strong"},
    }


def _rule(
    rid: str, lifetime: int | None, idle: int | None, cookie: bool, **kw: object
) -> SignOnRule:
    return SignOnRule(
        id=rid,
        name=rid,
        status=str(kw.get("status", "ACTIVE")),
        access=str(kw.get("access", "ALLOW")),
        max_session_lifetime_minutes=lifetime,
        max_session_idle_minutes=idle,
        use_persistent_cookie=cookie,
    )


def test_session_policy_checks() -> None:
    policy = SignOnPolicy(
        id="p",
        name="P",
        status="ACTIVE",
        rules=(
            _rule("ok", 720, 60, False),
            _rule("unlimited", 0, 120, True),
            _rule("long", 721, 61, False),
            _rule("deny", 0, 0, True, access="DENY"),
            _rule("off", 0, 0, True, status="INACTIVE"),
        ),
    )
    inactive = SignOnPolicy(id="q", name="Q", status="INACTIVE", rules=(_rule("x", 0, 0, True),))
    inv = inventory(session_policies=(policy, inactive))
    assert verdicts(list(session_lifetime_too_long.evaluate(inv, ctx()))) == {
        "fail": {"P / unlimited", "P / long"},
        "pass": {"P / ok"},
    }
    assert verdicts(list(session_idle_too_long.evaluate(inv, ctx()))) == {
        "fail": {"P / unlimited", "P / long"},
        "pass": {"P / ok"},
    }
    assert verdicts(list(session_persistent_cookie.evaluate(inv, ctx()))) == {
        "fail": {"P / unlimited"},
        "pass": {"P / ok", "P / long"},
    }


def test_admin_console_without_mfa_reads_only_the_admin_console_policy() -> None:
    def rule(
        rid: str, mode: str | None, access: str = "ALLOW", status: str = "ACTIVE"
    ) -> AccessRule:
        return AccessRule(id=rid, name=rid, status=status, access=access, factor_mode=mode)

    admin = AppAccessPolicy(
        app_id="a",
        app_name="saasure",
        app_label="Okta Admin Console",
        policy_id="rst1",
        policy_name="Admin",
        rules=(
            rule("twofa", "2FA"),
            rule("onefa", "1FA"),
            rule("deny1fa", "1FA", "DENY"),
            rule("unset", None),
            rule("inactive1fa", "1FA", status="INACTIVE"),
        ),
    )
    dashboard = AppAccessPolicy(
        app_id="d",
        app_name="okta_enduser",
        app_label="Dashboard",
        policy_id="rst2",
        policy_name="Dash",
        rules=(rule("dash1fa", "1FA"),),
    )
    inv = inventory(app_access_policies=(admin, dashboard))
    assert verdicts(list(admin_console_without_mfa.evaluate(inv, ctx()))) == {
        "fail": {"Admin / onefa", "Admin / unset"},
        "pass": {"Admin / twofa", "Admin / deny1fa"},
    }


def test_weak_authenticators() -> None:
    def auth(key: str, status: str, methods: tuple[AuthenticatorMethod, ...] = ()) -> Authenticator:
        return Authenticator(id=key, key=key, name=key, status=status, methods=methods)

    inv = inventory(
        authenticators=(
            auth(
                "phone_number",
                "ACTIVE",
                (
                    AuthenticatorMethod(type="sms", status="ACTIVE"),
                    AuthenticatorMethod(type="voice", status="INACTIVE"),
                ),
            ),
            auth("security_question", "ACTIVE"),
            auth("okta_verify", "ACTIVE"),
        )
    )
    assert verdicts(list(weak_enabled.evaluate(inv, ctx()))) == {
        "fail": {"phone_number#sms", "security_question"},
        "pass": {"phone_number#voice", "okta_verify"},
    }
    unknown_methods = inventory(authenticators=(auth("phone_number", "ACTIVE"),))
    assert verdicts(list(weak_enabled.evaluate(unknown_methods, ctx()))) == {
        "fail": {"phone_number#sms", "phone_number#voice"},
        "pass": set(),
    }
    off = inventory(
        authenticators=(auth("phone_number", "INACTIVE"), auth("security_question", "INACTIVE"))
    )
    assert verdicts(list(weak_enabled.evaluate(off, ctx()))) == {
        "fail": set(),
        "pass": {"phone_number#sms", "phone_number#voice", "security_question"},
    }


def test_api_token_checks() -> None:
    def token(
        tid: str, owner: str, network: str | None, last_used_days: float | None, window: float = 30
    ) -> ApiToken:
        expires = None if last_used_days is None else ago(last_used_days - window)
        return ApiToken(
            id=tid,
            name=tid,
            user_id=owner,
            created=ago(500),
            expires_at=expires,
            token_window_days=window,
            network_connection=network,
            network_include=("nzo1",) if network == "ZONE" else (),
        )

    inv = inventory(
        directory_users=(user("boss"), user("svc")),
        admin_roles=(role("boss", "SUPER_ADMIN"), role("svc", "READ_ONLY_ADMIN", "GROUP")),
        network_zones=(NetworkZone(id="nzo1", name="Corp", type="IP", status="ACTIVE"),),
        api_tokens=(
            token("boss-anywhere", "boss", "ANYWHERE", 1),
            token("svc-zone", "svc", "ZONE", 89),
            token("svc-stale", "svc", "ZONE", 100, window=180),
            token("svc-unknown-use", "svc", None, None),
        ),
    )
    assert verdicts(list(owned_by_super_admin.evaluate(inv, ctx()))) == {
        "fail": {"boss-anywhere"},
        "pass": {"svc-zone", "svc-stale", "svc-unknown-use"},
    }
    assert verdicts(list(not_network_restricted.evaluate(inv, ctx()))) == {
        "fail": {"boss-anywhere", "svc-unknown-use"},
        "pass": {"svc-zone", "svc-stale"},
    }
    results = list(unused.evaluate(inv, ctx()))
    assert verdicts(results) == {
        "fail": {"svc-stale", "svc-unknown-use"},
        "pass": {"boss-anywhere", "svc-zone"},
    }
    stale = next(r for r in results if r.resource.name == "svc-stale")
    assert stale.evidence["days_unused"] == 100


def test_log_streams_and_threat_insight() -> None:
    none_active = inventory(
        log_streams=(
            LogStream(id="s", name="Splunk", type="splunk_cloud_logstreaming", status="INACTIVE"),
        )
    )
    assert verdicts(list(no_active_log_stream.evaluate(none_active, ctx()))) == {
        "fail": {"log_streaming"},
        "pass": set(),
    }
    empty = inventory()
    assert verdicts(list(no_active_log_stream.evaluate(empty, ctx()))) == {
        "fail": {"log_streaming"},
        "pass": set(),
    }
    active = inventory(
        log_streams=(
            LogStream(id="e", name="EventBridge", type="aws_eventbridge", status="ACTIVE"),
        )
    )
    assert verdicts(list(no_active_log_stream.evaluate(active, ctx()))) == {
        "fail": set(),
        "pass": {"log_streaming"},
    }

    for action, status in (("none", "fail"), ("audit", "fail"), ("block", "pass")):
        inv = inventory(threat_insight=ThreatInsight(action=action))
        assert verdicts(list(threat_insight_not_blocking.evaluate(inv, ctx())))[status] == {
            "threat_insight"
        }
    assert list(threat_insight_not_blocking.evaluate(inventory(), ctx())) == []


def test_clock_is_the_context_clock() -> None:
    assert ctx().now == NOW


def test_absence_checks_stay_silent_when_their_data_is_missing() -> None:
    from scanner.inventory.okta import FACTORS, LOG_STREAMS
    from scanner.models.enums import Outcome
    from scanner.models.inventory import CollectionOutcome

    failed = (
        CollectionOutcome(collection=FACTORS, outcome=Outcome.ACCESS_DENIED),
        CollectionOutcome(collection=LOG_STREAMS, outcome=Outcome.ERROR),
    )
    inv = inventory(
        directory_users=(user("admin"),),
        admin_roles=(role("admin", "SUPER_ADMIN"),),
        outcomes=failed,
    )
    assert list(active_without_mfa.evaluate(inv, ctx())) == []
    assert list(without_phishing_resistant_factor.evaluate(inv, ctx())) == []
    assert list(no_active_log_stream.evaluate(inv, ctx())) == []
