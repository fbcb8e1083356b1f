"""Users (every status, deprovisioned and suspended included) and their enrolled factors."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlencode

from providers.okta.api import OktaApi, gather_all
from providers.okta.collectors._parse import text
from providers.okta.errors import OktaCallError
from scanner.inventory.common import DirectoryUser
from scanner.inventory.okta import Factor

log = logging.getLogger(__name__)

PAGE = 200
# The plain list leaves some statuses out, so those are asked for by name as well.
SEARCHED_STATUSES = ("SUSPENDED", "DEPROVISIONED")
SIGN_IN_STATUSES = frozenset({"ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"})


def parse_user(raw: dict[str, Any]) -> DirectoryUser:
    profile = raw.get("profile") or {}
    status = str(raw.get("status") or "UNKNOWN")
    full_name = " ".join(p for p in (text(profile, "firstName"), text(profile, "lastName")) if p)
    return DirectoryUser(
        uid=str(raw["id"]),
        login=text(profile, "login") or str(raw["id"]),
        email=text(profile, "email"),
        display_name=text(profile, "displayName") or full_name or None,
        status=status,
        active=status in SIGN_IN_STATUSES,
        created=raw.get("created"),
        activated=raw.get("activated"),
        last_login=raw.get("lastLogin"),
        deactivated=raw.get("statusChanged") if status == "DEPROVISIONED" else None,
    )


def _users_url(search: str | None = None) -> str:
    query = {"limit": str(PAGE)}
    if search:
        query["search"] = search
    return "/api/v1/users?" + urlencode(query, quote_via=quote)


async def fetch_users(api: OktaApi) -> tuple[DirectoryUser, ...]:
    urls = [_users_url()] + [_users_url(f'status eq "{s}"') for s in SEARCHED_STATUSES]
    pages = await gather_all(api.list_all(url) for url in urls)
    seen: dict[str, DirectoryUser] = {}
    for raw in (r for page in pages for r in page):
        if raw.get("id"):
            seen.setdefault(str(raw["id"]), parse_user(raw))
    return tuple(sorted(seen.values(), key=lambda u: u.login))


def parse_factor(user_id: str, raw: dict[str, Any]) -> Factor:
    # Only identifying fields: a factor's profile and _embedded can hold TOTP seeds.
    return Factor(
        id=str(raw["id"]),
        user_id=user_id,
        factor_type=str(raw.get("factorType") or "unknown"),
        provider=text(raw, "provider"),
        vendor_name=text(raw, "vendorName"),
        status=str(raw.get("status") or "UNKNOWN"),
    )


async def user_gone(api: OktaApi, user_id: str) -> bool:
    """After a per-user call answered 404: was the user deleted or deactivated since listed?

    Asked again rather than assumed, so a 404 for any other reason still fails the collection.
    """
    try:
        raw = await api.get(f"/api/v1/users/{quote(user_id, safe='')}")
    except OktaCallError as exc:
        return exc.status == 404
    return isinstance(raw, dict) and raw.get("status") == "DEPROVISIONED"


async def _factors_of(api: OktaApi, user_id: str) -> list[Factor]:
    try:
        raw = await api.list_all(f"/api/v1/users/{quote(user_id, safe='')}/factors")
    except OktaCallError as exc:
        if exc.status == 404 and await user_gone(api, user_id):
            log.info("Okta user %s left during the scan: its factors are skipped", user_id)
            return []
        raise
    return [parse_factor(user_id, f) for f in raw if f.get("id")]


async def fetch_factors(api: OktaApi, users: tuple[DirectoryUser, ...]) -> tuple[Factor, ...]:
    """Factors of every user who can sign in (deprovisioning resets factors)."""
    per_user = await gather_all(_factors_of(api, u.uid) for u in users if u.active)
    return tuple(f for factors in per_user for f in factors)


async def _user_by_id(api: OktaApi, user_id: str) -> DirectoryUser | None:
    try:
        raw = await api.get(f"/api/v1/users/{quote(user_id, safe='')}")
    except OktaCallError as exc:
        if exc.status == 404:  # deleted since it was referenced
            return None
        raise
    return parse_user(raw) if isinstance(raw, dict) and raw.get("id") else None


async def fetch_users_by_id(api: OktaApi, user_ids: list[str]) -> tuple[DirectoryUser, ...]:
    found = await gather_all(_user_by_id(api, uid) for uid in user_ids)
    return tuple(u for u in found if u is not None)
