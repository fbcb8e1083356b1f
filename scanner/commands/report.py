"""`posture report`: the SOC 2 readiness report of a scan, with the history's trend."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from checks.registry import all_checks
from scanner.audit.page import window_view
from scanner.audit.window import parse_range
from scanner.commands.audit import window_evidence
from scanner.commands.options import state_option
from scanner.config import load_config
from scanner.delivery import history_path
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.history.location import StateLocation
from scanner.history.store import scope_of
from scanner.output.files import write_atomic
from scanner.report.history import DirectoryHistory, ScanHistory, StoreHistory, load_document
from scanner.report.model import build_report
from scanner.report.render import ReportFormat, render_report


def history_source(
    history_dir: Path | None, store: StateLocation, scope: str | None = None
) -> ScanHistory | None:
    """The scan history the report reads: `--history DIR` when given, otherwise the SQLite
    store `posture scan` records into (limited to `scope`; None when it does not exist yet
    and the report has a `--scan` document of its own)."""
    if history_dir is not None:
        return DirectoryHistory(history_dir)
    if not store.is_file():
        if scope is not None:
            return None
        raise UsageError(
            f"--latest needs the scan history: nothing recorded at {store} yet "
            "(run `posture scan` first, or pass --history DIR)"
        )
    return StoreHistory(store, scope)


@click.command()
@click.option(
    "--scan",
    "scan_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A findings document (posture scan --format json); - reads stdin.",
)
@click.option("--latest", is_flag=True, help="The latest scan in the history.")
@click.option(
    "--history",
    "history_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A directory of past findings documents (the trend, and --latest); "
    "default: the history store `posture scan` records into.",
)
@state_option
@click.option(
    "--config",
    "config_path",
    envvar="POSTURE_CONFIG",
    type=click.Path(path_type=Path),
    help="posture.yaml (or POSTURE_CONFIG); its history.path locates the history.",
)
@click.option(
    "--format",
    "fmt",
    default=ReportFormat.HTML.value,
    show_default=True,
    help=f"{' or '.join(f.value for f in ReportFormat)}.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically); default stdout.",
)
@click.option(
    "--window",
    "window_range",
    help="FROM..TO (UTC days, both included): add the audit window's coverage calendar, "
    "exceptions, gaps and waivers from the history (as `posture audit` packs them).",
)
def report(
    scan_file: Path | None,
    latest: bool,
    history_dir: Path | None,
    state: StateLocation | None,
    config_path: Path | None,
    fmt: str,
    output: Path | None,
    window_range: str | None,
) -> ExitCode:
    """The SOC 2 readiness report for the audit team: areas, criteria, waivers, trend."""
    try:
        out_format = ReportFormat({"md": "markdown", "htm": "html"}.get(fmt.lower(), fmt.lower()))
    except ValueError:
        expected = ", ".join(f.value for f in ReportFormat)
        raise UsageError(f"unknown format {fmt!r} (expected one of: {expected})") from None
    if bool(scan_file) == latest:
        raise UsageError("give exactly one of --scan FILE or --latest")
    window = parse_range(window_range) if window_range is not None else None
    config = load_config(config_path)
    store = history_path(config, state)
    history: ScanHistory | None
    if scan_file is not None:
        doc = load_document(scan_file)
        history = history_source(history_dir, store, scope_of(doc))
    else:
        history = history_source(history_dir, store)
        found = history.latest() if history is not None else None
        if found is None:
            raise UsageError("the scan history holds no scan yet")
        doc = found
    records = history.records() if history is not None else ()
    previous = history.previous(doc) if history is not None else None
    catalogue = [c.meta for c in all_checks()]
    view = None
    if window is not None:
        view = window_view(window_evidence(config, state, window, ())[1])
    built = build_report(
        doc,
        records,
        now=datetime.now(UTC),
        catalogue=catalogue,
        previous=previous,
        suppressions=config.suppressions,
        window=view,
    )
    text = render_report(built, out_format)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    return ExitCode.OK
