"""The GitHub inventory: one organisation, its members and the repositories in scope.

Built by providers.github, read by checks.github. No SDK imports here. A per-repository read
that GitHub refused (a token without administration read, say) is kept as `unreadable` on that
repository's item, naming what is missing: the checks report those repositories as errors and
never read the absence as a pass.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from scanner.models.inventory import Frozen, Inventory

# Collection names: checks declare them in `requires`, the adapter records their outcomes.
ORG = "github.org"
MEMBERS = "github.members"
OWNERS = "github.owners"
MEMBERS_WITHOUT_2FA = "github.members_without_2fa"
OUTSIDE_COLLABORATORS = "github.outside_collaborators"
REPOS = "github.repos"
BRANCH_RULES = "github.branch_rules"
CODEOWNERS = "github.codeowners"
MERGED_PULLS = "github.merged_pulls"
SECURITY_ANALYSIS = "github.security_analysis"
VULNERABILITY_ALERTS = "github.vulnerability_alerts"
DEPENDABOT_ALERTS = "github.dependabot_alerts"
DEPLOY_KEYS = "github.deploy_keys"

WRITE_PERMISSIONS = frozenset({"admin", "maintain", "push", "write"})
"""Repository roles that can change code (push) or settings; `triage` and `pull` cannot."""


class Org(Frozen):
    """GET /orgs/{org} (organization-full)."""

    login: str
    id: int
    node_id: str | None = None
    url: str = Field(description="The org's API URL")
    name: str | None = None
    two_factor_requirement_enabled: bool | None = Field(
        None, description="Shown to organisation owners only; None: not visible to the token"
    )


class Member(Frozen):
    """A member of the organisation (simple-user from GET /orgs/{org}/members)."""

    login: str
    id: int
    node_id: str | None = None
    url: str
    email: str | None = Field(None, description="Only when GitHub shows one (public email)")


class RepoGrant(Frozen):
    repo: str = Field(description="owner/name")
    permission: str = Field(description="admin, maintain, push, triage or pull")

    @property
    def can_write(self) -> bool:
        return self.permission in WRITE_PERMISSIONS


class OutsideCollaborator(Frozen):
    """A non-member with access to repositories of the org, and what they hold in scope."""

    login: str
    id: int
    node_id: str | None = None
    url: str
    grants: tuple[RepoGrant, ...] = ()
    unreadable: tuple[str, ...] = Field(
        (), description="Repositories whose collaborators could not be read, with why"
    )


class Repo(Frozen):
    """A repository of the org (minimal-repository from GET /orgs/{org}/repos)."""

    name: str
    full_name: str
    id: int
    node_id: str | None = None
    url: str
    html_url: str | None = None
    default_branch: str
    private: bool = True
    visibility: str | None = None
    archived: bool = False
    fork: bool = False
    topics: tuple[str, ...] = ()
    admin: bool | None = Field(
        None, description="permissions.admin of the token's user; None when GitHub omits it"
    )
    secret_scanning: str | None = Field(
        None, description="security_and_analysis.secret_scanning.status when the listing has it"
    )
    secret_scanning_push_protection: str | None = None


class ClassicProtection(Frozen):
    """GET /repos/{owner}/{repo}/branches/{branch}/protection (branch-protection)."""

    required_reviews: bool = Field(description="required_pull_request_reviews is set")
    required_approving_review_count: int = 0
    dismiss_stale_reviews: bool = False
    require_code_owner_reviews: bool = False
    bypass_pull_request_allowances: tuple[str, ...] = ()
    enforce_admins: bool = False
    allow_force_pushes: bool = False
    allow_deletions: bool = False
    required_status_checks: tuple[str, ...] | None = Field(
        None, description="Contexts of required_status_checks; None when it is not set"
    )


class EffectiveRule(Frozen):
    """One active rule of GET /repos/{owner}/{repo}/rules/branches/{branch}."""

    type: str = Field(description="pull_request, required_status_checks, non_fast_forward, …")
    ruleset_id: int | None = None
    ruleset_source: str | None = None
    ruleset_source_type: str | None = Field(None, description="Repository or Organization")
    required_approving_review_count: int = 0
    dismiss_stale_reviews_on_push: bool = False
    require_code_owner_review: bool = False
    required_status_checks: tuple[str, ...] = ()


class BypassActor(Frozen):
    actor_type: str = Field(description="Integration, OrganizationAdmin, RepositoryRole, Team, …")
    actor_id: int | None = None
    bypass_mode: str = Field("always", description="always, or pull_request (through a PR)")

    def describe(self) -> str:
        who = self.actor_type if self.actor_id is None else f"{self.actor_type} {self.actor_id}"
        return f"{who} ({self.bypass_mode})"


class Ruleset(Frozen):
    """A ruleset applying to the branch (GET /repos/{owner}/{repo}/rulesets/{id})."""

    id: int
    name: str
    source_type: str | None = None
    source: str | None = None
    bypass_actors: tuple[BypassActor, ...] | None = Field(
        None, description="None: GitHub did not show them (the token cannot edit the ruleset)"
    )


class BranchRules(Frozen):
    """What guards a repository's default branch: classic protection and rulesets combined."""

    repo: str
    branch: str
    classic: ClassicProtection | None = None
    rules: tuple[EffectiveRule, ...] = ()
    rulesets: tuple[Ruleset, ...] = ()
    unreadable: tuple[str, ...] = Field(
        (),
        description="What could not be read (classic protection, rules or a ruleset), naming "
        "the missing permission; a verdict that the unread part could change is an error",
    )

    def rules_of(self, kind: str) -> tuple[EffectiveRule, ...]:
        return tuple(r for r in self.rules if r.type == kind)

    @property
    def protected(self) -> bool:
        """A branch is protected by classic protection, by an active ruleset, or by both."""
        return self.classic is not None or bool(self.rules)

    @property
    def required_reviews(self) -> bool:
        classic = self.classic is not None and self.classic.required_reviews
        return classic or bool(self.rules_of("pull_request"))

    @property
    def required_approvals(self) -> int:
        """The most approvals any source requires (every source must be satisfied)."""
        counts = [r.required_approving_review_count for r in self.rules_of("pull_request")]
        if self.classic is not None and self.classic.required_reviews:
            counts.append(self.classic.required_approving_review_count)
        return max(counts, default=0)

    @property
    def dismisses_stale_approvals(self) -> bool:
        classic = self.classic is not None and self.classic.dismiss_stale_reviews
        return classic or any(
            r.dismiss_stale_reviews_on_push for r in self.rules_of("pull_request")
        )

    @property
    def requires_code_owner_review(self) -> bool:
        classic = self.classic is not None and self.classic.require_code_owner_reviews
        return classic or any(r.require_code_owner_review for r in self.rules_of("pull_request"))

    @property
    def force_push_allowed(self) -> bool:
        blocked = self.classic is not None and not self.classic.allow_force_pushes
        return not (blocked or self.rules_of("non_fast_forward"))

    @property
    def deletion_allowed(self) -> bool:
        blocked = self.classic is not None and not self.classic.allow_deletions
        return not (blocked or self.rules_of("deletion"))

    @property
    def status_checks(self) -> tuple[str, ...]:
        found = [
            c for r in self.rules_of("required_status_checks") for c in r.required_status_checks
        ]
        if self.classic is not None and self.classic.required_status_checks:
            found.extend(self.classic.required_status_checks)
        return tuple(sorted(set(found)))

    @property
    def hidden_bypass(self) -> tuple[str, ...]:
        """Rulesets whose bypass list GitHub did not show."""
        return tuple(r.name for r in self.rulesets if r.bypass_actors is None)

    @property
    def bypassers(self) -> tuple[str, ...]:
        """Who can skip the rules: admins when classic protection does not include them, the
        classic bypass allowances, and every ruleset's bypass actors."""
        found: list[str] = []
        if self.classic is not None:
            if not self.classic.enforce_admins:
                found.append("repository administrators (classic protection: enforce_admins off)")
            found.extend(
                f"{w} (pull request bypass)" for w in self.classic.bypass_pull_request_allowances
            )
        for ruleset in self.rulesets:
            for actor in ruleset.bypass_actors or ():
                found.append(f"{actor.describe()} in ruleset {ruleset.name}")
        return tuple(found)


