"""Password, global session (OKTA_SIGN_ON) and app authentication (ACCESS_POLICY) policies."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from providers.okta.api import OktaApi, gather_all
from providers.okta.collectors._parse import dig, flag, last_segment, number, text
from providers.okta.errors import OktaNotAvailableError
from providers.okta.permissions import NEEDS
from scanner.collection import CollectionFailedError
from scanner.inventory.okta import (
    ADMIN_CONSOLE_APP,
    APP_ACCESS_POLICIES,
    DASHBOARD_APP,
    AccessRule,
    AppAccessPolicy,
    AuthMethodChain,
    ChainMethod,
    ChainStep,
    PasswordPolicy,
    SignOnPolicy,
    SignOnRule,
)
from scanner.models.enums import Outcome


def _policies_url(policy_type: str) -> str:
    return "/api/v1/policies?" + urlencode({"type": policy_type})


def _rules_url(policy_id: str) -> str:
    return f"/api/v1/policies/{quote(policy_id, safe='')}/rules"


def parse_password_policy(raw: dict[str, Any]) -> PasswordPolicy:
    password = dig(raw, "settings", "password") or {}
    return PasswordPolicy(
        id=str(raw["id"]),
        name=str(raw.get("name") or raw["id"]),
        status=str(raw.get("status") or "UNKNOWN"),
        priority=number(raw, "priority"),
        system=flag(raw.get("system"), "system"),
        auth_provider=text(raw, "conditions", "authProvider", "provider") or "OKTA",
        min_length=number(password, "complexity", "minLength"),
        history_count=number(password, "age", "historyCount"),
        max_attempts=number(password, "lockout", "maxAttempts"),
    )


async def fetch_password_policies(api: OktaApi) -> tuple[PasswordPolicy, ...]:
    raw = await api.list_all(_policies_url("PASSWORD"))
    return tuple(parse_password_policy(p) for p in raw if p.get("id"))


def parse_sign_on_rule(raw: dict[str, Any]) -> SignOnRule:
    signon = dig(raw, "actions", "signon") or {}
    session = signon.get("session") or {}
    return SignOnRule(
        id=str(raw["id"]),
        name=str(raw.get("name") or raw["id"]),
        status=str(raw.get("status") or "UNKNOWN"),
        priority=number(raw, "priority"),
        access=text(signon, "access") or "ALLOW",
        require_factor=flag(signon.get("requireFactor"), "requireFactor"),
        max_session_lifetime_minutes=number(session, "maxSessionLifetimeMinutes"),
        max_session_idle_minutes=number(session, "maxSessionIdleMinutes"),
        use_persistent_cookie=flag(session.get("usePersistentCookie"), "usePersistentCookie"),
    )


async def _sign_on_policy(api: OktaApi, raw: dict[str, Any]) -> SignOnPolicy:
    rules = await api.list_all(_rules_url(str(raw["id"])))
    return SignOnPolicy(
        id=str(raw["id"]),
        name=str(raw.get("name") or raw["id"]),
        status=str(raw.get("status") or "UNKNOWN"),
        priority=number(raw, "priority"),
        rules=tuple(parse_sign_on_rule(r) for r in rules if r.get("id")),
    )


async def fetch_session_policies(api: OktaApi) -> tuple[SignOnPolicy, ...]:
    raw = await api.list_all(_policies_url("OKTA_SIGN_ON"))
    return tuple(await gather_all(_sign_on_policy(api, p) for p in raw if p.get("id")))


def _phishing_resistant(method: dict[str, Any]) -> bool:
    constraints = method.get("constraints") or []
    return any(
        dig(c, "possession", "phishingResistant") == "REQUIRED"
        for c in constraints
        if isinstance(c, dict)
    )


def _chain_method(raw: dict[str, Any]) -> ChainMethod | None:
    key, method = text(raw, "key"), text(raw, "method")
    if key is None or method is None:
        return None
    return ChainMethod(
        key=key,
        method=method,
        user_verification=raw.get("userVerification") == "REQUIRED",
        phishing_resistant=raw.get("phishingResistant") == "REQUIRED",
    )


def _chain_paths(raw: dict[str, Any], depth: int = 0) -> list[tuple[ChainStep, ...]]:
    """Every sequence of steps through one AuthenticationMethodChain and its `next` steps."""
    methods = raw.get("authenticationMethods") or []
    parsed = (_chain_method(m) for m in methods if isinstance(m, dict))
    step = ChainStep(methods=tuple(m for m in parsed if m is not None))
    # `next` is an array of further chains: each is a way on from this step (Okta allows one).
    following = [n for n in raw.get("next") or [] if isinstance(n, dict)] if depth < 10 else []
    if not following:
        return [(step,)]
    return [(step, *rest) for n in following for rest in _chain_paths(n, depth + 1)]


def _chains(method: dict[str, Any]) -> tuple[AuthMethodChain, ...]:
    """AUTH_METHOD_CHAIN: `chains` are alternatives; each must be completed step by step."""
    if method.get("type") != "AUTH_METHOD_CHAIN":
        return ()
    raw_chains = [c for c in method.get("chains") or [] if isinstance(c, dict)]
    return tuple(AuthMethodChain(steps=p) for c in raw_chains for p in _chain_paths(c))


def _chain_phishing_resistant(chains: tuple[AuthMethodChain, ...]) -> bool:
    """Every chain has a step whose every accepted method is phishing-resistant."""
    return bool(chains) and all(
        any(s.methods and all(m.phishing_resistant for m in s.methods) for s in c.steps)
        for c in chains
    )


def parse_access_rule(raw: dict[str, Any]) -> AccessRule:
    sign_on = dig(raw, "actions", "appSignOn") or {}
    method = sign_on.get("verificationMethod") or {}
    chains = _chains(method)
    return AccessRule(
        id=str(raw["id"]),
        name=str(raw.get("name") or raw["id"]),
        status=str(raw.get("status") or "UNKNOWN"),
        priority=number(raw, "priority"),
        access=text(sign_on, "access") or "ALLOW",
        factor_mode=text(method, "factorMode"),
        verification_type=text(method, "type"),
        phishing_resistant=_phishing_resistant(method) or _chain_phishing_resistant(chains),
        chains=chains,
    )


async def _access_policy(
    api: OktaApi, app: dict[str, Any], app_name: str, policy: dict[str, Any]
) -> AppAccessPolicy:
    policy_id = str(policy["id"])
    rules = await api.list_all(_rules_url(policy_id))
    return AppAccessPolicy(
        app_id=str(app.get("id") or app_name),
        app_name=app_name,
        app_label=str(app.get("label") or app_name),
        policy_id=policy_id,
        policy_name=text(policy, "name") or policy_id,
        rules=tuple(parse_access_rule(r) for r in rules if r.get("id")),
    )


async def _listed_app(api: OktaApi, app_name: str) -> dict[str, Any] | None:
    """The first-party app by its `name`, or None when the listing leaves it out."""
    url = "/api/v1/apps?" + urlencode({"filter": f'name eq "{app_name}"'}, quote_via=quote)
    apps = [a for a in await api.list_all(url) if a.get("name") == app_name and a.get("id")]
    return apps[0] if apps else None


async def _bound_policy(api: OktaApi, app: dict[str, Any], app_name: str) -> AppAccessPolicy | None:
    """The policy the app's own `_links.accessPolicy` names (the binding Okta applies)."""
    policy_id = last_segment(text(app, "_links", "accessPolicy", "href"))
    if policy_id is None:
        return None
    policy = await api.get(f"/api/v1/policies/{quote(policy_id, safe='')}")
    if not isinstance(policy, dict) or not policy.get("id"):
        return None
    return await _access_policy(api, app, app_name, policy)


