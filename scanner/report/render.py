"""Pure formatters of the readiness report: report in, HTML or Markdown text out."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import JsonValue

from scanner.output.markdown import code_span, escape_markdown
from scanner.report.model import ReadinessReport, TrendPoint


class ReportFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"


def _evidence_value(value: JsonValue) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


class _MarkdownSafe(str):
    """Text a filter has already made inert; the environment's finalize leaves it alone."""

    __slots__ = ()


def _safe(value: object) -> _MarkdownSafe:
    """Any value in Markdown text or a table cell: escaped (`escape_markdown`)."""
    return _MarkdownSafe(escape_markdown(value))


def _line_start(value: object) -> _MarkdownSafe:
    return _MarkdownSafe(escape_markdown(value, at_line_start=True))


def _code(value: object) -> _MarkdownSafe:
    return _MarkdownSafe(code_span(value))


def _finalize(value: object) -> object:
    """Every `{{ value }}` of the Markdown template is escaped unless a filter already did."""
    return value if isinstance(value, _MarkdownSafe) else escape_markdown(value)


def _fmt_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value.tzinfo else value.isoformat()


def environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("scanner.report", "templates"),
        # Markdown is not HTML: every value is escaped for Markdown by `finalize` instead.
        autoescape=select_autoescape(["html.j2"]) if autoescape else False,  # noqa: S701
        finalize=None if autoescape else _finalize,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["ev"] = _evidence_value
    env.filters["cell"] = _safe
    env.filters["inline"] = _safe
    env.filters["code"] = _code
    env.filters["line_start"] = _line_start
    return env


def subject(report: ReadinessReport) -> str:
    targets = report.doc.scan.targets
    names = [t.account_name or t.account for t in targets if t.provider == "evidence"]
    others = [f"{t.provider}:{t.account}" for t in targets if t.provider != "evidence"]
    return ", ".join([*names, *others]) or "no targets"


def nice_ticks(peak: int, most: int = 5) -> list[int]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least `peak`."""
    step = 1
    while (peak + step - 1) // step > most:
        for factor in (2, 5, 10):
            if (peak + step * factor - 1) // (step * factor) <= most or factor == 10:
                step *= factor
                break
    top = max(step, -(-peak // step) * step)
    return list(range(0, top + 1, step))


def _labels(points: Sequence[TrendPoint]) -> list[str]:
    """Distinct labels: the day, with the time where a day holds several scans."""
    days = Counter(p.started_at.date() for p in points)
    return [
        f"{p.started_at:%m-%d %H:%M}" if days[p.started_at.date()] > 1 else f"{p.started_at:%m-%d}"
        for p in points
    ]


def trend_svg(report: ReadinessReport, width: int = 720, height: int = 200) -> Markup:
    """An inline chart of failing and passing counts per scan (numbers only, no user text):
    a labelled y-axis with round ticks, one point per scan, each labelled apart."""
    points = report.trend
    peak = max((max(p.counts.failed, p.counts.passed) for p in points), default=0)
    ticks = nice_ticks(peak)
    top_value = ticks[-1] or 1
    left, right, top, bottom = 48, 16, 26, 44
    span_x = width - left - right
    span_y = height - top - bottom
    step = span_x / max(len(points) - 1, 1)

    def y(v: int) -> float:
        return top + span_y - span_y * v / top_value

    def xy(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{y(v):.1f}"

    grid = "".join(
        f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - right}" y2="{y(t):.1f}" '
        f'stroke="#e4e7ec"/><text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t}</text>'
        for t in ticks
    )
    fails = " ".join(xy(i, p.counts.failed) for i, p in enumerate(points))
    passes = " ".join(xy(i, p.counts.passed) for i, p in enumerate(points))
    names = _labels(points)
    every = max(1, -(-len(points) // 12))
    labels = "".join(
        f'<text x="{left + i * step:.1f}" y="{height - 24}" text-anchor="end" '
        f'transform="rotate(-30 {left + i * step:.1f} {height - 24})">{names[i]}</text>'
        for i in range(len(points))
        if i % every == 0 or i == len(points) - 1
    )
    dots = "".join(
        f'<circle cx="{left + i * step:.1f}" cy="{y(p.counts.failed):.1f}" r="3" fill="#b42318">'
        f"<title>{p.started_at:%Y-%m-%d %H:%M}: {p.counts.failed} failing, "
        f"{p.counts.passed} passing</title></circle>"
        for i, p in enumerate(points)
    )
    return Markup(  # noqa: S704 (numbers and dates only, no user text)
        f'<svg role="img" aria-label="Failing and passing findings per scan" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"{grid}"
        f'<text x="4" y="12">findings</text>'
        f'<polyline fill="none" stroke="#067647" stroke-width="2" points="{passes}"/>'
        f'<polyline fill="none" stroke="#b42318" stroke-width="2.5" points="{fails}"/>'
        f"{dots}{labels}"
        f'<text x="{width - right}" y="12" text-anchor="end">'
        f'<tspan fill="#b42318">■ failing</tspan> <tspan fill="#067647">■ passing</tspan></text>'
        f"</svg>"
    )


def render_report(report: ReadinessReport, fmt: ReportFormat) -> str:
    html = fmt is ReportFormat.HTML
    env = environment(autoescape=html)
    template = env.get_template("report.html.j2" if html else "report.md.j2")
    return template.render(
        report=report,
        doc=report.doc,
        subject=subject(report),
        fmt_time=_fmt_time,
        trend_svg=trend_svg(report) if html else "",
    )
