"""Hostile names in Markdown outputs (`scan --format markdown`, `report --format markdown`):
rendered by a CommonMark renderer (markdown-it, as rich ships it), nothing becomes HTML, a
link, an image or a heading."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from scanner.models.findings import FindingsDocument, ScanTarget
from scanner.output import markdown
from scanner.report.model import build_report
from scanner.report.render import ReportFormat, render_report
from tests.nightly.documents import document, finding
from tests.readiness import report_documents

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[click](javascript:alert(3))",
    "![pixel](https://attacker.example/p.png)",
    "<https://attacker.example/autolink>",
    "name\r\n# Injected heading\r\n",
    "pipe | in | cells",
    "`code` and **bold**",
    "1. a list",
]
WHEN = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


ALLOWED = {"h1", "h2", "h3", "h4", "p", "ul", "li", "blockquote", "em", "strong", "code", "br"}
ALLOWED |= {"table", "thead", "tbody", "tr", "th", "td"}


class _Elements(HTMLParser):
    """Every element of the rendered page and the text inside headings, emphasis and code."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.open: list[str] = []
        self.marked: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for tag in self.open:
            if tag in {"h1", "h2", "h3", "h4", "strong", "em", "code"}:
                self.marked.append((tag, data))


def _assert_inert(text: str) -> _Elements:
    elements = _Elements()
    elements.feed(MarkdownIt("commonmark").enable("table").render(text))
    for tag, attrs in elements.tags:
        assert tag in ALLOWED, (tag, attrs)
        assert all(name == "style" for name, _ in attrs), (tag, attrs)
    for tag, data in elements.marked:
        for marker in ("Injected", "bold", "onerror", "alert", "attacker"):
            if tag != "code":
                assert marker not in data, (tag, data)
    return elements


@pytest.mark.parametrize("name", HOSTILE)
def test_scan_markdown_escapes_every_value(name: str) -> None:
    doc = document(
        [finding("aws.iam.user_console_without_mfa", name, account=name)],
        accounts=(name,),
    )
    out = io.StringIO()
    markdown.write(doc, out)
    _assert_inert(out.getvalue())
    rows = [line for line in out.getvalue().splitlines() if "user_console_without_mfa" in line]
    assert rows and all(line.count("|") - line.count("\\|") == 9 for line in rows)


def _hostile_report_doc(name: str) -> FindingsDocument:
    doc = report_documents.sample(WHEN)
    findings = tuple(
        f.model_copy(
            update={
                "account": name,
                "message": f"{name} fails",
                "resource": f.resource.model_copy(update={"name": name}),
                "evidence": {"name": name},
            }
        )
        for f in doc.findings
    )
    targets = tuple(
        ScanTarget(provider=t.provider, account=name, regions=t.regions, account_name=name)
        for t in doc.scan.targets
    )
    scan = doc.scan.model_copy(update={"targets": targets})
    return doc.model_copy(update={"findings": findings, "scan": scan})


@pytest.mark.parametrize("name", HOSTILE)
def test_report_markdown_escapes_every_value(name: str) -> None:
    md = render_report(build_report(_hostile_report_doc(name), now=WHEN), ReportFormat.MARKDOWN)
    elements = _assert_inert(md)
    assert [t for t, _ in elements.tags].count("h1") == 1
