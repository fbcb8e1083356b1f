"""Admin role assignments: users who hold roles, and groups that grant them (with members)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from providers.okta.api import OktaApi, gather_all
from providers.okta.collectors._parse import last_segment, text
from providers.okta.collectors.users import user_gone
from providers.okta.errors import OktaCallError
from scanner.inventory.okta import AdminRole, GroupRole

log = logging.getLogger(__name__)


def _href_id(raw: dict[str, Any], kind: str) -> str | None:
    href = text(raw, "_links", "assignee", "href")
    if href and f"/{kind}/" in href:
        return last_segment(href)
    return None


def parse_user_role(user_id: str, raw: dict[str, Any]) -> AdminRole:
    assignment = str(raw.get("assignmentType") or "USER")
    return AdminRole(
        id=str(raw.get("id") or raw.get("type")),
        user_id=user_id,
        role_type=str(raw.get("type") or "UNKNOWN"),
        label=text(raw, "label"),
        assignment_type=assignment,
        status=text(raw, "status"),
        group_id=_href_id(raw, "groups") if assignment == "GROUP" else None,
    )


async def _roles_of(api: OktaApi, user_id: str) -> list[AdminRole]:
    try:
        raw = await api.list_all(f"/api/v1/users/{quote(user_id, safe='')}/roles")
    except OktaCallError as exc:
        if exc.status == 404 and await user_gone(api, user_id):
            log.info("Okta user %s left during the scan: its roles are skipped", user_id)
            return []
        raise
    return [parse_user_role(user_id, r) for r in raw]


async def fetch_admin_roles(api: OktaApi) -> tuple[AdminRole, ...]:
    assignees = await api.list_all_in_body("/api/v1/iam/assignees/users?limit=100")
    user_ids = sorted({str(a["id"]) for a in assignees if a.get("id")})
    per_user = await gather_all(_roles_of(api, uid) for uid in user_ids)
    return tuple(r for roles in per_user for r in roles)


async def _group_roles(api: OktaApi, group_id: str) -> list[GroupRole]:
    path = f"/api/v1/groups/{quote(group_id, safe='')}"
    try:
        roles = await api.list_all(f"{path}/roles")
        if not roles:
            return []
        group, members = await asyncio.gather(
            api.get(path), api.list_all(f"{path}/users?limit=200")
        )
    except OktaCallError as exc:
        if exc.status == 404:  # the group was deleted after its assignment was read
            return []
        raise
    member_ids = tuple(sorted(str(m["id"]) for m in members if m.get("id")))
    name = (text(group, "profile", "name") if isinstance(group, dict) else None) or group_id
    return [
        GroupRole(
            id=str(r.get("id") or r.get("type")),
            group_id=group_id,
            group_name=name,
            role_type=str(r.get("type") or "UNKNOWN"),
            label=text(r, "label"),
            member_ids=member_ids,
        )
        for r in roles
    ]


async def fetch_group_roles(api: OktaApi, held: Iterable[AdminRole]) -> tuple[GroupRole, ...]:
    """The roles of the groups that grant roles, with their members.

    Only the groups that the role holders' assignments name (`assignmentType: GROUP`, the group
    in `_links.assignee`) are read: one call per group of a large org would cost thousands of
    requests for the few groups that hold roles.
    """
    group_ids = sorted({r.group_id for r in held if r.group_id})
    per_group = await gather_all(_group_roles(api, g) for g in group_ids)
    return tuple(r for roles in per_group for r in roles)
