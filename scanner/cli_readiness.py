"""CLI commands of the readiness work: `posture evidence init|validate` and `posture report`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from checks.registry import all_checks
from scanner.config import load_config
from scanner.delivery import history_path
from scanner.errors import UsageError
from scanner.history.store import scope_of
from scanner.output.files import write_atomic
from scanner.report.history import DirectoryHistory, ScanHistory, StoreHistory, load_document
from scanner.report.model import build_report
from scanner.report.render import ReportFormat, render_report

EXIT_OK, EXIT_USAGE = 0, 2


@click.group()
def evidence() -> None:
    """The evidence directory: policies, risk register, training, vendors, reviews."""


@evidence.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def evidence_init(directory: Path) -> int:
    """Write a starter evidence directory with the SOC 2 policy library."""
    from providers.evidence.starter import write_starter

    written, kept = write_starter(directory)
    for rel in written:
        click.echo(f"wrote {directory / rel}")
    for rel in kept:
        click.echo(f"kept  {directory / rel} (already there)")
    click.echo(
        f"{len(written)} files written. Fill in owners and approvals, then run "
        f"`posture scan --provider evidence --evidence {directory}`.",
        err=True,
    )
    return EXIT_OK


@evidence.command("validate")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def evidence_validate(directory: Path) -> int:
    """Check every evidence file against the format; print each problem with file and line."""
    from providers.evidence.adapter import all_problems

    if not directory.is_dir():
        raise UsageError(f"evidence directory {directory} does not exist or is not a directory")
    problems = all_problems(directory)
    for p in problems:
        click.echo(f"{directory}/{p}", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        return EXIT_USAGE
    click.echo(f"{directory}: valid")
    return EXIT_OK


def history_source(
    history_dir: Path | None, store: Path, scope: str | None = None
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
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="POSTURE_STATE",
    help="History file (default: the XDG state directory; or POSTURE_STATE).",
)
@click.option(
    "--config",
    "config_path",
    envvar="POSTURE_CONFIG",
    type=click.Path(path_type=Path),
    help="posture.yaml (or POSTURE_CONFIG); its history.path locates the history.",
)
@click.option("--format", "fmt", default="html", show_default=True, help="html or markdown.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically); default stdout.",
)
def report(
    scan_file: Path | None,
    latest: bool,
    history_dir: Path | None,
    state: Path | None,
    config_path: Path | None,
    fmt: str,
    output: Path | None,
) -> int:
    """The SOC 2 readiness report for the audit team: areas, criteria, waivers, trend."""
    try:
        out_format = ReportFormat({"md": "markdown", "htm": "html"}.get(fmt.lower(), fmt.lower()))
    except ValueError:
        raise UsageError(f"unknown format {fmt!r} (expected one of: html, markdown)") from None
    if bool(scan_file) == latest:
        raise UsageError("give exactly one of --scan FILE or --latest")
    store = history_path(load_config(config_path), state)
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
    catalogue = [c.meta for c in all_checks()]
    built = build_report(doc, records, now=datetime.now(UTC), catalogue=catalogue)
    text = render_report(built, out_format)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    return EXIT_OK
