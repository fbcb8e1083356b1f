"""Resource references for GitHub findings: uids are GitHub's API URLs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from scanner.check import CheckResult, error, fail, passed
from scanner.inventory.github import BranchRules, GithubInventory, Repo
from scanner.models.findings import Resource


def org(inv: GithubInventory, setting: str) -> Resource:
    url = inv.org_url or f"{inv.api_url}/orgs/{inv.account}"
    return Resource(uid=f"{url}#{setting}", type="GitHub::Organization", name=inv.account)


def user(inv: GithubInventory, login: str, url: str | None = None) -> Resource:
    found = next((m.url for m in inv.members if m.login.lower() == login.lower()), None)
    uid = url or found or f"{inv.api_url}/users/{login}"
    return Resource(uid=uid, type="GitHub::User", name=login)


def repo(inv: GithubInventory, full_name: str) -> Resource:
    found: Repo | None = inv.repo(full_name)
    uid = found.url if found else f"{inv.api_url}/repos/{full_name}"
    return Resource(uid=uid, type="GitHub::Repository", name=full_name)


def branch(inv: GithubInventory, rules: BranchRules) -> Resource:
    base = repo(inv, rules.repo).uid
    return Resource(
        uid=f"{base}/branches/{rules.branch}",
        type="GitHub::Branch",
        name=f"{rules.repo}:{rules.branch}",
    )


def unreadable(resource: Resource, what: str, why: str) -> CheckResult:
    """A repository whose data GitHub did not give: an error naming what is missing."""
    return error(resource, f"Not evaluated: {what} could not be read ({why}).")


def branch_evidence(rules: BranchRules) -> dict[str, object]:
    return {
        "classic_protection": rules.classic is not None,
        "rulesets": [r.name for r in rules.rulesets]
        or sorted({r.ruleset_source or "" for r in rules.rules if r.ruleset_source}),
        "unreadable": list(rules.unreadable),
    }


def protected_branches(inv: GithubInventory) -> Iterator[BranchRules]:
    """Default branches protected by classic protection or a ruleset; the unprotected (and the
    unreadable ones) are default_branch_unprotected's."""
    for rules in inv.branch_rules:
        if rules.protected:
            yield rules


def branch_verdict(
    inv: GithubInventory,
    rules: BranchRules,
    ok: bool,
    pass_message: str,
    fail_message: str,
    evidence: Mapping[str, object],
) -> CheckResult:
    """Pass when what was read satisfies the rule; otherwise fail, or error when a part GitHub
    did not show (classic protection, a ruleset) could still satisfy it."""
    resource = branch(inv, rules)
    shown = {**branch_evidence(rules), **evidence}
    if ok:
        return passed(resource, pass_message, evidence=shown)
    if rules.unreadable:
        return error(
            resource,
            f"Not evaluated: {fail_message} But not all of it could be read: "
            f"{'; '.join(rules.unreadable)}.",
            evidence=shown,
        )
    return fail(resource, fail_message, evidence=shown)
