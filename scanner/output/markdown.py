"""A Markdown report: summary, what fails, what could not be collected, what is waived."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from scanner.document import Document
from scanner.models.enums import Status

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_MARKDOWN = re.compile(r"([\\`*~\[\]|])")
# `_` stays: inside words (check ids, user names) it is never emphasis, and around them it is
# emphasis only, which injects nothing.
_BLOCK_START = re.compile(r"^([#=+>-])")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
_SPACE = re.compile(r"[\s\x00-\x1f\x7f\u0085\u2028\u2029]+")


def escape_markdown(value: object, at_line_start: bool = False) -> str:
    """Text from outside (resource names, accounts, messages) as inert Markdown: one line (CR,
    LF and other control characters become spaces, so nothing starts a heading), HTML as
    entities (no <script>, no <img onerror>, no autolinks), and Markdown syntax backslashed
    (no links or images from [..](..), no code spans, emphasis or table cells). A value that
    starts a line also loses what would start a block there (a heading, a list, a rule)."""
    text = _SPACE.sub(" ", str(value)).strip()
    text = "".join(_HTML.get(c, c) for c in text)
    text = _MARKDOWN.sub(r"\\\1", text)
    if not at_line_start:
        return text
    text = _LIST_NUMBER.sub(r"\1\\\2", text)
    return _BLOCK_START.sub(r"\\\1", text)


def code_span(value: object) -> str:
    """Text for inside `backticks`, where nothing is interpreted but a backtick ends it."""
    return _SPACE.sub(" ", str(value)).strip().replace("`", "'")


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    yield "| " + " | ".join(headers) + " |"
    yield "|" + "---|" * len(headers)
    for row in rows:
        yield "| " + " | ".join(escape_markdown(c) for c in row) + " |"


def _lines(doc: Document) -> Iterator[str]:
    h = doc.scan
    targets = ", ".join(f"{t.provider}:{t.account}" for t in h.targets) or "nothing"
    yield from [
        "# posture scan report",
        "",
        f"- Scanned: {escape_markdown(targets)}",
        f"- Started: {h.started_at.isoformat()}; finished: {h.finished_at.isoformat()}",
        f"- Tool: posture {h.tool_version}; findings schema {doc.schema_version}",
        f"- Checks run: {h.checks_run}",
    ]
    if h.partial:
        yield "- **Partial scan**: some data could not be collected (see below)."
    yield from ["", "## Summary", ""]
    yield from _table(
        ("status", "count"), ((s.value, str(n)) for s, n in h.summary.by_status.items())
    )
    yield from [""]
    yield from _table(
        ("severity", "failing"),
        ((s.value, str(n)) for s, n in h.summary.failed_by_severity.items()),
    )
    failing = (f for f in doc.findings if f.status is Status.FAIL)
    failing_count = h.summary.by_status.get(Status.FAIL, 0)
    yield from ["", f"## Failing findings ({failing_count})", ""]
    if failing_count:
        yield from _table(
            (
                "severity",
                "check",
                "resource",
                "account",
                "region",
                "SOC 2",
                "message",
                "first seen",
            ),
            (
                (
                    f.severity.value,
                    f.check_id,
                    f.resource.name,
                    f.account,
                    f.region or "-",
                    ", ".join(f.soc2),
                    f.message,
                    f.first_seen.date().isoformat(),
                )
                for f in failing
            ),
        )
    else:
        yield "None."
    if h.errors:
        yield from ["", f"## Collection errors ({len(h.errors)})", ""]
        yield from _table(
            ("provider", "account", "collection", "scope", "outcome", "missing"),
            (
                (e.provider, e.account, e.collection, e.scope or "-", e.outcome, e.missing or "-")
                for e in h.errors
            ),
        )
    not_evaluated = h.summary.by_status.get(Status.ERROR, 0)
    if not_evaluated:
        yield from ["", f"## Not evaluated ({not_evaluated})", ""]
        yield from _table(
            ("check", "resource", "account", "region", "why"),
            (
                (f.check_id, f.resource.name, f.account, f.region or "-", f.message)
                for f in doc.findings
                if f.status is Status.ERROR
            ),
        )
    muted = (f for f in doc.findings if f.status is Status.MUTED and f.waiver)
    if h.summary.by_status.get(Status.MUTED, 0):
        yield from ["", f"## Waived findings ({h.summary.by_status[Status.MUTED]})", ""]
        yield from _table(
            ("check", "resource", "reason", "owner", "expires"),
            (
                (f.check_id, f.resource.name, w.reason, w.owner, w.expires.isoformat())
                for f in muted
                if (w := f.waiver)
            ),
        )


def write(doc: Document, out: TextIO) -> None:
    for line in _lines(doc):
        out.write(line + "\n")
