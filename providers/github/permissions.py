"""What each GitHub collection requests, and the token scopes and permissions it needs.

The one table: each collection's `needs` (providers.github.collections), the `missing` of its
access-denied outcomes and of per-repository errors, `posture permissions --provider github`
and docs/github.md come from `NEEDS`; a test scans the fake org and maps every request it logged
back to a call declared here. Every call is a GET; the only POST is a GitHub App's
installation-token request. No SDK imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.inventory import github as inv

_SEG = r"[^/?]+"
_REPO = rf"/repos/{_SEG}/{_SEG}"
OWNER = "organization owner"
TOKEN_REQUEST = r"/app/installations/[0-9]+/access_tokens"


@dataclass(frozen=True)
class Need:
    fine_grained: tuple[str, ...]
    """Fine-grained personal access token permissions (read-only), as GitHub's UI names them."""
    app: tuple[str, ...]
    """GitHub App permissions (the `permissions` keys of an installation), read level."""
    classic: tuple[str, ...]
    """Classic personal access token scopes."""
    calls: tuple[str, ...]
    """GET paths below the API root (regular expressions; the query string is ignored)."""
    role: str | None = None
    """The org role GitHub asks for on top (owners alone see 2FA settings)."""

    @property
    def missing(self) -> str:
        role = f"; the token's user must be an {self.role}" if self.role else ""
        return (
            f"{' and '.join(self.fine_grained)} (fine-grained token; GitHub App: "
            f"{', '.join(f'{a}=read' for a in self.app)}; classic token: "
            f"{' or '.join(self.classic)} scope{role})"
        )

    def matches(self, path: str) -> bool:
        bare = path.split("?", 1)[0]
        return any(re.fullmatch(call, bare) for call in self.calls)


_ORG_ADMIN = "Organization administration: read"
_MEMBERS = "Members: read"
_REPO_ADMIN = "Administration: read"
_METADATA = "Metadata: read"

NEEDS: dict[str, Need] = {
    inv.ORG: Need(
        (_ORG_ADMIN,), ("organization_administration",), ("read:org",), (rf"/orgs/{_SEG}",), OWNER
    ),
    inv.MEMBERS: Need((_MEMBERS,), ("members",), ("read:org",), (rf"/orgs/{_SEG}/members",)),
    inv.OWNERS: Need((_MEMBERS,), ("members",), ("read:org",), (rf"/orgs/{_SEG}/members",)),
    # ?filter=2fa_disabled is answered to owners only.
    inv.MEMBERS_WITHOUT_2FA: Need(
        (_MEMBERS,), ("members",), ("read:org",), (rf"/orgs/{_SEG}/members",), OWNER
    ),
    inv.OUTSIDE_COLLABORATORS: Need(
        (_MEMBERS, _METADATA),
        ("members", "metadata"),
        ("read:org", "repo"),
        (rf"/orgs/{_SEG}/outside_collaborators", rf"{_REPO}/collaborators"),
    ),
    inv.REPOS: Need((_METADATA,), ("metadata",), ("repo",), (rf"/orgs/{_SEG}/repos",)),
    # Classic protection and the rulesets' bypass lists need administration read; the
    # effective rules need only metadata read.
    inv.BRANCH_RULES: Need(
        (_REPO_ADMIN, _METADATA),
        ("administration", "metadata"),
        ("repo",),
        (
            rf"{_REPO}/branches/{_SEG}/protection",
            rf"{_REPO}/rules/branches/{_SEG}",
            rf"{_REPO}/rulesets/[0-9]+",
            rf"/orgs/{_SEG}/rulesets/[0-9]+",
        ),
    ),
    inv.CODEOWNERS: Need(("Contents: read",), ("contents",), ("repo",), (rf"{_REPO}/contents/.+",)),
    inv.MERGED_PULLS: Need(
        ("Pull requests: read",),
        ("pull_requests",),
        ("repo",),
        (rf"{_REPO}/pulls", rf"{_REPO}/pulls/[0-9]+", rf"{_REPO}/pulls/[0-9]+/reviews"),
    ),
    # security_and_analysis is shown to repository admins only.
    inv.SECURITY_ANALYSIS: Need((_REPO_ADMIN,), ("administration",), ("repo",), (_REPO,)),
    inv.VULNERABILITY_ALERTS: Need(
        (_REPO_ADMIN,), ("administration",), ("repo",), (rf"{_REPO}/vulnerability-alerts",)
    ),
    # One org-wide list when the token may read it (owners, security managers), else per repo.
    inv.DEPENDABOT_ALERTS: Need(
        ("Dependabot alerts: read",),
        ("vulnerability_alerts",),
        ("security_events", "repo"),
        (rf"/orgs/{_SEG}/dependabot/alerts", rf"{_REPO}/dependabot/alerts"),
    ),
    inv.DEPLOY_KEYS: Need((_REPO_ADMIN,), ("administration",), ("repo",), (rf"{_REPO}/keys",)),
}

DEPENDS: dict[str, tuple[str, ...]] = {
    name: (inv.REPOS,)
    for name in (
        inv.OUTSIDE_COLLABORATORS,
        inv.BRANCH_RULES,
        inv.CODEOWNERS,
        inv.MERGED_PULLS,
        inv.SECURITY_ANALYSIS,
        inv.VULNERABILITY_ALERTS,
        inv.DEPENDABOT_ALERTS,
        inv.DEPLOY_KEYS,
    )
}
DEPENDS[inv.DEPENDABOT_ALERTS] = (inv.REPOS, inv.VULNERABILITY_ALERTS)
"""Per-repository collections read the repositories in scope first; Dependabot alerts are not
asked of repositories whose alerts are off (dependabot_alerts_disabled reports those)."""


def needed(collections: Iterable[str]) -> list[str]:
    """The NEEDS keys a scan of `collections` reads, in table order (the org always)."""
    wanted = {c for c in collections if c in NEEDS}
    wanted.update(d for c in list(wanted) for d in DEPENDS.get(c, ()))
    if wanted:
        wanted.add(inv.ORG)
    return [c for c in NEEDS if c in wanted]


def _union(keys: list[str], attr: str) -> list[str]:
    return sorted({p for c in keys for p in getattr(NEEDS[c], attr)})


def render(collections: frozenset[str]) -> str:
    """`posture permissions --provider github`: what a read-only token or App needs."""
    keys = needed(collections)
    if not keys:
        return "The selected checks read nothing from GitHub.\n"

    def used_by(attr: str, value: str) -> str:
        return ", ".join(c for c in keys if value in getattr(NEEDS[c], attr))

    owners = [c for c in keys if NEEDS[c].role == OWNER]
    lines = [
        "GitHub (REST API v3, read only). Give the token or App exactly these:",
        "",
        "Fine-grained personal access token (resource owner: the organisation, all repositories):",
        *(f"  {p:38} {used_by('fine_grained', p)}" for p in _union(keys, "fine_grained")),
        "",
        "GitHub App (installed on the organisation), read-only permissions:",
        *(f"  {p + ': read':38} {used_by('app', p)}" for p in _union(keys, "app")),
        "",
        "Classic personal access token scopes:",
        *(f"  {p:38} {used_by('classic', p)}" for p in _union(keys, "classic")),
    ]
    if owners:
        lines += [
            "",
            f"The token's user must be an {OWNER} for: {', '.join(owners)}",
            "  (GitHub shows the 2FA requirement and the members without 2FA to owners only).",
        ]
    lines += [
        "",
        "A missing permission makes the checks that read it report error, naming it;",
        "classic branch protection's 404 counts as 'not protected' only when it says so.",
    ]
    return "\n".join(lines) + "\n"
