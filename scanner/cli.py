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
from rich.console import Console
from rich.table import Table

from checks.registry import all_checks, select_checks
from scanner import logs
from scanner.check import AnyCheck
from scanner.commands.diff import diff_command
from scanner.commands.evidence import evidence
from scanner.commands.finish import finish_scan, nightly_options
from scanner.commands.history import history_command
from scanner.commands.options import format_option
from scanner.commands.report import report
from scanner.commands.waivers import waivers_command
from scanner.config import PostureConfig, load_config
from scanner.delivery import SINKS
from scanner.errors import PostureError, UsageError
from scanner.exit_codes import ExitCode
from scanner.inventory.run import RUN_PROVIDER, with_cross_provider
from scanner.models.enums import Severity
from scanner.output import EVERY_FORMAT, TABLE_OR_JSON, Format, format_names, parse_format
from scanner.output.files import write_atomic
from scanner.progress import NullProgress, ProgressSink, TerminalProgress
from scanner.prompt_exit import exit_promptly
from scanner.providers import load_demo, load_permissions, plugins, provider_names, spec
from scanner.scan import ScanPlan, required_collections, scan_spooled
from scanner.schema import findings_schema_text


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
    updated = current.model_validate({**current.model_dump(), **changes})
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
            kind = click.Path(file_okay=False, path_type=Path) if option.directory else None
            command = click.option(
                option.flag,
                param,
                multiple=option.multiple,
                envvar=option.envvar,
                type=kind,
                help=option.help,
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
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="POSTURE_STATE",
    help="History file (default: the XDG state directory; or POSTURE_STATE).",
)
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
@click.option("--demo", is_flag=True, help="Scan the embedded demo environment; no account needed.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success (for cron).")
@click.pass_context
def scan(
    ctx: click.Context,
    providers: tuple[str, ...],
    provider_settings: dict[str, dict[str, Any]],
    check_ids: tuple[str, ...],
    fmt: str | None,
    outputs: tuple[str, ...],
    state: Path | None,
    no_history: bool,
    since_last: bool,
    tickets: tuple[str, ...],
    log_format: str | None,
    fail_on: str | None,
    config_path: Path | None,
    demo: bool,
    quiet: bool,
) -> ExitCode:
    """Collect from the chosen providers and evaluate the checks."""
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
    if not chosen:
        raise UsageError(
            "no provider given: use --provider NAME, --demo, or `providers:` in the config"
        )
    include = check_ids or config.checks.include
    checks = tuple(
        c
        for c in select_checks(
            all_checks(), with_cross_provider(chosen), include, config.checks.exclude
        )
        if c.runs_with(config)
    )
    if not checks:
        raise UsageError("the selection leaves no check to run")
    chosen = _providers_of(chosen, checks)
    known_ids = tuple(c.id for c in all_checks())
    output_default = out_format if fmt is not None else None
    nightly = nightly_options(
        config, output_default, outputs, state, no_history, since_last, tickets, known_ids, demo
    )

    stderr = Console(stderr=True)
    with ExitStack() as stack:
        if demo:
            for name in chosen:
                factory = load_demo(name)
                if factory is None:
                    raise UsageError(f"provider {name} has no demo environment")
                config = stack.enter_context(factory(config))
        progress: ProgressSink = NullProgress()
        if stderr.is_terminal and not quiet:
            progress = stack.enter_context(TerminalProgress(stderr))
        doc = scan_spooled(
            ScanPlan(providers=tuple(chosen), checks=checks, config=config), progress=progress
        )
    try:
        return finish_scan(doc, config, nightly, out_format, fmt is not None, threshold, quiet)
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
        table.add_row(m.id, m.severity.value, m.category.value, ", ".join(m.soc2), m.title)
    Console(width=None if sys.stdout.isatty() else 200).print(table)
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
        click.echo(logs.error_line(_one_line(str(exc)), ExitCode.USAGE), err=True)
        return ExitCode.USAGE
    except Exception:
        if not _terminated.is_set():
            raise
        click.echo("posture: terminated", err=True)
        return ExitCode.TERMINATED
    return ExitCode(code) if isinstance(code, int) else ExitCode.OK


cli.add_command(diff_command)
cli.add_command(history_command)
cli.add_command(waivers_command)

if __name__ == "__main__":
    main()
