"""The change population: pull requests merged into the default branch inside the window, and
who approved each.

Wire format: GitHub REST OpenAPI (github/rest-api-description, api.github.com 2022-11-28):
`pulls/list` (pull-request-simple: `merged_at`, `user`; `state`, `base`, `sort`, `direction`)
and `pulls/list-reviews` (pull-request-review: `user`, `state`, `submitted_at`). The list has no
`merged_by`; it is read from `pulls/get` only for the pull requests merged without approval.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from providers.github.collectors._scan import OrgScan, each_repo, login_of, when
from providers.github.errors import GithubAuthError, GithubCallError
from scanner.collection import Collected
from scanner.inventory import github as inv

_SETTLED = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})
"""Review states that replace a reviewer's earlier verdict; COMMENTED and PENDING do not."""


def approvers(reviews: list[dict[str, Any]], author: str | None) -> tuple[str, ...]:
    """Reviewers other than the author whose latest verdict is APPROVED (GitHub's own rule:
    a later change request or a dismissal replaces an approval, a comment does not)."""
    latest: dict[str, str] = {}
    ordered = sorted(reviews, key=lambda r: str(r.get("submitted_at") or ""))
    for review in ordered:
        who, state = login_of(review.get("user")), str(review.get("state") or "")
        if who is None or state not in _SETTLED:
            continue
        latest[who] = state
    author_key = (author or "").lower()
    return tuple(
        sorted(w for w, s in latest.items() if s == "APPROVED" and w.lower() != author_key)
    )


def _descending(page: list[dict[str, Any]]) -> bool:
    stamps = [str(p.get("updated_at") or "") for p in page]
    return stamps == sorted(stamps, reverse=True)


def _merged_since(scan: OrgScan, repo: inv.Repo, since: datetime) -> list[dict[str, Any]]:
    """Closed pull requests into the default branch merged since `since`. Sorted by update,
    newest first: a pull request's update is never before its merge, so paging stops at a page
    updated wholly before the window (only when GitHub did sort it)."""
    found: list[dict[str, Any]] = []
    params = {
        "state": "closed",
        "base": repo.default_branch,
        "sort": "updated",
        "direction": "desc",
    }
    for page in scan.api.pages(f"/repos/{repo.full_name}/pulls", params):
        for raw in page:
            merged = when(raw.get("merged_at"))
            base = (raw.get("base") or {}).get("ref", repo.default_branch)
            if merged is not None and merged >= since and base == repo.default_branch:
                found.append(raw)
        updated = [when(p.get("updated_at")) for p in page]
        if page and _descending(page) and all(u is not None and u < since for u in updated):
            break
    return found


def _merger(scan: OrgScan, repo: inv.Repo, number: int) -> str | None:
    """Who merged an unapproved pull request, for the evidence: the verdict does not rest on
    it, so a refusal leaves it unknown rather than the repository unjudged."""
    try:
        answer = scan.api.get_json(f"/repos/{repo.full_name}/pulls/{number}")
    except GithubAuthError:
        raise
    except GithubCallError:
        return None
    return login_of(answer.get("merged_by")) if isinstance(answer, dict) else None


def _changes(scan: OrgScan, repo: inv.Repo, since: datetime) -> inv.RepoChanges:
    pulls: list[inv.MergedPull] = []
    for raw in _merged_since(scan, repo, since):
        number = int(raw["number"])
        author = login_of(raw.get("user"))
        reviews = scan.api.list_all(f"/repos/{repo.full_name}/pulls/{number}/reviews")
        approved = approvers(reviews, author)
        merged_by = login_of(raw.get("merged_by"))
        if not approved and merged_by is None:
            merged_by = _merger(scan, repo, number)
        merged_at = when(raw.get("merged_at"))
        assert merged_at is not None
        pulls.append(
            inv.MergedPull(
                repo=repo.full_name,
                number=number,
                title=str(raw.get("title") or "")[:200],
                url=str(raw["url"]),
                html_url=raw.get("html_url"),
                author=author,
                merged_by=merged_by,
                merged_at=merged_at,
                approvers=approved,
            )
        )
    pulls.sort(key=lambda p: p.number)
    return inv.RepoChanges(
        repo=repo.full_name, branch=repo.default_branch, since=since, pulls=tuple(pulls)
    )


def fetch_merged_pulls(scan: OrgScan, got: Collected) -> tuple[inv.RepoChanges, ...]:
    since = scan.now - timedelta(days=scan.settings.thresholds.change_window_days)
    return each_repo(
        scan,
        got,
        inv.MERGED_PULLS,
        lambda repo: _changes(scan, repo, since),
        lambda repo, why: inv.RepoChanges(
            repo=repo.full_name, branch=repo.default_branch, since=since, unreadable=why
        ),
    )