async def _admin_console_policy(api: OktaApi) -> AppAccessPolicy:
    app = await _listed_app(api, ADMIN_CONSOLE_APP)
    if app is None:
        # Every org has the Admin Console app; Okta lists first-party apps only to a Super
        # Administrator. A policy that merely carries the default name may not be the bound one.
        raise CollectionFailedError(
            Outcome.ACCESS_DENIED,
            f"/api/v1/apps does not list the Admin Console app ({ADMIN_CONSOLE_APP}) to these"
            " credentials, so the policy bound to it cannot be established",
            missing=NEEDS[APP_ACCESS_POLICIES].missing,
        )
    policy = await _bound_policy(api, app, ADMIN_CONSOLE_APP)
    if policy is None:
        raise OktaNotAvailableError(
            "the Admin Console app names no authentication policy (Classic Engine org?)"
        )
    return policy


async def _dashboard_policy(api: OktaApi) -> list[AppAccessPolicy]:
    app = await _listed_app(api, DASHBOARD_APP)
    policy = await _bound_policy(api, app, DASHBOARD_APP) if app is not None else None
    return [policy] if policy is not None else []


async def fetch_app_access_policies(api: OktaApi) -> tuple[AppAccessPolicy, ...]:
    """The Admin Console's and Dashboard's bound policies, never one found by its name."""
    admin = await _admin_console_policy(api)
    return (admin, *await _dashboard_policy(api))
