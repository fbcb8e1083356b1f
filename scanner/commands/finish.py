"""The end of `posture scan`: options checked before the scan, then waivers, history, outputs,
the terminal and the sinks once it is done."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from scanner import logs
from scanner.config import PostureConfig
from scanner.delivery import (
    OutputTarget,
    Prepared,
    build_sinks,
    check_suppressions,
    history_path,
    output_targets,
    prepare,
    sink_problems,
    write_outputs,
)
from scanner.document import Document
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.history.location import StateLocation
from scanner.models.enums import Severity
from scanner.output import Format, diff_format, write
from scanner.output import table as table_output
from scanner.output.table import DEFAULT_VIEW, View
from scanner.scan import exit_code
from scanner.sinks import SinkFactory, run_sinks
from scanner.terminal import print_out


@dataclass(frozen=True)
class NightlyOptions:
    outputs: tuple[OutputTarget, ...]
    state: StateLocation | None
    record: bool
    since_last: bool
    sinks: tuple[tuple[str, SinkFactory], ...]
    dry_run: bool = False
    """Preview what the sinks would send; send nothing, record nothing in the history."""


def nightly_options(
    config: PostureConfig,
    out_format: Format | None,
    outputs: tuple[str, ...],
    state: StateLocation | None,
    no_history: bool,
    since_last: bool,
    tickets: tuple[str, ...],
    known_check_ids: tuple[str, ...],
    demo: bool = False,
    dry_run: bool = False,
) -> NightlyOptions:
    """Validates everything the delivery needs before the (long) scan starts.

    `out_format` is the --format given, if any: without it an --output PATH is written in the
    format its file name says."""
    record = config.history.enabled and not no_history
    if since_last and not record:
        raise UsageError("--since-last compares with the history: drop --no-history")
    check_suppressions(config, known_check_ids)
    if record and history_path(config, state).is_dir():
        raise UsageError(f"--state {history_path(config, state)} is a directory, not a file")
    return NightlyOptions(
        outputs=tuple(output_targets(outputs, out_format, config)),
        state=state,
        record=record,
        since_last=since_last,
        sinks=tuple(build_sinks(config, tickets, demo, dry_run)),
        dry_run=dry_run,
    )


def finish_scan(
    doc: Document,
    config: PostureConfig,
    opts: NightlyOptions,
    out_format: Format,
    format_given: bool,
    threshold: Severity,
    quiet: bool,
    view: View = DEFAULT_VIEW,
) -> ExitCode:
    prepared = prepare(doc, config, opts.state, opts.record, opts.dry_run)
    doc = prepared.document
    write_outputs(doc, opts.outputs)
    if opts.since_last:
        if not quiet:
            if prepared.previous is None:
                logs.notice("posture: no earlier scan of these accounts; all open findings are new")
            if out_format is Format.JSON:
                click.echo(diff_format.render_json(prepared.changes), nl=False)
            else:
                print_out(diff_format.build(prepared.changes))
    elif opts.outputs:
        if not quiet:
            logs.notice(table_output.summary_line(doc))
    elif quiet:
        if format_given and out_format is not Format.TABLE:
            write(doc, out_format, sys.stdout)
    elif out_format is Format.TABLE:
        print_out(table_output.build(doc, view, closing_lines(opts, prepared)))
    else:
        write(doc, out_format, sys.stdout)
    sys.stdout.flush()
    reports = run_sinks(opts.sinks, doc, prepared.changes, opts.dry_run)
    if opts.dry_run:
        logs.notice("posture: dry run: nothing sent, nothing recorded in the history")
        for r in reports:
            logs.notice(f"posture: {r.describe()}")
    elif not quiet:
        for r in reports:
            if r.ok:
                logs.notice(f"posture: {r.describe()}")
    problems = prepared.problems + sink_problems(reports)
    code = exit_code(doc, threshold)
    if problems:
        code = ExitCode.DELIVERY
    if quiet and code is not ExitCode.OK:
        logs.notice(table_output.summary_line(doc))
    return code


def closing_lines(opts: NightlyOptions, prepared: Prepared) -> list[str]:
    """Where the reader goes next: the readiness report and the history."""
    state = f" --state {opts.state}" if opts.state else ""
    if prepared.scan_id is not None:
        return [
            f"Readiness report: posture report --latest{state} --output report.html",
            f"History: posture history{state} (this scan is #{prepared.scan_id}); "
            f"changes since the last scan: --since-last",
        ]
    saved = [t.path for t in opts.outputs if t.format is Format.JSON]
    if saved:
        return [f"Readiness report: posture report --scan {saved[0]} --output report.html"]
    why = "a dry run records nothing" if opts.dry_run else "--no-history"
    return [
        "Readiness report: save the findings (--output findings.json), then "
        "posture report --scan findings.json",
        f"This scan is not in the history ({why}).",
    ]
