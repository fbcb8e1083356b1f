"""The GitHub checks on hand-built inventories with a fixed clock: no server, no mocks."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from checks.github.branch import (
    code_owner_review_not_required,
    default_branch_unprotected,
    force_push_or_deletion_allowed,
    no_required_status_checks,
    rules_bypassable,
    stale_approvals_not_dismissed,
    too_few_required_approvals,
)
from checks.github.changes import merged_without_approval
from checks.github.org import members_without_2fa, two_factor_not_required
from checks.github.security import dependabot_alerts_overdue, deploy_key_write_access
from fixtures import load
from providers.github.collectors.changes import approvers
from providers.github.collectors.repos import parse_classic, parse_repo, parse_rule
from scanner.check import AnyCheck, CheckContext
from scanner.config import PostureConfig
from scanner.inventory import github as inv
from scanner.models.enums import Status

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
API = "https://api.github.com"


def repo(name: str) -> inv.Repo:
    return inv.Repo(
        name=name,
        full_name=f"acme/{name}",
        id=1,
        url=f"{API}/repos/acme/{name}",
        default_branch="main",
    )


def inventory(**fields: Any) -> inv.GithubInventory:
    names = {b.repo for b in fields.get("branch_rules", ())}
    repos = tuple(repo(n.split("/")[1]) for n in sorted(names))
    return inv.GithubInventory(account="acme", repos=repos, **fields)


def verdicts(check: AnyCheck, inventory: inv.GithubInventory) -> dict[str, Status]:
    ctx = CheckContext(now=NOW, config=PostureConfig())
    return {r.resource.name: r.status for r in check.evaluate(inventory, ctx)}


FULL_CLASSIC = inv.ClassicProtection(
    required_reviews=True,
    required_approving_review_count=2,
    dismiss_stale_reviews=True,
    require_code_owner_reviews=True,
    enforce_admins=True,
    required_status_checks=("ci",),
)
RULESET_RULES = (
    inv.EffectiveRule(type="deletion", ruleset_id=7),
    inv.EffectiveRule(type="non_fast_forward", ruleset_id=7),
    inv.EffectiveRule(
        type="pull_request",
        ruleset_id=7,
        required_approving_review_count=1,
        dismiss_stale_reviews_on_push=True,
        require_code_owner_review=True,
    ),
    inv.EffectiveRule(
        type="required_status_checks", ruleset_id=7, required_status_checks=("build",)
    ),
)
CLEAN_RULESET = inv.Ruleset(id=7, name="main", bypass_actors=())


def branch(name: str, **fields: Any) -> inv.BranchRules:
    return inv.BranchRules(repo=f"acme/{name}", branch="main", **fields)


BRANCH_CHECKS = (
    default_branch_unprotected.CHECK,
    too_few_required_approvals.CHECK,
    stale_approvals_not_dismissed.CHECK,
    force_push_or_deletion_allowed.CHECK,
    no_required_status_checks.CHECK,
    rules_bypassable.CHECK,
)


def test_classic_protection_and_a_ruleset_alone_both_protect() -> None:
    inventory_ = inventory(
        branch_rules=(
            branch("classic", classic=FULL_CLASSIC),
            branch("ruleset", rules=RULESET_RULES, rulesets=(CLEAN_RULESET,)),
        )
    )
    for check in BRANCH_CHECKS:
        assert set(verdicts(check, inventory_).values()) == {Status.PASS}, check.id


def test_rules_combine_the_strongest_of_both_sources() -> None:
    weak = inv.ClassicProtection(required_reviews=True, allow_force_pushes=True)
    combined = branch("both", classic=weak, rules=RULESET_RULES, rulesets=(CLEAN_RULESET,))
    found = inventory(branch_rules=(combined,))
    assert verdicts(too_few_required_approvals.CHECK, found) == {"acme/both:main": Status.PASS}
    assert verdicts(force_push_or_deletion_allowed.CHECK, found) == {"acme/both:main": Status.PASS}
    # Classic protection without enforce_admins lets admins past it.
    assert verdicts(rules_bypassable.CHECK, found) == {"acme/both:main": Status.FAIL}


def test_an_unprotected_branch_fails_once_and_the_others_leave_it() -> None:
    found = inventory(branch_rules=(branch("open"),))
    assert verdicts(default_branch_unprotected.CHECK, found) == {"acme/open:main": Status.FAIL}
    for check in BRANCH_CHECKS[1:]:
        assert verdicts(check, found) == {}


def test_what_could_not_be_read_is_an_error_never_a_pass_or_unprotected() -> None:
    hidden = "classic branch protection needs Administration: read"
    found = inventory(
        branch_rules=(
            branch("unknown", unreadable=(hidden,)),
            branch("ruleset", rules=RULESET_RULES, rulesets=(CLEAN_RULESET,), unreadable=(hidden,)),
            branch("weak", rules=(RULESET_RULES[0],), unreadable=(hidden,)),
        )
    )
    assert verdicts(default_branch_unprotected.CHECK, found) == {
        "acme/unknown:main": Status.ERROR,
        "acme/ruleset:main": Status.PASS,
        "acme/weak:main": Status.PASS,
    }
    # The ruleset alone satisfies the approvals; for weak, classic protection might.
    assert verdicts(too_few_required_approvals.CHECK, found) == {
        "acme/ruleset:main": Status.PASS,
        "acme/weak:main": Status.ERROR,
    }
    assert verdicts(rules_bypassable.CHECK, found)["acme/ruleset:main"] is Status.ERROR


def test_a_hidden_bypass_list_is_an_error_and_bypass_actors_fail() -> None:
    hidden = inv.Ruleset(id=7, name="main", bypass_actors=None)
    admins = inv.Ruleset(
        id=7,
        name="main",
        bypass_actors=(inv.BypassActor(actor_type="OrganizationAdmin", actor_id=1),),
    )
    found = inventory(
        branch_rules=(
            branch("hidden", rules=RULESET_RULES, rulesets=(hidden,)),
            branch("admins", rules=RULESET_RULES, rulesets=(admins,)),
        )
    )
    assert verdicts(rules_bypassable.CHECK, found) == {
        "acme/hidden:main": Status.ERROR,
        "acme/admins:main": Status.FAIL,
    }


def test_code_owner_review_is_judged_only_where_codeowners_exists() -> None:
    no_owner_review = inv.ClassicProtection(
        required_reviews=True, required_approving_review_count=1
    )
    found = inventory(
        branch_rules=(
            branch("with", classic=no_owner_review),
            branch("without", classic=no_owner_review),
        ),
        codeowners=(
            inv.Codeowners(repo="acme/with", path=".github/CODEOWNERS"),
            inv.Codeowners(repo="acme/without"),
        ),
    )
    assert verdicts(code_owner_review_not_required.CHECK, found) == {"acme/with:main": Status.FAIL}


def pull(number: int, days_ago: int, approvers_: tuple[str, ...]) -> inv.MergedPull:
    return inv.MergedPull(
        repo="acme/app",
        number=number,
        url=f"{API}/repos/acme/app/pulls/{number}",
        author="dev",
        merged_by="dev",
        merged_at=NOW - timedelta(days=days_ago),
        approvers=approvers_,
    )


def test_unapproved_merges_inside_the_window_fail_and_older_ones_are_ignored() -> None:
    since = NOW - timedelta(days=90)
    old = inv.RepoChanges(repo="acme/old", branch="main", since=since, pulls=(pull(1, 200, ()),))
    bad = inv.RepoChanges(
        repo="acme/app", branch="main", since=since, pulls=(pull(2, 10, ()), pull(3, 5, ("rev",)))
    )
    ctx = CheckContext(now=NOW, config=PostureConfig())
    results = {
        r.resource.name: r
        for r in merged_without_approval.CHECK.evaluate(inventory(merged_pulls=(old, bad)), ctx)
    }
    assert results["acme/old"].status is Status.PASS
    assert results["acme/app"].status is Status.FAIL
    listed = results["acme/app"].evidence["unapproved"]
    assert isinstance(listed, list) and [p["number"] for p in listed] == [2]  # type: ignore[index]


def test_latest_review_per_reviewer_decides_and_the_author_does_not_count() -> None:
    def review(who: str, state: str, at: str) -> dict[str, Any]:
        return {"user": {"login": who}, "state": state, "submitted_at": at}

    reviews = [
        review("a", "APPROVED", "2026-01-01T00:00:00Z"),
        review("a", "COMMENTED", "2026-01-02T00:00:00Z"),
        review("b", "APPROVED", "2026-01-01T00:00:00Z"),
        review("b", "CHANGES_REQUESTED", "2026-01-03T00:00:00Z"),
        review("dev", "APPROVED", "2026-01-01T00:00:00Z"),
    ]
    assert approvers(reviews, "dev") == ("a",)


def test_two_factor_requirement_hidden_from_a_non_owner_is_an_error() -> None:
    org = inv.Org(login="acme", id=1, url=f"{API}/orgs/acme")
    found = inventory(org=org)
    assert set(verdicts(two_factor_not_required.CHECK, found).values()) == {Status.ERROR}
    on = inventory(org=org.model_copy(update={"two_factor_requirement_enabled": True}))
    assert set(verdicts(two_factor_not_required.CHECK, on).values()) == {Status.PASS}


def test_members_without_2fa_fail_and_the_others_pass() -> None:
    members = tuple(
        inv.Member(login=login, id=i, url=f"{API}/users/{login}") for i, login in enumerate("ab")
    )
    found = inventory(members=members, members_without_2fa=("b",))
    assert verdicts(members_without_2fa.CHECK, found) == {"a": Status.PASS, "b": Status.FAIL}


def test_dependabot_alerts_past_the_sla_fail_by_severity() -> None:
    def alert(number: int, severity: str, days: int) -> inv.DependabotAlert:
        return inv.DependabotAlert(
            repo="acme/app",
            number=number,
            url=f"{API}/repos/acme/app/dependabot/alerts/{number}",
            state="open",
            severity=severity,
            created_at=NOW - timedelta(days=days),
        )

    late = inv.DependabotAlerts(repo="acme/late", alerts=(alert(1, "critical", 31),))
    fine = inv.DependabotAlerts(
        repo="acme/fine", alerts=(alert(2, "high", 29), alert(3, "medium", 300))
    )
    unread = inv.DependabotAlerts(repo="acme/unread", unreadable="needs Dependabot alerts: read")
    found = inventory(dependabot_alerts=(late, fine, unread))
    assert verdicts(dependabot_alerts_overdue.CHECK, found) == {
        "acme/late": Status.FAIL,
        "acme/fine": Status.PASS,
        "acme/unread": Status.ERROR,
    }


def test_deploy_keys_that_can_push_fail() -> None:
    def key(kid: int, read_only: bool) -> inv.DeployKey:
        return inv.DeployKey(repo="acme/a", id=kid, url=f"{API}/keys/{kid}", read_only=read_only)

    found = inventory(
        deploy_keys=(
            inv.DeployKeys(repo="acme/a", keys=(key(1, True), key(2, False))),
            inv.DeployKeys(repo="acme/b", keys=(key(3, True),)),
        )
    )
    assert verdicts(deploy_key_write_access.CHECK, found) == {
        "acme/a": Status.FAIL,
        "acme/b": Status.PASS,
    }


def test_an_odd_decisive_flag_is_an_error_never_the_passing_reading() -> None:
    protection = load("github/acme/repos/api.json")["branch_protection"]
    for path in (
        ("allow_force_pushes", "enabled"),
        ("enforce_admins", "enabled"),
        ("required_pull_request_reviews", "dismiss_stale_reviews"),
    ):
        odd = copy.deepcopy(protection)
        odd[path[0]][path[1]] = "false"
        with pytest.raises(ValueError, match=path[1]):
            parse_classic(odd)
    rule = load("github/acme/repos/web.json")["rules"][2]
    rule["parameters"]["dismiss_stale_reviews_on_push"] = 1
    with pytest.raises(ValueError, match="dismiss_stale_reviews_on_push"):
        parse_rule(rule)
    repo = load("github/acme/repos.json")[0]
    repo["archived"] = "no"
    with pytest.raises(ValueError, match="archived"):
        parse_repo(repo)
