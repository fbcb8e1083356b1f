"""Which training records belong to a directory user."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

from checks.identity.resources import not_evaluated
from scanner.check import CheckResult
from scanner.identity.matching import DirectoryEntry, People, directory_names
from scanner.inventory.common import DirectoryUser
from scanner.inventory.evidence import TRAINING, TrainingRecord
from scanner.inventory.run import RunInventory


def awareness_records(run: RunInventory) -> tuple[TrainingRecord, ...] | None:
    """Records that count as security awareness training; None when training.csv is absent."""
    evidence = run.evidence
    if evidence is None or evidence.training is None:
        return None  # absent; an invalid file fails its collection and the engine says error
    courses = {
        c.strip().lower()
        for c in (evidence.manifest.awareness_courses if evidence.manifest else ())
    }
    return tuple(r for r in evidence.training if not courses or r.course.strip().lower() in courses)


def account_created(user: DirectoryUser) -> datetime | None:
    """When the account was created (or first activated), as an aware UTC time."""
    when = user.created or user.activated
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when


def courses_counted(run: RunInventory) -> list[str] | str:
    """For evidence: which courses count (evidence.yaml awareness_courses), or 'any'."""
    evidence = run.evidence
    courses = evidence.manifest.awareness_courses if evidence and evidence.manifest else ()
    return list(courses) if courses else "any"


def training_invalid(run: RunInventory) -> bool:
    """training.csv exists but did not validate: the engine reports it, the check stays quiet."""
    evidence = run.evidence
    return evidence is not None and evidence.training is None and not evidence.collected(TRAINING)


def completions(
    people: People, entry: DirectoryEntry, records: Sequence[TrainingRecord]
) -> list[date]:
    keys = people.keys_of(entry)
    return sorted(r.completed_on for r in records if r.email.strip().lower() in keys)


def missing_inputs(check_id: str, run: RunInventory, people: People) -> Iterator[CheckResult]:
    if not people.has_directory:
        yield not_evaluated(
            check_id,
            f"{directory_names(run)} in this scan; training is measured against the identity "
            "provider's active users (add --provider okta or azuread).",
        )
    elif run.evidence is None:
        yield not_evaluated(
            check_id,
            "no training records in this scan (add --provider evidence --evidence DIR).",
        )
