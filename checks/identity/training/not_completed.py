"""Active identity-provider users without security awareness training in the last 12 months."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.identity.resources import directory_user
from checks.identity.training.common import (
    account_created,
    awareness_records,
    completions,
    courses_counted,
    missing_inputs,
    training_invalid,
)
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.identity.matching import People
from scanner.inventory.evidence import IDENTITY_MAP, MANIFEST, TRAINING
from scanner.inventory.run import DIRECTORY_COLLECTIONS, RunInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="identity.training.not_completed",
    title="Active user without security awareness training in the last 12 months",
    severity=Severity.MEDIUM,
    category=Category.GOVERNANCE,
    soc2=("CC1.4", "CC2.2"),
    remediation="Have the person complete the security awareness course and record it in "
    "training.csv (email, course, completed_on).",
    requires=(TRAINING, MANIFEST, IDENTITY_MAP, *DIRECTORY_COLLECTIONS),
    description="People are matched to training records by email, login and identity-map.yaml "
    "aliases. Users in their first days are held to the new-hire deadline instead.",
)


def evaluate(run: RunInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    people = People.from_run(run, ctx.config.evidence.match_email_local_part)
    problems = list(missing_inputs(META.id, run, people))
    if problems or training_invalid(run):
        yield from problems
        return
    records = awareness_records(run)
    limits = ctx.config.evidence.thresholds
    today = ctx.now.date()
    for entry in people.entries:
        user = entry.user
        if not user.active:
            continue
        done = completions(people, entry, records or ())
        last = done[-1] if done else None
        created = account_created(user)
        evidence = {
            "login": user.login,
            "email": user.email,
            "directory": entry.provider,
            "last_completed": last.isoformat() if last else None,
            "created": created.date().isoformat() if created else None,
            "max_age_days": limits.training_max_age_days,
            "courses_counted": courses_counted(run),
        }
        resource = directory_user(entry)
        if last is not None and (today - last).days <= limits.training_max_age_days:
            yield passed(
                resource,
                f"{user.login} completed security awareness training on {last}.",
                evidence=evidence,
                account=entry.account,
            )
        elif created is not None and ctx.now - created <= timedelta(
            days=limits.new_hire_training_days
        ):
            due = created.date() + timedelta(days=limits.new_hire_training_days)
            yield passed(
                resource,
                f"{user.login} is a new hire; training is due by {due}.",
                evidence=evidence,
                account=entry.account,
            )
        else:
            if records is None:
                why = "there are no training records (training.csv is missing)"
            elif last is None:
                why = "no completion is recorded"
            else:
                why = f"the last completion was on {last}, {(today - last).days} days ago"
            yield fail(
                resource,
                f"{user.login} ({entry.provider}) has no security awareness training in the "
                f"last {limits.training_max_age_days} days: {why}.",
                evidence=evidence,
                account=entry.account,
            )


CHECK = Check(META, RunInventory, evaluate)
