"""What each Okta collection requests, and the OAuth scopes and least admin role it needs.

The one table: each collection's `needs` (providers.okta.collections), the `missing` of its
access-denied and not-available outcomes, `posture permissions --provider okta` and docs/okta.md
come from `NEEDS`, and a test scans the fake org and maps every request it logged back to a call
declared here. No SDK imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.inventory import okta as inv

READ_ONLY = "Read-Only Administrator"
SUPER = "Super Administrator"
_ID = r"[^/?]+"


@dataclass(frozen=True)
class Need:
    role: str
    """The least admin role with which Okta answers the calls in full."""
    scopes: tuple[str, ...]
    calls: tuple[str, ...]
    """GET paths under the org URL (regular expressions, query string included where it matters)."""
    feature: str
    """What the org lacks when it answers 404 (or offers no such thing): a not-available outcome
    names it."""

    @property
    def missing(self) -> str:
        return f"{self.role} role (OAuth scope {' and '.join(self.scopes)})"

    def matches(self, path: str) -> bool:
        return any(re.fullmatch(call + r"(?:[?&].*)?", path) for call in self.calls)


NEEDS: dict[str, Need] = {
    inv.USERS: Need(
        READ_ONLY,
        ("okta.users.read",),
        (r"/api/v1/users", rf"/api/v1/users/{_ID}"),
        "the Users API",
    ),
    # /api/v1/users/{id}: after a per-user 404, whether the user left during the scan.
    inv.FACTORS: Need(
        READ_ONLY,
        ("okta.users.read",),
        (rf"/api/v1/users/{_ID}/factors", rf"/api/v1/users/{_ID}"),
        "the Factors API",
    ),
    inv.ADMIN_ROLES: Need(
        SUPER,
        ("okta.roles.read", "okta.users.read"),
        (r"/api/v1/iam/assignees/users", rf"/api/v1/users/{_ID}/roles", rf"/api/v1/users/{_ID}"),
        "the role assignment API",
    ),
    inv.GROUP_ROLES: Need(
        SUPER,
        ("okta.groups.read", "okta.roles.read"),
        (rf"/api/v1/groups/{_ID}", rf"/api/v1/groups/{_ID}/roles", rf"/api/v1/groups/{_ID}/users"),
        "the role assignment API",
    ),
    inv.PASSWORD_POLICIES: Need(
        READ_ONLY,
        ("okta.policies.read",),
        (r"/api/v1/policies\?type=PASSWORD",),
        "password policies",
    ),
    inv.SESSION_POLICIES: Need(
        READ_ONLY,
        ("okta.policies.read",),
        (r"/api/v1/policies\?type=OKTA_SIGN_ON", rf"/api/v1/policies/{_ID}/rules"),
        "global session policies",
    ),
    # Below Super Administrator, /api/v1/apps leaves the first-party apps (saasure,
    # okta_enduser) out, and only the app's own link names the policy bound to it.
    inv.APP_ACCESS_POLICIES: Need(
        SUPER,
        ("okta.apps.read", "okta.policies.read"),
        (
            r"/api/v1/apps\?filter=.*",
            rf"/api/v1/policies/{_ID}",
            rf"/api/v1/policies/{_ID}/rules",
        ),
        "Identity Engine authentication policies",
    ),
    inv.AUTHENTICATORS: Need(
        READ_ONLY,
        ("okta.authenticators.read",),
        (r"/api/v1/authenticators", rf"/api/v1/authenticators/{_ID}/methods"),
        "Identity Engine authenticators",
    ),
    inv.API_TOKENS: Need(
        SUPER, ("okta.apiTokens.read",), (r"/api/v1/api-tokens",), "the API token API"
    ),
    inv.LOG_STREAMS: Need(
        READ_ONLY, ("okta.logStreams.read",), (r"/api/v1/logStreams",), "log streaming"
    ),
    inv.THREAT_INSIGHT: Need(
        READ_ONLY,
        ("okta.threatInsights.read",),
        (r"/api/v1/threats/configuration",),
        "ThreatInsight",
    ),
    inv.NETWORK_ZONES: Need(
        READ_ONLY, ("okta.networkZones.read",), (r"/api/v1/zones",), "network zones"
    ),
}

DEPENDS: dict[str, tuple[str, ...]] = {
    inv.FACTORS: (inv.USERS,),
    inv.GROUP_ROLES: (inv.ADMIN_ROLES,),
}
"""Factors are read per user, so the users are listed first; group roles are read only for
the groups the role holders' assignments name."""

TOKEN_REQUEST = "/oauth2/v1/token"
"""The OAuth access-token request of a service app (POST; needs no scope of its own)."""


def needed(collections: Iterable[str]) -> list[str]:
    """The NEEDS keys a scan of `collections` reads, in table order."""
    wanted = {c for c in collections if c in NEEDS}
    wanted.update(d for c in list(wanted) for d in DEPENDS.get(c, ()))
    return [c for c in NEEDS if c in wanted]


def scopes(collections: Iterable[str]) -> list[str]:
    return sorted({s for c in needed(collections) for s in NEEDS[c].scopes})


def least_role(collections: Iterable[str]) -> str | None:
    roles = {NEEDS[c].role for c in needed(collections)}
    if not roles:
        return None
    return SUPER if SUPER in roles else READ_ONLY


def render(collections: frozenset[str]) -> str:
    """`posture permissions --provider okta`: the scopes to grant and the admin role to assign."""
    keys = needed(collections)
    if not keys:
        return "The selected checks read nothing from Okta.\n"
    granted = scopes(keys)
    role = least_role(keys)
    super_only = [c for c in keys if NEEDS[c].role == SUPER]
    lines = [
        "Okta API Services app (OAuth 2.0, private key JWT): grant these read-only scopes",
        "and assign the admin role below (Okta requires both).",
        "",
        "OAuth scopes:",
        *(f"  {s:28} {', '.join(c for c in keys if s in NEEDS[c].scopes)}" for s in granted),
        "",
        f"Admin role: {role}",
    ]
    if super_only and len(super_only) < len(keys):
        lines.append(
            f"  only for {', '.join(super_only)}; with {READ_ONLY} the checks that read"
            " those report error and the rest run"
        )
    lines += [
        "",
        "posture.yaml (okta.orgs[]):",
        f"  scopes: [{', '.join(granted)}]",
    ]
    return "\n".join(lines) + "\n"
