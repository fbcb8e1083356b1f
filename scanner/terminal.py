"""The terminal: one console per stream, and the one function that makes outside text safe to
print on it.

Resource names, messages, account names and error texts come from the scanned accounts, where
anyone able to name a bucket or a user writes them. Printed raw they could retitle the window
(OSC 0), clear the screen (CSI 2J), plant a hyperlink (OSC 8) or rewrite a line (CR); given to
rich as markup, `[link=...]` would become a link. Every such text reaches the terminal through
`safe` (plain str for markup contexts) or `text` (a rich Text, which is never parsed as markup).
"""

from __future__ import annotations

import functools
import re

from rich.console import Console
from rich.markup import escape
from rich.text import Text

# ECMA-48: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings up to BEL or ST, then any other
# two-character escape. The C1 forms (0x9b CSI, 0x9d OSC, ...) are caught by _CONTROL below.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -~]?"
)
# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a line shows.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE_CONTROL = re.compile(r"[\t\n\r\v\f]+")


def clean(value: object) -> str:
    """`value` as printable text: escape sequences dropped whole, line breaks and tabs made
    spaces, every other control character dropped."""
    raw = str(value)
    raw = _ESCAPE.sub("", raw)
    raw = _WHITESPACE_CONTROL.sub(" ", raw)
    return _CONTROL.sub("", raw)


def safe(value: object) -> str:
    """`clean`, then escaped for a rich markup string (`[bold]` prints as written)."""
    return escape(clean(value))


def text(value: object, style: str = "") -> Text:
    """A rich Text of the cleaned value: a table cell or a line, never read as markup."""
    return Text(clean(value), style=style)


@functools.cache
def stdout_console() -> Console:
    """What a command prints for its reader. Bound to sys.stdout when it prints, so a test's
    captured stdout is honoured; off a terminal it is plain text, 200 columns wide."""
    return Console(highlight=False, soft_wrap=False)


@functools.cache
def stderr_console() -> Console:
    """Logs, notices and the progress display share this one console, so a log line printed
    during a scan lands above the live display instead of through it."""
    return Console(stderr=True, highlight=False)


def print_out(renderable: object) -> None:
    console = stdout_console()
    width = None if console.is_terminal else 200
    if width is None:
        console.print(renderable)
    else:
        Console(file=console.file, width=width, highlight=False, color_system=None).print(
            renderable
        )
