"""Every GitHub collection, declared once, in the order a scan reports them.

Each names its GithubInventory field, its entry of the one table of permissions and calls
(providers.github.permissions.NEEDS), its fetch and what it runs after: the per-repository
collections read the repositories in scope first. All are read once per organisation, each
into the org's own inventory; the per-repository ones fan out over a bounded pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from providers.github.collectors import changes, org, repos, security
from providers.github.collectors._scan import OrgScan
from providers.github.errors import GithubAuthError, outcome_for
from providers.github.permissions import DEPENDS, NEEDS, Need
from scanner.collection import AnyCollection, Collected, Collection, Recorder, by_name
from scanner.inventory import github as inv
from scanner.inventory.github import GithubInventory
from scanner.models.inventory import CollectionOutcome
from scanner.progress import ProgressSink

GithubFetch = Callable[[OrgScan, Collected], Any]
GithubCollection = Collection[Need]


def github_collection(
    name: str, field: str, fetch: GithubFetch, always: bool = False
) -> GithubCollection:
    return Collection(
        name=name,
        inventory=GithubInventory,
        fields=(field,),
        needs=NEEDS[name],
        fetch=fetch,
        after=DEPENDS.get(name, ()),
        always=always,
    )


def _org_only(fetch: Callable[[OrgScan], Any]) -> GithubFetch:
    """A fetch that reads nothing collected before it."""
    return lambda scan, _got: fetch(scan)


COLLECTIONS: tuple[GithubCollection, ...] = (
    github_collection(inv.ORG, "org", _org_only(org.fetch_org), always=True),
    github_collection(inv.MEMBERS, "members", _org_only(org.fetch_members)),
    github_collection(inv.OWNERS, "owners", _org_only(org.fetch_owners)),
    github_collection(
        inv.MEMBERS_WITHOUT_2FA, "members_without_2fa", _org_only(org.fetch_members_without_2fa)
    ),
    github_collection(inv.REPOS, "repos", _org_only(repos.fetch_repos)),
    github_collection(
        inv.OUTSIDE_COLLABORATORS, "outside_collaborators", org.fetch_outside_collaborators
    ),
    github_collection(inv.BRANCH_RULES, "branch_rules", repos.fetch_branch_rules),
    github_collection(inv.CODEOWNERS, "codeowners", repos.fetch_codeowners),
    github_collection(inv.MERGED_PULLS, "merged_pulls", changes.fetch_merged_pulls),
    github_collection(inv.SECURITY_ANALYSIS, "security_analysis", security.fetch_security_analysis),
    github_collection(
        inv.VULNERABILITY_ALERTS, "vulnerability_alerts", security.fetch_vulnerability_alerts
    ),
    github_collection(inv.DEPENDABOT_ALERTS, "dependabot_alerts", security.fetch_dependabot_alerts),
    github_collection(inv.DEPLOY_KEYS, "deploy_keys", security.fetch_deploy_keys),
)
BY_NAME = by_name(COLLECTIONS)


def classify(collection: AnyCollection, scope: str | None, exc: Exception) -> CollectionOutcome:
    need: Need = collection.needs
    return outcome_for(collection.name, exc, need)


def recorder(progress: ProgressSink | None = None) -> Recorder:
    """Records GitHub outcomes; rejected credentials end the scan rather than one collection."""
    return Recorder(classify, progress, reraise=(GithubAuthError,))
