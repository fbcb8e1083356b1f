"""The `posture` command line. Thin: parses input, calls the scanner, maps errors to exit codes."""

from __future__ import annotations

import functools
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich.table import Table

from checks.registry import all_checks, select_checks
from scanner import logs
from scanner.check import AnyCheck
from scanner.commands import checks_show
from scanner.commands.audit import audit_command
from scanner.commands.checks_show import find_check
from scanner.commands.diff import diff_command
from scanner.commands.distributed import finalize_command, run_shard, worker_command
from scanner.commands.evidence import evidence
from scanner.commands.finish import finish_scan, nightly_options
from scanner.commands.history import history_command
from scanner.commands.options import config_option, format_option, state_option
from scanner.commands.report import report
from scanner.commands.waivers import waivers_command
from scanner.config import PostureConfig, load_config
from scanner.delivery import SINKS
from scanner.errors import PostureError, UsageError
from scanner.exit_codes import ExitCode
from scanner.filters import narrow_checks, parse_criteria, parse_severities, parse_statuses
from scanner.history.location import StateLocation
from scanner.inventory.run import RUN_PROVIDER, with_cross_provider
from scanner.models.enums import Severity, Status
from scanner.output import EVERY_FORMAT, TABLE_OR_JSON, Format, format_names, parse_format
from scanner.output.files import write_atomic
from scanner.output.table import DEFAULT_STATUSES, View
from scanner.progress import NullProgress, ProgressSink, TerminalProgress
from scanner.prompt_exit import exit_promptly
from scanner.providers import load_demo, load_permissions, plugins, provider_names, spec
from scanner.scan import ScanPlan, required_collections, scan_spooled
from scanner.schema import findings_schema_text
from scanner.terminal import print_out, stderr_console, text


def _choice(value: str, enum: type[Severity] | type[logs.LogFormat], what: str) -> Any:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise UsageError(f"unknown {what} {value!r} (expected one of: {allowed})") from None


def _override(config: PostureConfig, section: str, **values: Any) -> PostureConfig:
    changes = {k: v for k, v in values.items() if v not in (None, ())}
    if not changes:
        return config
    current = getattr(config, section)
    try:
        updated = current.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][:1])
        message = str(first.get("ctx", {}).get("error") or first["msg"])
        raise UsageError(f"{section}.{where}: {message}") from None
    return config.model_copy(update={section: updated})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="posture-scanner", prog_name="posture")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option(
    "--log-format",
    default="text",
    envvar="POSTURE_LOG_FORMAT",
    show_default=True,
    help="text, or json (one JSON object per line on stderr).",
)
@click.option(
    "--debug-sdk",
    "debug_sdks",
    multiple=True,
    help=f"Also log this SDK's internals at -vv, redacted: {', '.join(logs.SDK_LOGGERS)} or all "
    f"(repeatable; or {logs.DEBUG_SDK_ENV}=a,b).",
)
@click.pass_context
def cli(ctx: click.Context, verbose: int, log_format: str, debug_sdks: tuple[str, ...]) -> None:
    """posture: cloud and identity posture scanner with SOC 2 mappings."""
    level = logging.WARNING - 10 * min(verbose, 2)
    sdks = logs.sdk_debug_names(debug_sdks)
    ctx.obj = {"log_level": level, "debug_sdks": sdks}
    logs.configure(level, _choice(log_format, logs.LogFormat, "log format"), debug_sdks=sdks)


