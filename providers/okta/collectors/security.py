"""Authenticators, API tokens, log streams, ThreatInsight and network zones."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from providers.okta.api import OktaApi, gather_all
from providers.okta.collectors._parse import dig, duration_days, strings, text
from providers.okta.errors import OktaCallError
from scanner.inventory.okta import (
    ApiToken,
    Authenticator,
    AuthenticatorMethod,
    LogStream,
    NetworkZone,
    ThreatInsight,
)

# Authenticators whose methods (sms, voice) matter to the checks.
WITH_METHODS = frozenset({"phone_number"})


def _methods(listed: list[dict[str, Any]]) -> tuple[AuthenticatorMethod, ...]:
    return tuple(
        AuthenticatorMethod(type=str(m.get("type")), status=str(m.get("status") or "UNKNOWN"))
        for m in listed
        if isinstance(m, dict) and m.get("type")
    )


async def _phone_methods(api: OktaApi, authenticator_id: str) -> tuple[AuthenticatorMethod, ...]:
    try:
        listed = await api.list_all(
            f"/api/v1/authenticators/{quote(authenticator_id, safe='')}/methods"
        )
    except OktaCallError as exc:
        if exc.status == 404:  # no methods API: the check then assumes every method is on
            return ()
        raise
    return _methods(listed)


async def _authenticator(api: OktaApi, raw: dict[str, Any]) -> Authenticator:
    key = str(raw.get("key") or "unknown")
    methods: tuple[AuthenticatorMethod, ...] = ()
    if isinstance(raw.get("methods"), list):
        methods = _methods(raw["methods"])
    elif key in WITH_METHODS:
        methods = await _phone_methods(api, str(raw["id"]))
    return Authenticator(
        id=str(raw["id"]),
        key=key,
        name=str(raw.get("name") or key),
        type=text(raw, "type"),
        status=str(raw.get("status") or "UNKNOWN"),
        allowed_for=text(raw, "settings", "allowedFor"),
        methods=methods,
    )


async def fetch_authenticators(api: OktaApi) -> tuple[Authenticator, ...]:
    raw = await api.list_all("/api/v1/authenticators")
    return tuple(await gather_all(_authenticator(api, a) for a in raw if a.get("id")))


def parse_api_token(raw: dict[str, Any]) -> ApiToken:
    return ApiToken(
        id=str(raw["id"]),
        name=str(raw.get("name") or raw["id"]),
        user_id=text(raw, "userId"),
        client_name=text(raw, "clientName"),
        created=raw.get("created"),
        expires_at=raw.get("expiresAt"),
        token_window_days=duration_days(text(raw, "tokenWindow")),
        network_connection=text(raw, "network", "connection"),
        network_include=strings(raw, "network", "include"),
        network_exclude=strings(raw, "network", "exclude"),
    )


async def fetch_api_tokens(api: OktaApi) -> tuple[ApiToken, ...]:
    raw = await api.list_all("/api/v1/api-tokens")
    return tuple(parse_api_token(t) for t in raw if t.get("id"))


async def fetch_log_streams(api: OktaApi) -> tuple[LogStream, ...]:
    # Only identity and state: a stream's settings can hold a SIEM token.
    raw = await api.list_all("/api/v1/logStreams")
    return tuple(
        LogStream(
            id=str(s["id"]),
            name=str(s.get("name") or s["id"]),
            type=str(s.get("type") or "unknown"),
            status=str(s.get("status") or "UNKNOWN"),
        )
        for s in raw
        if s.get("id")
    )


async def fetch_threat_insight(api: OktaApi) -> ThreatInsight:
    raw = await api.get("/api/v1/threats/configuration")
    return ThreatInsight(
        action=str(dig(raw, "action") or "none"), exclude_zones=strings(raw, "excludeZones")
    )


async def fetch_network_zones(api: OktaApi) -> tuple[NetworkZone, ...]:
    raw = await api.list_all("/api/v1/zones")
    return tuple(
        NetworkZone(
            id=str(z["id"]),
            name=str(z.get("name") or z["id"]),
            type=str(z.get("type") or "unknown"),
            status=str(z.get("status") or "UNKNOWN"),
            usage=text(z, "usage"),
        )
        for z in raw
        if z.get("id")
    )
