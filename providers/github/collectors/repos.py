"""The repositories in scope, what guards their default branch, and their CODEOWNERS file.

Wire format: GitHub REST OpenAPI (github/rest-api-description, api.github.com 2022-11-28):
`repos/list-for-org` (minimal-repository), `repos/get-branch-protection` (branch-protection;
404 "Branch not protected" when there is none), `repos/get-branch-rules`
(repository-rule-detailed: the active rules of every ruleset that applies to the branch),
`repos/get-repo-ruleset` (repository-ruleset with `bypass_actors`), `repos/get-content`.
"""

from __future__ import annotations

import threading
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import quote

from providers.github.collectors._scan import OrgScan, each_repo, flag, unreadable
from providers.github.errors import GithubAuthError, GithubCallError
from scanner.collection import Collected
from scanner.config.github import RepositorySelection
from scanner.inventory import github as inv

NOT_PROTECTED = "branch not protected"
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where GitHub looks for CODEOWNERS, in the order it looks."""


def _status(analysis: Any, key: str) -> str | None:
    value = analysis.get(key) if isinstance(analysis, dict) else None
    status = value.get("status") if isinstance(value, dict) else None
    return str(status) if isinstance(status, str) else None


def parse_repo(raw: dict[str, Any]) -> inv.Repo:
    permissions = raw.get("permissions")
    admin = permissions.get("admin") if isinstance(permissions, dict) else None
    analysis = raw.get("security_and_analysis")
    topics = raw.get("topics")
    return inv.Repo(
        name=str(raw["name"]),
        full_name=str(raw["full_name"]),
        id=int(raw["id"]),
        node_id=raw.get("node_id"),
        url=str(raw["url"]),
        html_url=raw.get("html_url"),
        default_branch=str(raw.get("default_branch") or "main"),
        private=flag(raw, "private", True),
        visibility=raw.get("visibility"),
        archived=flag(raw, "archived"),
        fork=flag(raw, "fork"),
        topics=tuple(str(t) for t in topics) if isinstance(topics, list) else (),
        admin=admin if isinstance(admin, bool) else None,
        secret_scanning=_status(analysis, "secret_scanning"),
        secret_scanning_push_protection=_status(analysis, "secret_scanning_push_protection"),
    )


def in_scope(repo: inv.Repo, selection: RepositorySelection) -> bool:
    if (repo.archived and not selection.include_archived) or (
        repo.fork and not selection.include_forks
    ):
        return False
    if not selection.names and not selection.topics:
        return True
    by_name = any(fnmatchcase(repo.name.lower(), g.lower()) for g in selection.names)
    by_topic = bool({t.lower() for t in selection.topics} & {t.lower() for t in repo.topics})
    return by_name or by_topic


def fetch_repos(scan: OrgScan) -> tuple[inv.Repo, ...]:
    raw = scan.api.list_all(f"/orgs/{scan.org}/repos", {"type": "all"})
    repos = (parse_repo(r) for r in raw)
    chosen = [r for r in repos if in_scope(r, scan.settings.repositories)]
    return tuple(sorted(chosen, key=lambda r: r.full_name.lower()))


# -- branch protection and rulesets ----------------------------------------------------------


def _enabled(raw: dict[str, Any], key: str) -> bool:
    return flag(raw.get(key), "enabled")


def parse_classic(raw: dict[str, Any]) -> inv.ClassicProtection:
    reviews = raw.get("required_pull_request_reviews")
    reviews = reviews if isinstance(reviews, dict) else None
    allowances = (reviews or {}).get("bypass_pull_request_allowances") or {}
    bypass = [
        str(who.get("login") or who.get("slug") or who.get("name"))
        for kind in ("users", "teams", "apps")
        for who in allowances.get(kind, ())
        if isinstance(who, dict)
    ]
    checks = raw.get("required_status_checks")
    contexts: tuple[str, ...] | None = None
    if isinstance(checks, dict):
        named = [c.get("context") for c in checks.get("checks", ()) if isinstance(c, dict)]
        contexts = tuple(sorted({str(c) for c in (*checks.get("contexts", ()), *named) if c}))
    return inv.ClassicProtection(
        required_reviews=reviews is not None,
        required_approving_review_count=int(
            (reviews or {}).get("required_approving_review_count") or 0
        ),
        dismiss_stale_reviews=flag(reviews, "dismiss_stale_reviews"),
        require_code_owner_reviews=flag(reviews, "require_code_owner_reviews"),
        bypass_pull_request_allowances=tuple(bypass),
        enforce_admins=_enabled(raw, "enforce_admins"),
        allow_force_pushes=_enabled(raw, "allow_force_pushes"),
        allow_deletions=_enabled(raw, "allow_deletions"),
        required_status_checks=contexts,
    )


def parse_rule(raw: dict[str, Any]) -> inv.EffectiveRule:
    given = raw.get("parameters")
    params: dict[str, Any] = given if isinstance(given, dict) else {}
    checks = params.get("required_status_checks") or ()
    return inv.EffectiveRule(
        type=str(raw["type"]),
        ruleset_id=raw.get("ruleset_id"),
        ruleset_source=raw.get("ruleset_source"),
        ruleset_source_type=raw.get("ruleset_source_type"),
        required_approving_review_count=int(params.get("required_approving_review_count") or 0),
        dismiss_stale_reviews_on_push=flag(params, "dismiss_stale_reviews_on_push"),
        require_code_owner_review=flag(params, "require_code_owner_review"),
        required_status_checks=tuple(
            str(c["context"]) for c in checks if isinstance(c, dict) and c.get("context")
        ),
    )


def parse_ruleset(raw: dict[str, Any]) -> inv.Ruleset:
    actors = raw.get("bypass_actors")
    return inv.Ruleset(
        id=int(raw["id"]),
        name=str(raw.get("name") or raw["id"]),
        source_type=raw.get("source_type"),
        source=raw.get("source"),
        # Absent: GitHub shows bypass actors only to those who may edit the ruleset.
        bypass_actors=None
        if not isinstance(actors, list)
        else tuple(
            inv.BypassActor(
                actor_type=str(a.get("actor_type")),
                actor_id=a.get("actor_id"),
                bypass_mode=str(a.get("bypass_mode") or "always"),
            )
            for a in actors
            if isinstance(a, dict)
        ),
    )


class RulesetCache:
    """Organisation rulesets apply to many repositories: each is read once per scan."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[int, inv.Ruleset] = {}

    def get(
        self, scan: OrgScan, repo: inv.Repo, ruleset_id: int, source_type: str | None
    ) -> inv.Ruleset:
        with self._lock:
            if ruleset_id in self._seen:
                return self._seen[ruleset_id]
        try:
            raw = scan.api.get_json(
                f"/repos/{repo.full_name}/rulesets/{ruleset_id}", {"includes_parents": "true"}
            )
        except GithubCallError as exc:
            if exc.status != 404 or source_type != "Organization":
                raise
            raw = scan.api.get_json(f"/orgs/{scan.org}/rulesets/{ruleset_id}")
        ruleset = parse_ruleset(raw)
        with self._lock:
            self._seen[ruleset_id] = ruleset
        return ruleset


