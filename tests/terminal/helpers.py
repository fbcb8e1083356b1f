"""Hostile names and a plain-text renderer for what the terminal shows."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType

from scanner.models.findings import FindingsDocument, ScanTarget
from tests.nightly.documents import document, finding

HOSTILE_NAMES = (
    "\x1b]0;pwned\x07",  # OSC 0: retitles the window
    "\x1b[2J",  # CSI: clears the screen
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "[link=http://evil]x[/link]",  # rich markup
    "[bold]loud[/bold]",
    "line\rover",  # CR rewrites the line
    "bell\x07\x9b31m",  # BEL and a C1 CSI
)


def render(renderable: RenderableType, colour: bool = True) -> str:
    """What a terminal receives: with colour, rich's own escapes are there, but none of ours."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=200,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        legacy_windows=False,
    )
    console.print(renderable)
    return out.getvalue()


def assert_inert(output: str) -> None:
    """No escape from the scanned names reached the output: only SGR colour codes (rich's
    own, `ESC [ ... m`) and no OSC, no clear, no BEL, no CR, no rich link."""
    import re

    without_sgr = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "\x1b" not in without_sgr, repr(without_sgr)
    for ch in ("\x07", "\r", "\x9b"):
        assert ch not in output
    assert "\x1b]8" not in output


def hostile_document() -> FindingsDocument:
    findings = [
        finding("aws.iam.user_console_without_mfa", name, region=name if i == 0 else None)
        for i, name in enumerate(HOSTILE_NAMES)
    ]
    doc = document(findings)
    target = ScanTarget(
        provider="aws", account=doc.scan.targets[0].account, account_name="\x1b[2JEvil"
    )
    return doc.model_copy(update={"scan": doc.scan.model_copy(update={"targets": (target,)})})
