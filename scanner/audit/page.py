"""The pack's `index.html` (and the readiness report's window section): per criterion a
coverage calendar, the exceptions with their time to remediate, the days without a scan and
the waivers. Self-contained: inline CSS, no script, no network; every value escaped."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from scanner.audit.coverage import CheckDays, DayState, combine
from scanner.audit.evidence import WindowEvidence
from scanner.audit.populations import POPULATIONS
from scanner.models.soc2 import CRITERIA
from scanner.report.render import environment


@dataclass(frozen=True)
class CalendarDay:
    day: date
    state: DayState


@dataclass(frozen=True)
class CriterionCoverage:
    id: str
    name: str
    calendar: tuple[CalendarDay, ...]
    checks: tuple[dict[str, object], ...]

    def days(self, state: str) -> int:
        return sum(1 for d in self.calendar if d.state.value == state)


@dataclass(frozen=True)
class WindowView:
    evidence: WindowEvidence
    criteria: tuple[CriterionCoverage, ...]
    exceptions: tuple[dict[str, str], ...]
    waivers: tuple[dict[str, str], ...]
    population_files: tuple[str, ...]


def _criterion_order(criterion: str) -> tuple[str, int]:
    head, _, tail = criterion.partition(".")
    return (head, int(tail) if tail.isdigit() else 0)


def window_view(evidence: WindowEvidence) -> WindowView:
    by_criterion: dict[str, list[CheckDays]] = defaultdict(list)
    for check in evidence.checks:
        for criterion in check.soc2:
            by_criterion[criterion].append(check)
    criteria = []
    for criterion in sorted(by_criterion, key=_criterion_order):
        checks = by_criterion[criterion]
        calendar = tuple(
            CalendarDay(day, combine(c.states[i] for c in checks))
            for i, day in enumerate(evidence.window.days)
        )
        criteria.append(
            CriterionCoverage(
                criterion,
                CRITERIA.get(criterion, ""),
                calendar,
                tuple(c.as_json() for c in checks),
            )
        )
    end = evidence.window.end
    return WindowView(
        evidence,
        tuple(criteria),
        tuple(e.row(end, evidence.sla) for e in evidence.episodes),
        tuple(w.row(evidence.window) for w in evidence.waivers),
        tuple(
            f"populations/{name}-{edge}.csv"
            for name in POPULATIONS
            for edge in ("first", "last", "changes")
        ),
    )


def render_index(evidence: WindowEvidence, body: dict[str, object], generated: datetime) -> str:
    template = environment(autoescape=True).get_template("audit.html.j2")
    return template.render(view=window_view(evidence), window=body, generated=generated)
