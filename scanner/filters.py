"""The scan's filters: `--severity`, `--soc2` and `--exclude-check` choose the checks that run;
`--status` chooses what the terminal lists.

The exit code follows what ran: a check the selection leaves out is not run, so its failures
neither exist nor count. `--status` only changes what is printed; the exit code, the history and
every `--output` document still hold every result, so a display filter never hides a failure
from cron.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from scanner.check import AnyCheck
from scanner.diff import FindingsDiff
from scanner.errors import UsageError
from scanner.models.enums import STATUS_ORDER, Severity, Status
from scanner.models.findings import Finding
from scanner.models.soc2 import CRITERIA


def _items(flag: str, values: Iterable[str], allowed: str) -> Iterator[tuple[str, str]]:
    """(the value given, one lower-cased item of its comma list), for every value."""
    for value in values:
        items = [p.strip().lower() for p in value.split(",") if p.strip()]
        if not items:
            raise UsageError(f"{flag} {value!r}: give one of {allowed}")
        for item in items:
            yield value, item


def parse_severities(values: Iterable[str]) -> frozenset[Severity]:
    """`high+` (high and worse), `high` (exactly), or a comma list of either (repeatable)."""
    chosen: set[Severity] = set()
    allowed = ", ".join(s.value for s in Severity)
    for value, item in _items("--severity", values, allowed):
        name = item.removesuffix("+")
        try:
            severity = Severity(name)
        except ValueError:
            raise UsageError(
                f"--severity {value!r}: unknown severity {name!r} (expected one of: "
                f"{allowed}, each optionally followed by + for 'and worse')"
            ) from None
        if item.endswith("+"):
            chosen.update(s for s in Severity if s.rank >= severity.rank)
        else:
            chosen.add(severity)
    return frozenset(chosen)


def parse_statuses(values: Iterable[str]) -> frozenset[Status]:
    """`fail,error` (repeatable): the statuses the terminal lists."""
    chosen: set[Status] = set()
    allowed = ", ".join(s.value for s in STATUS_ORDER)
    for value, item in _items("--status", values, allowed):
        try:
            chosen.add(Status(item))
        except ValueError:
            raise UsageError(
                f"--status {value!r}: unknown status {item!r} (expected one of: {allowed})"
            ) from None
    return frozenset(chosen)


def parse_criteria(values: Iterable[str]) -> tuple[str, ...]:
    """`CC6.1`, a prefix such as `CC6`, or a comma list (repeatable); each must name at least
    one Trust Services Criterion."""
    chosen: list[str] = []
    for value, lowered in _items("--soc2", values, "the criteria, e.g. CC6.1 or CC6"):
        item = lowered.upper()
        if not any(criterion_matches(c, item) for c in CRITERIA):
            raise UsageError(
                f"--soc2 {value!r}: {item!r} is no Trust Services Criterion nor a prefix of "
                "one (e.g. CC6.1, CC6, A1)"
            )
        chosen.append(item)
    return tuple(chosen)


def criterion_matches(criterion: str, wanted: str) -> bool:
    """`CC6` matches CC6.1 and CC6.7; `CC6.1` matches CC6.1 only (not CC6.10)."""
    return criterion == wanted or criterion.startswith(wanted + ".")


def narrow_checks(
    checks: Sequence[AnyCheck], severities: frozenset[Severity], criteria: Sequence[str]
) -> tuple[AnyCheck, ...]:
    """The checks of those severities mapping to one of those criteria (empty: no filter)."""
    return tuple(
        c
        for c in checks
        if (not severities or c.meta.severity in severities)
        and (not criteria or any(criterion_matches(s, w) for s in c.meta.soc2 for w in criteria))
    )


def of_severities(changes: FindingsDiff, severities: frozenset[Severity]) -> FindingsDiff:
    """The diff's lists narrowed to those severities (`posture diff --severity`)."""

    def keep(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
        return tuple(f for f in findings if f.severity in severities)

    return changes.model_copy(
        update={
            "new": keep(changes.new),
            "resolved": keep(changes.resolved),
            "unchanged": keep(changes.unchanged),
            "not_evaluated": keep(changes.not_evaluated),
            "not_evaluated_before": keep(changes.not_evaluated_before),
        }
    )
