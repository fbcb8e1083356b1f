"""New hires who did not complete security awareness training within their first week."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.identity.resources import directory_user
from checks.identity.training.common import (
    account_created,
    awareness_records,
    completions,
    missing_inputs,
    training_invalid,
)
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.identity.matching import People
from scanner.inventory.evidence import IDENTITY_MAP, MANIFEST, TRAINING
from scanner.inventory.run import DIRECTORY_COLLECTIONS, RunInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="identity.training.new_hire_overdue",
    title="New hire without security awareness training within 7 days of account creation",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC1.4", "CC2.2"),
    remediation="Make security awareness training part of onboarding and have the person "
    "complete it now; record it in training.csv.",
    requires=(TRAINING, MANIFEST, IDENTITY_MAP, *DIRECTORY_COLLECTIONS),
    description="A new hire is an active user whose account was created within the training "
    "period (12 months); the deadline is evidence.thresholds.new_hire_training_days.",
)


def evaluate(run: RunInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    people = People.from_run(run, ctx.config.evidence.match_email_local_part)
    problems = list(missing_inputs(META.id, run, people))
    if problems or training_invalid(run):
        yield from problems
        return
    records = awareness_records(run) or ()
    limits = ctx.config.evidence.thresholds
    grace = limits.new_hire_training_days
    today = ctx.now.date()
    for entry in people.entries:
        user = entry.user
        if not user.active:
            continue
        created = account_created(user)
        resource = directory_user(entry)
        if created is None:
            yield error(
                resource,
                f"Not evaluated: {entry.provider} gives no creation date for {user.login}.",
                account=entry.account,
            )
            continue
        if (ctx.now - created).days > limits.training_max_age_days:
            continue
        deadline = created.date() + timedelta(days=grace)
        done = completions(people, entry, records)
        on_time = [d for d in done if d <= deadline]
        late = [d for d in done if d > deadline]
        evidence = {
            "login": user.login,
            "directory": entry.provider,
            "created": created.date().isoformat(),
            "deadline": deadline.isoformat(),
            "completed": done[0].isoformat() if done else None,
            "limit_days": grace,
        }
        if on_time:
            yield passed(
                resource,
                f"{user.login} completed training on {on_time[0]}, within {grace} days of "
                "account creation.",
                evidence=evidence,
                account=entry.account,
            )
        elif today <= deadline:
            yield passed(
                resource,
                f"{user.login} joined on {created.date()}; training is due by {deadline}.",
                evidence=evidence,
                account=entry.account,
            )
        else:
            done_late = (
                f"completed only on {late[0]}, {(late[0] - created.date()).days} days after"
                if late
                else f"not completed {(today - created.date()).days} days after"
            )
            yield fail(
                resource,
                f"New hire {user.login} ({entry.provider}, account created {created.date()}): "
                f"security awareness training {done_late} account creation (limit {grace}).",
                evidence=evidence,
                account=entry.account,
            )


CHECK = Check(META, RunInventory, evaluate)