def _branch(repo: inv.Repo) -> str:
    """The default branch as a path segment (a branch name may hold `#`, `?` or `%`)."""
    return quote(repo.default_branch, safe="/")


def _classic(scan: OrgScan, repo: inv.Repo) -> inv.ClassicProtection | None:
    path = f"/repos/{repo.full_name}/branches/{_branch(repo)}/protection"
    answer = scan.api.get(path, ok=(200, 404))
    if answer.status == 200:
        return parse_classic(answer.data)
    message = str((answer.data or {}).get("message", "")) if isinstance(answer.data, dict) else ""
    if message.strip().lower() == NOT_PROTECTED:
        return None
    # Any other 404 is GitHub hiding protection from a token without administration read.
    raise GithubCallError(path, 404, message or "Not Found")


def _effective_rules(scan: OrgScan, repo: inv.Repo) -> tuple[inv.EffectiveRule, ...]:
    path = f"/repos/{repo.full_name}/rules/branches/{_branch(repo)}"
    try:
        return tuple(parse_rule(r) for r in scan.api.list_all(path))
    except GithubCallError as exc:
        # The effective rules need only read access, which listing the repository showed: a
        # 404 is a server without rulesets (GitHub Enterprise Server before 3.11), no rules.
        if exc.status == 404:
            return ()
        raise


def _branch_rules(scan: OrgScan, repo: inv.Repo, cache: RulesetCache) -> inv.BranchRules:
    unread: list[str] = []
    classic: inv.ClassicProtection | None = None
    rules: tuple[inv.EffectiveRule, ...] = ()
    rulesets: list[inv.Ruleset] = []
    try:
        classic = _classic(scan, repo)
    except GithubAuthError:
        raise
    except GithubCallError as exc:
        unread.append(f"classic branch protection {unreadable(inv.BRANCH_RULES, exc)}")
    try:
        rules = _effective_rules(scan, repo)
    except GithubAuthError:
        raise
    except GithubCallError as exc:
        unread.append(f"branch rules {unreadable(inv.BRANCH_RULES, exc)}")
    sources = {r.ruleset_id: r.ruleset_source_type for r in rules if r.ruleset_id is not None}
    for ruleset_id, source_type in sorted(sources.items()):
        try:
            rulesets.append(cache.get(scan, repo, ruleset_id, source_type))
        except GithubAuthError:
            raise
        except GithubCallError as exc:
            unread.append(f"ruleset {ruleset_id} {unreadable(inv.BRANCH_RULES, exc)}")
    return inv.BranchRules(
        repo=repo.full_name,
        branch=repo.default_branch,
        classic=classic,
        rules=rules,
        rulesets=tuple(rulesets),
        unreadable=tuple(unread),
    )


def fetch_branch_rules(scan: OrgScan, got: Collected) -> tuple[inv.BranchRules, ...]:
    cache = RulesetCache()
    return each_repo(
        scan,
        got,
        inv.BRANCH_RULES,
        lambda repo: _branch_rules(scan, repo, cache),
        lambda repo, why: inv.BranchRules(
            repo=repo.full_name, branch=repo.default_branch, unreadable=(why,)
        ),
    )


def _codeowners(scan: OrgScan, repo: inv.Repo) -> inv.Codeowners:
    for path in CODEOWNERS_PATHS:
        answer = scan.api.get(
            f"/repos/{repo.full_name}/contents/{path}", {"ref": repo.default_branch}, ok=(200, 404)
        )
        if answer.status == 200:
            return inv.Codeowners(repo=repo.full_name, path=path)
    return inv.Codeowners(repo=repo.full_name)


def fetch_codeowners(scan: OrgScan, got: Collected) -> tuple[inv.Codeowners, ...]:
    return each_repo(
        scan,
        got,
        inv.CODEOWNERS,
        lambda repo: _codeowners(scan, repo),
        lambda repo, why: inv.Codeowners(repo=repo.full_name, unreadable=why),
    )