class Codeowners(Frozen):
    repo: str
    path: str | None = Field(None, description="Where the file is; None when there is none")
    unreadable: str | None = None


class MergedPull(Frozen):
    """A pull request merged into the default branch inside the window, with its reviews."""

    repo: str
    number: int
    title: str = ""
    url: str
    html_url: str | None = None
    author: str | None = None
    merged_by: str | None = None
    merged_at: datetime
    approvers: tuple[str, ...] = Field(
        (), description="Reviewers other than the author whose latest review is APPROVED"
    )


class RepoChanges(Frozen):
    """The change population of one repository's default branch over the window."""

    repo: str
    branch: str
    since: datetime
    pulls: tuple[MergedPull, ...] = ()
    unreadable: str | None = None


class SecurityAnalysis(Frozen):
    """security_and_analysis of GET /repos/{owner}/{repo}: shown to admins only."""

    repo: str
    secret_scanning: str | None = Field(None, description="enabled or disabled")
    secret_scanning_push_protection: str | None = None
    unreadable: str | None = None


class VulnerabilityAlerts(Frozen):
    """GET /repos/{owner}/{repo}/vulnerability-alerts: 204 enabled, 404 disabled."""

    repo: str
    enabled: bool | None = None
    unreadable: str | None = None


class DependabotAlert(Frozen):
    repo: str
    number: int
    url: str
    html_url: str | None = None
    state: str
    severity: str = Field(description="security_advisory.severity: low, medium, high, critical")
    package: str | None = None
    ghsa_id: str | None = None
    created_at: datetime


class DependabotAlerts(Frozen):
    repo: str
    alerts: tuple[DependabotAlert, ...] = ()
    unreadable: str | None = None


class DeployKey(Frozen):
    repo: str
    id: int
    title: str = ""
    url: str
    read_only: bool
    created_at: datetime | None = None
    last_used: datetime | None = None


class DeployKeys(Frozen):
    repo: str
    keys: tuple[DeployKey, ...] = ()
    unreadable: str | None = None


class GithubInventory(Inventory):
    provider: str = "github"
    api_url: str = Field("https://api.github.com", description="The REST API root scanned")
    org_url: str = Field("", description="The org's API URL (as GitHub gives it, when read)")
    org: Org | None = None
    members: tuple[Member, ...] = ()
    owners: tuple[str, ...] = Field((), description="Logins of the organisation owners")
    members_without_2fa: tuple[str, ...] = ()
    outside_collaborators: tuple[OutsideCollaborator, ...] = ()
    repos: tuple[Repo, ...] = Field((), description="The repositories in scope")
    branch_rules: tuple[BranchRules, ...] = ()
    codeowners: tuple[Codeowners, ...] = ()
    merged_pulls: tuple[RepoChanges, ...] = ()
    security_analysis: tuple[SecurityAnalysis, ...] = ()
    vulnerability_alerts: tuple[VulnerabilityAlerts, ...] = ()
    dependabot_alerts: tuple[DependabotAlerts, ...] = ()
    deploy_keys: tuple[DeployKeys, ...] = ()

    def repo(self, full_name: str) -> Repo | None:
        return next((r for r in self.repos if r.full_name == full_name), None)
