"""`posture diff OLD NEW`: what changed between two findings documents."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.commands.options import format_option
from scanner.diff import diff
from scanner.document_file import read_document
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.filters import of_severities, parse_severities
from scanner.models.enums import Severity
from scanner.output import TABLE_OR_JSON, Format, diff_format, parse_format
from scanner.terminal import print_out


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@format_option(TABLE_OR_JSON, Format.TABLE)
@click.option(
    "--fail-on-new",
    "fail_on_new",
    default=None,
    help="Exit 1 when a new finding is at or above this severity (a CI gate).",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    help="List only findings of this severity: high+, high, or a list (repeatable). "
    "Display only: --fail-on-new still reads every new finding.",
)
def diff_command(
    old: Path, new: Path, fmt: str, fail_on_new: str | None, severities: tuple[str, ...]
) -> ExitCode:
    """What changed between two `--format json` documents: new, resolved, unchanged.

    A finding the newer scan could not evaluate (its collection failed, its account, region or
    check was not scanned) is listed as not evaluated, never as resolved.
    """
    out_format = parse_format(fmt, TABLE_OR_JSON)
    gate = _severity(fail_on_new) if fail_on_new is not None else None
    shown = parse_severities(severities)
    changes = diff(read_document(old), read_document(new))
    listed = of_severities(changes, shown) if shown else changes
    if out_format is Format.JSON:
        click.echo(diff_format.render_json(listed), nl=False)
    else:
        print_out(diff_format.build(listed))
    if gate is not None and any(f.severity.rank >= gate.rank for f in changes.new):
        return ExitCode.FINDINGS
    return ExitCode.OK


def _severity(value: str) -> Severity:
    try:
        return Severity(value.lower())
    except ValueError:
        allowed = ", ".join(s.value for s in Severity)
        raise UsageError(f"unknown severity {value!r} (expected one of: {allowed})") from None
