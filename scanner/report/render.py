"""Pure formatters of the readiness report: report in, HTML or Markdown text out."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import JsonValue

from scanner.output.markdown import code_span, escape_markdown
from scanner.report.model import ReadinessReport


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


def _environment(autoescape: bool) -> Environment:
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


def trend_svg(report: ReadinessReport, width: int = 720, height: int = 160) -> Markup:
    """An inline chart of failing and passing counts per scan (numbers only, no user text)."""
    points = report.trend
    peak = max((max(p.counts.failed, p.counts.passed) for p in points), default=0) or 1
    left, right, top, bottom = 40, 16, 26, 28
    span_x = width - left - right
    span_y = height - top - bottom
    step = span_x / max(len(points) - 1, 1)

    def xy(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{top + span_y - span_y * v / peak:.1f}"

    fails = " ".join(xy(i, p.counts.failed) for i, p in enumerate(points))
    passes = " ".join(xy(i, p.counts.passed) for i, p in enumerate(points))
    labels = "".join(
        f'<text x="{left + i * step:.1f}" y="{height - 8}" text-anchor="middle">'
        f"{p.started_at:%m-%d}</text>"
        for i, p in enumerate(points)
    )
    return Markup(  # noqa: S704 (numbers and dates only, no user text)
        f'<svg role="img" aria-label="Failing and passing findings per scan" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<line x1="{left}" y1="{top + span_y}" x2="{width - right}" y2="{top + span_y}" '
        f'stroke="#e4e7ec"/>'
        f'<text x="4" y="{top + 8}">{peak}</text><text x="4" y="{top + span_y}">0</text>'
        f'<polyline fill="none" stroke="#067647" stroke-width="2" points="{passes}"/>'
        f'<polyline fill="none" stroke="#b42318" stroke-width="2.5" points="{fails}"/>'
        f"{labels}"
        f'<text x="{width - right}" y="12" text-anchor="end">'
        f'<tspan fill="#b42318">■ failing</tspan> <tspan fill="#067647">■ passing</tspan></text>'
        f"</svg>"
    )


def render_report(report: ReadinessReport, fmt: ReportFormat) -> str:
    html = fmt is ReportFormat.HTML
    env = _environment(autoescape=html)
    template = env.get_template("report.html.j2" if html else "report.md.j2")
    return template.render(
        report=report,
        doc=report.doc,
        subject=subject(report),
        fmt_time=_fmt_time,
        trend_svg=trend_svg(report) if html else "",
    )
