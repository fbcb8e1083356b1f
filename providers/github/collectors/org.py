"""The organisation, its members, owners, members without 2FA and outside collaborators.

Wire format: GitHub REST OpenAPI (github/rest-api-description, api.github.com 2022-11-28):
`orgs/get` (organization-full), `orgs/list-members` (simple-user, `filter`, `role`),
`orgs/list-outside-collaborators`, `repos/list-collaborators` (collaborator, `affiliation`).
"""

from __future__ import annotations

from typing import Any

from providers.github.collectors._scan import OrgScan, each_repo
from scanner.collection import Collected
from scanner.inventory import github as inv

_ROLES = ("admin", "maintain", "push", "triage", "pull")
"""collaborator.permissions keys, strongest first."""
_ROLE_NAMES = {"write": "push", "read": "pull"}


def fetch_org(scan: OrgScan) -> inv.Org:
    raw = scan.api.get_json(f"/orgs/{scan.org}")
    two_factor = raw.get("two_factor_requirement_enabled")
    return inv.Org(
        login=str(raw["login"]),
        id=int(raw["id"]),
        node_id=raw.get("node_id"),
        url=str(raw.get("url") or f"{scan.api.api_url}/orgs/{scan.org}"),
        name=raw.get("name"),
        # Shown to owners only: null or absent means the token cannot see it, not "off".
        two_factor_requirement_enabled=two_factor if isinstance(two_factor, bool) else None,
    )


def parse_member(raw: dict[str, Any]) -> inv.Member:
    email = raw.get("email")
    return inv.Member(
        login=str(raw["login"]),
        id=int(raw["id"]),
        node_id=raw.get("node_id"),
        url=str(raw["url"]),
        email=email if isinstance(email, str) and "@" in email else None,
    )


def fetch_members(scan: OrgScan) -> tuple[inv.Member, ...]:
    raw = scan.api.list_all(f"/orgs/{scan.org}/members")
    return tuple(sorted((parse_member(m) for m in raw), key=lambda m: m.login.lower()))


def _logins(scan: OrgScan, params: dict[str, str]) -> tuple[str, ...]:
    raw = scan.api.list_all(f"/orgs/{scan.org}/members", params)
    return tuple(sorted({str(m["login"]) for m in raw}, key=str.lower))


def fetch_owners(scan: OrgScan) -> tuple[str, ...]:
    return _logins(scan, {"role": "admin"})


def fetch_members_without_2fa(scan: OrgScan) -> tuple[str, ...]:
    # Answered to owners only (422/403 otherwise): the collection then fails, never "none".
    return _logins(scan, {"filter": "2fa_disabled"})


_Listed = tuple[str, list[dict[str, Any]], str | None]
"""A repository's outside collaborators, or why they could not be listed."""


def permission_of(raw: dict[str, Any]) -> str:
    """The collaborator's strongest role on the repository."""
    permissions = raw.get("permissions")
    if isinstance(permissions, dict):
        for role in _ROLES:
            if permissions.get(role) is True:
                return role
    role_name = str(raw.get("role_name") or "pull")
    return _ROLE_NAMES.get(role_name, role_name)


def fetch_outside_collaborators(
    scan: OrgScan, got: Collected
) -> tuple[inv.OutsideCollaborator, ...]:
    """The org's outside collaborators, then (only when there are any) what each holds in
    every repository in scope: one org-wide list first, per-repository lists only if needed."""
    listed = scan.api.list_all(f"/orgs/{scan.org}/outside_collaborators")
    if not listed:
        return ()

    def read(repo: inv.Repo) -> _Listed:
        path = f"/repos/{repo.full_name}/collaborators"
        return repo.full_name, scan.api.list_all(path, {"affiliation": "outside"}), None

    def failed(repo: inv.Repo, why: str) -> _Listed:
        return repo.full_name, [], why

    grants: dict[str, list[inv.RepoGrant]] = {}
    unread: list[str] = []
    for repo, collaborators, why in each_repo(scan, got, inv.OUTSIDE_COLLABORATORS, read, failed):
        if why is not None:
            unread.append(f"{repo}: {why}")
        for c in collaborators:
            grants.setdefault(str(c["login"]), []).append(
                inv.RepoGrant(repo=repo, permission=permission_of(c))
            )
    return tuple(
        inv.OutsideCollaborator(
            login=str(raw["login"]),
            id=int(raw["id"]),
            node_id=raw.get("node_id"),
            url=str(raw["url"]),
            grants=tuple(grants.get(str(raw["login"]), ())),
            unreadable=tuple(unread),
        )
        for raw in sorted(listed, key=lambda r: str(r.get("login", "")).lower())
    )
