"""Pull requests merged into the default branch without an approving review by someone else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.github import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.github import MERGED_PULLS, REPOS, GithubInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="github.changes.merged_without_approval",
    title="Changes merged without an independent approval",
    severity=Severity.HIGH,
    category=Category.GOVERNANCE,
    soc2=("CC8.1",),
    remediation="Review each listed change after the fact and record the review; then require "
    "an approving review on the default branch so every change is approved before it ships.",
    requires=(MERGED_PULLS, REPOS),
    description="Every pull request merged into the default branch in the last "
    "github.thresholds.change_window_days (default 90) days needs an approval by someone other "
    "than its author (a reviewer's latest review decides: a later change request or dismissal "
    "replaces an approval). The evidence lists the exceptions (number, author, merger, merged "
    "at) and the population's size, for an auditor to sample.",
)


def evaluate(inventory: GithubInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    window = ctx.config.github.thresholds.change_window_days
    since = ctx.now - timedelta(days=window)
    for changes in inventory.merged_pulls:
        resource = resources.repo(inventory, changes.repo)
        if changes.unreadable is not None:
            yield resources.unreadable(
                resource, f"the pull requests merged into {changes.repo}", changes.unreadable
            )
            continue
        merged = [p for p in changes.pulls if since <= p.merged_at <= ctx.now]
        unapproved = [p for p in merged if not p.approvers]
        listed = [
            {
                "number": p.number,
                "title": p.title,
                "author": p.author,
                "merged_by": p.merged_by,
                "merged_at": p.merged_at.isoformat(),
                "url": p.html_url or p.url,
            }
            for p in unapproved
        ]
        numbers = ", ".join(f"#{p.number}" for p in unapproved)
        yield pass_or_fail(
            resource,
            not unapproved,
            f"All {len(merged)} pull request(s) merged into {changes.repo}:{changes.branch} in "
            f"the last {window} days were approved by someone other than the author.",
            f"{len(unapproved)} of {len(merged)} pull request(s) merged into "
            f"{changes.repo}:{changes.branch} in the last {window} days had no approval by "
            f"someone other than the author: {numbers}.",
            evidence={
                "window_days": window,
                "merged": len(merged),
                "unapproved": listed,
            },
        )


CHECK = Check(META, GithubInventory, evaluate)