def provider_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Every plugin's `posture scan` options; their values reach the command grouped by
    provider as `provider_settings` ({provider: {config field: value}})."""
    params: dict[str, tuple[str, str]] = {}
    for plugin in reversed(plugins()):
        for option in reversed(plugin.options):
            param = f"{plugin.name}__{option.field}"
            params[param] = (plugin.name, option.field)
            kind: click.Path | None = None
            if option.directory:
                kind = click.Path(file_okay=False, path_type=Path)
            elif option.file:
                kind = click.Path(dir_okay=False, exists=True, path_type=Path)
            switch: dict[str, Any] = {"is_flag": True, "default": None} if option.switch else {}
            command = click.option(
                option.flag,
                param,
                multiple=option.multiple,
                envvar=option.envvar,
                type=kind,
                help=option.help,
                **switch,
            )(command)

    @functools.wraps(command)
    def grouped(*args: Any, **kwargs: Any) -> Any:
        settings: dict[str, dict[str, Any]] = {}
        for param, (provider, field) in params.items():
            settings.setdefault(provider, {})[field] = kwargs.pop(param)
        return command(*args, provider_settings=settings, **kwargs)

    return grouped


@cli.command()
@click.option(
    "--provider", "providers", multiple=True, help=f"{', '.join(provider_names())} (repeatable)."
)
@provider_options
@click.option(
    "--check", "check_ids", multiple=True, help="Run only this check id or glob (repeatable)."
)
@click.option(
    "--format",
    "fmt",
    default=None,
    help=f"{format_names(EVERY_FORMAT)} [default: {Format.TABLE.value}].",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    help="PATH (in --format) or FORMAT=PATH, written atomically (repeatable).",
)
@state_option
@click.option("--no-history", is_flag=True, help="Do not record this scan in the history.")
@click.option(
    "--since-last", is_flag=True, help="Show what changed since the last scan of these accounts."
)
@click.option(
    "--ticket", "tickets", multiple=True, help=f"Run this sink: {' or '.join(SINKS)} (repeatable)."
)
@click.option("--log-format", default=None, help="text or json (logs on stderr).")
@click.option(
    "--fail-on", default=None, help="Lowest severity that makes the exit code 1 [default: low]."
)
@click.option(
    "--config",
    "config_path",
    envvar="POSTURE_CONFIG",
    type=click.Path(path_type=Path),
    help="posture.yaml (or POSTURE_CONFIG).",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    help="Run only checks of this severity: high+ (and worse), high, or a list (repeatable).",
)
@click.option(
    "--soc2",
    "criteria",
    multiple=True,
    help="Run only checks mapping to this criterion or prefix: CC6.1, CC6 (repeatable).",
)
@click.option(
    "--exclude-check",
    "exclude_checks",
    multiple=True,
    help="Skip this check id or glob (repeatable).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    help="List these statuses on the terminal: fail,error,muted,pass [default: fail,error]. "
    "Display only: the exit code and the outputs keep every result.",
)
@click.option("--details", is_flag=True, help="List every row, not findings grouped by check.")
@click.option(
    "--all", "show_all", is_flag=True, help="List every row of every status (--details --status …)."
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what the sinks would send; send nothing and record nothing in the history.",
)
@click.option("--demo", is_flag=True, help="Scan the embedded demo environment; no account needed.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success (for cron).")
@click.option("--shard", default=None, help="K/N: run shard K of N of --run-id (no broker).")
@click.option("--run-id", default=None, help="The distributed run this shard belongs to.")
@click.option(
    "--broker", default=None, envvar="POSTURE_BROKER", help="redis://... : run on Celery workers."
)
@click.pass_context
def scan(
    ctx: click.Context,
    providers: tuple[str, ...],
    provider_settings: dict[str, dict[str, Any]],
    check_ids: tuple[str, ...],
    fmt: str | None,
    outputs: tuple[str, ...],
    state: StateLocation | None,
    no_history: bool,
    since_last: bool,
    tickets: tuple[str, ...],
    log_format: str | None,
    fail_on: str | None,
    config_path: Path | None,
    severities: tuple[str, ...],
    criteria: tuple[str, ...],
    exclude_checks: tuple[str, ...],
    statuses: tuple[str, ...],
    details: bool,
    show_all: bool,
    dry_run: bool,
    demo: bool,
    quiet: bool,
    shard: str | None,
    run_id: str | None,
    broker: str | None,
) -> ExitCode:
    """Collect from the chosen providers and evaluate the checks.

    --severity, --soc2, --check and --exclude-check choose what runs, so the exit code follows
    them; --status, --details and --all only change what the terminal lists."""
    if log_format is not None:
        level = (ctx.obj or {}).get("log_level", logging.WARNING)
        sdks = (ctx.obj or {}).get("debug_sdks", set())
        logs.configure(level, _choice(log_format, logs.LogFormat, "log format"), debug_sdks=sdks)
    out_format = parse_format(fmt or Format.TABLE.value)
    config = load_config(config_path)
    threshold: Severity = _choice(fail_on, Severity, "severity") if fail_on else config.fail_on
    for name in providers:
        spec(name)
    for name, values in provider_settings.items():
        config = _override(config, spec(name).config_section, **values)
    chosen = providers or config.providers
    if demo and not chosen:
        chosen = tuple(n for n in provider_names() if spec(n).demo)
    if config.tls.probe_cloud and chosen and "tls" not in chosen:
        chosen = (*chosen, "tls")  # --probe-tls: the probe's checks judge what it finds
    if not chosen:
        raise UsageError(
            "no provider given: use --provider NAME, --demo, or `providers:` in the config"
        )
    include = check_ids or config.checks.include
    view = View(
        statuses=frozenset(Status) if show_all else parse_statuses(statuses) or DEFAULT_STATUSES,
        details=details or show_all,
    )
    exclude = (*config.checks.exclude, *exclude_checks)
    checks = narrow_checks(
        tuple(
            c
            for c in select_checks(all_checks(), with_cross_provider(chosen), include, exclude)
            if c.runs_with(config)
        ),
        parse_severities(severities),
        parse_criteria(criteria),
    )
    if not checks:
        raise UsageError("the selection leaves no check to run")
    chosen = _providers_of(chosen, checks)
    known_ids = tuple(c.id for c in all_checks())
    output_default = out_format if fmt is not None else None
    nightly = nightly_options(
        config,
        output_default,
        outputs,
        state,
        no_history,
        since_last,
        tickets,
        known_ids,
        demo,
        dry_run,
    )

    stderr = stderr_console()
    with ExitStack() as stack:
        # Started first: the demo environment and the SDK imports take seconds themselves.
        progress: ProgressSink = NullProgress()
        if stderr.is_terminal and not quiet:
            progress = stack.enter_context(TerminalProgress(stderr))
        if demo:
            for name in chosen:
                progress.phase(f"starting the {name} demo environment")
                factory = load_demo(name)
                if factory is None:
                    raise UsageError(f"provider {name} has no demo environment")
                config = stack.enter_context(factory(config))
        plan = ScanPlan(providers=tuple(chosen), checks=checks, config=config)
        if shard is not None:
            return run_shard(plan, shard, run_id, state, quiet)
        if broker is not None:
            from scanner.distributed.brokered import dispatch_and_wait, finalize_brokered

            brokered = dispatch_and_wait(plan, broker, run_id, state, quiet, progress)
        else:
            doc = scan_spooled(plan, progress=progress)
    if broker is not None:
        assert state is not None  # dispatch_and_wait refuses a brokered scan without one
        return finalize_brokered(state, brokered, config, nightly, fmt, threshold, quiet)
    try:
        return finish_scan(
            doc, config, nightly, out_format, fmt is not None, threshold, quiet, view
        )
    finally:
        doc.close()


def _providers_of(chosen: Sequence[str], checks: Sequence[AnyCheck]) -> tuple[str, ...]:
    """The chosen providers some selected check reads: `--check 'evidence.*'` asks no cloud
    for credentials. Cross-provider checks read every chosen provider."""
    wanted = {c.meta.provider for c in checks}
    if RUN_PROVIDER in wanted:
        return tuple(chosen)
    return tuple(p for p in chosen if p in wanted)


@cli.group()
def checks() -> None:
    """The check catalogue."""


@checks.command("list")
@click.option("--provider", "providers", multiple=True, help="Only this provider's checks.")
@format_option(TABLE_OR_JSON, Format.TABLE)
def list_checks(providers: tuple[str, ...], fmt: str) -> ExitCode:
    """Print every check with its severity, category and SOC 2 criteria."""
    out_format = parse_format(fmt, TABLE_OR_JSON)
    for name in providers:
        if name != RUN_PROVIDER:
            spec(name)
    selected = select_checks(all_checks(), providers)
    if out_format is Format.JSON:
        payload = [c.meta.model_dump(mode="json") for c in selected]
        click.echo(json.dumps(payload, indent=2))
        return ExitCode.OK
    table = Table(header_style="bold")
    for column in ("id", "severity", "category", "soc2", "title"):
        table.add_column(column, overflow="fold")
    for c in selected:
        m = c.meta
        cells = (m.id, m.severity.value, m.category.value, ", ".join(m.soc2), m.title)
        table.add_row(*(text(cell) for cell in cells))
    print_out(table)
    return ExitCode.OK


@checks.command("show")
@click.argument("check_id")
@config_option
@format_option(TABLE_OR_JSON, Format.TABLE)
def show_check(check_id: str, config_path: Path | None, fmt: str) -> ExitCode:
    """One check: criteria, remediation, the collections it reads, permissions, settings
    (with the values the --config gives them)."""
    out_format = parse_format(fmt, TABLE_OR_JSON)
    config = load_config(config_path)
    check = find_check(all_checks(), check_id.strip())
    if out_format is Format.JSON:
        click.echo(json.dumps(checks_show.as_json(check, config), indent=2))
    else:
        print_out(checks_show.describe(check, config))
    return ExitCode.OK


@cli.command()
@click.option("--provider", "provider", required=True, help="The provider to describe.")
@click.option("--check", "check_ids", multiple=True, help="Only what these checks need.")
def permissions(provider: str, check_ids: tuple[str, ...]) -> ExitCode:
    """Print the least-privilege policy the selected checks need (derived from the collectors)."""
    spec(provider)
    for pattern in check_ids:
        owners = sorted({c.meta.provider for c in select_checks(all_checks(), (), (pattern,))})
        if provider not in owners:
            raise UsageError(
                f"--check {pattern!r} names {', '.join(owners)} checks, not {provider} ones: "
                f"use --provider {owners[0]}"
            )
    selected = select_checks(all_checks(), (provider,), check_ids)
    renderer = load_permissions(provider)
    if renderer is None:
        click.echo(
            f"The {provider} provider calls no cloud API: it needs no cloud permissions, only "
            "read access to its files."
        )
        return ExitCode.OK
    click.echo(renderer(required_collections(selected)), nl=False)
    return ExitCode.OK


@cli.command()
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def schema(output: Path | None) -> ExitCode:
    """Print the JSON Schema of the findings document (`--format json`)."""
    text = findings_schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
    return ExitCode.OK


cli.add_command(evidence)
cli.add_command(report)


def _one_line(message: str) -> str:
    return " ".join(message.split())


class Terminated(BaseException):
    """SIGTERM (cron's kill, a container stop): unwind like Ctrl-C so nothing is left half-done."""


_terminated = threading.Event()
"""Set by SIGTERM: a library that wraps the Terminated it interrupted (pydantic serialising
a document turns it into a PydanticSerializationError) still ends the run as terminated."""


def _on_sigterm(signum: int, frame: object) -> None:
    _terminated.set()
    raise Terminated


def main(argv: list[str] | None = None) -> None:
    """The `posture` command. Without `argv` (the console script) it owns the process and
    exits promptly even if calls abandoned at the scan deadline still hang; with `argv`
    (called from Python, as tests do) it raises SystemExit like any click command."""
    code = _run(argv)
    if argv is None:
        exit_promptly(code)
    sys.exit(code)


def _run(argv: list[str] | None) -> ExitCode:
    _terminated.clear()
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        code = cli.main(args=argv, prog_name="posture", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        click.echo(logs.error_line(_one_line(exc.format_message()), ExitCode.USAGE), err=True)
        return ExitCode.USAGE
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("posture: interrupted", err=True)
        return ExitCode.INTERRUPTED
    except Terminated:
        click.echo("posture: terminated", err=True)
        return ExitCode.TERMINATED
    except PostureError as exc:
        if _terminated.is_set():
            click.echo("posture: terminated", err=True)
            return ExitCode.TERMINATED
        click.echo(logs.error_line(_one_line(str(exc)), exc.exit_code), err=True)
        return exc.exit_code
    except Exception:
        if not _terminated.is_set():
            raise
        click.echo("posture: terminated", err=True)
        return ExitCode.TERMINATED
    return ExitCode(code) if isinstance(code, int) else ExitCode.OK


cli.add_command(diff_command)
cli.add_command(finalize_command)
cli.add_command(worker_command)
cli.add_command(history_command)
cli.add_command(waivers_command)
cli.add_command(audit_command)

if __name__ == "__main__":
    main()
