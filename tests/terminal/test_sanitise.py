"""Nothing from a scanned account reaches the terminal as an escape sequence or as markup:
scanner.terminal.clean is the one function every printed text goes through."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from scanner import logs
from scanner.diff import diff
from scanner.models.enums import Status
from scanner.output import diff_format
from scanner.output import table as table_output
from scanner.output.table import View
from scanner.terminal import clean, safe, text
from tests.terminal.helpers import HOSTILE_NAMES, assert_inert, hostile_document, render


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07", ""),
        ("\x1b[2J", ""),
        ("a\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\b", "aclickb"),
        ("line\rover", "line over"),
        ("tab\there\nnext", "tab here next"),
        ("bell\x07\x9b31m", "bell31m"),
        ("rtl\u202eevil", "rtlevil"),
        ("plain name", "plain name"),
        ("\x1b", ""),
    ],
)
def test_clean_drops_escapes_and_controls(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_markup_is_printed_as_written() -> None:
    assert safe("[link=http://evil]x[/link]") == "\\[link=http://evil]x\\[/link]"
    out = render(text("[link=http://evil]x[/link] [bold]b[/bold]"), colour=False)
    assert "[link=http://evil]x[/link] [bold]b[/bold]" in out


@pytest.mark.parametrize("details", [False, True])
def test_scan_summary_is_inert(details: bool) -> None:
    doc = hostile_document()
    view = View(statuses=frozenset(Status), details=details)
    out = render(table_output.build(doc, view, closing=["see \x1b[2J report"]))
    assert_inert(out)
    plain = render(table_output.build(doc, view), colour=False)
    assert "[link=http://evil]x[/link]" in plain
    assert "[bold]loud[/bold]" in plain
    assert "Evil" in plain
    assert_inert(table_output.summary_line(doc))


def test_diff_table_is_inert() -> None:
    doc = hostile_document()
    out = render(diff_format.build(diff(None, doc)))
    assert_inert(out)
    assert "[link=http://evil]x[/link]" in render(diff_format.build(diff(None, doc)), colour=False)


def test_log_lines_and_notices_are_inert(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    logs.configure(logging.INFO, logs.LogFormat.TEXT)
    for name in HOSTILE_NAMES:
        logging.getLogger("posture.test").warning("bucket %s is odd", name)
        logs.notice(f"posture: {name}")
    assert_inert(err.getvalue())
    assert "[link=http://evil]x[/link]" in err.getvalue()
