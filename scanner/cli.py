"""The `posture` command line. Thin: parses input, calls the scanner, maps errors to exit codes."""

from __future__ import annotations

import json
import logging
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from checks.registry import all_checks, select_checks
from scanner.config import PostureConfig, load_config
from scanner.errors import PostureError, UsageError
from scanner.models.enums import Severity
from scanner.output import Format, render
from scanner.output import table as table_output
from scanner.output.files import write_atomic
from scanner.progress import NullProgress, ProgressSink, TerminalProgress
from scanner.providers import load_demo, provider_names, spec
from scanner.scan import ScanPlan, exit_code, run_scan

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _choice(value: str, enum: type[Format] | type[Severity], what: str) -> Any:
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
@click.version_option(package_name="posture", prog_name="posture")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """posture: cloud and identity posture scanner with SOC 2 mappings."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )


@cli.command()
@click.option("--provider", "providers", multiple=True, help="aws (repeatable).")
@click.option(
    "--region", "regions", multiple=True, help="AWS region (repeatable; default all enabled)."
)
@click.option("--profile", help="AWS profile name (default: the standard credential chain).")
@click.option("--project", "projects", multiple=True, help="GCP project id (repeatable).")
@click.option("--organization", help="GCP organization id: scan its active projects.")
@click.option("--workspace-admin", help="Workspace admin email for domain-wide delegation.")
@click.option("--workspace-customer", help="Workspace customer id [default: my_customer].")
@click.option(
    "--check", "check_ids", multiple=True, help="Run only this check id or glob (repeatable)."
)
@click.option("--format", "fmt", default="table", show_default=True, help="table or json.")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (atomically)."
)
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
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no summary.")
def scan(
    providers: tuple[str, ...],
    regions: tuple[str, ...],
    profile: str | None,
    projects: tuple[str, ...],
    organization: str | None,
    workspace_admin: str | None,
    workspace_customer: str | None,
    check_ids: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    config_path: Path | None,
    demo: bool,
    quiet: bool,
) -> int:
    """Collect from the chosen providers and evaluate the checks."""
    out_format: Format = _choice(fmt, Format, "format")
    config = load_config(config_path)
    threshold: Severity = _choice(fail_on, Severity, "severity") if fail_on else config.fail_on
    for name in providers:
        spec(name)
    config = _override(config, "aws", regions=regions, profile=profile)
    config = _override(
        config,
        "gcp",
        projects=projects,
        organization=organization,
        workspace_admin=workspace_admin,
        workspace_customer=workspace_customer,
    )
    chosen = providers or config.providers
    if demo and not chosen:
        chosen = tuple(n for n in provider_names() if spec(n).demo)
    if not chosen:
        raise UsageError(
            "no provider given: use --provider NAME, --demo, or `providers:` in the config"
        )
    include = check_ids or config.checks.include
    checks = select_checks(all_checks(), chosen, include, config.checks.exclude)
    if not checks:
        raise UsageError("the selection leaves no check to run")

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
        doc = run_scan(
            ScanPlan(providers=tuple(chosen), checks=checks, config=config), progress=progress
        )

    text = render(doc, out_format)
    if output is not None:
        write_atomic(output, text)
        if not quiet:
            click.echo(table_output.summary_line(doc), err=True)
    elif out_format is Format.TABLE and Console().is_terminal:
        Console().print(table_output.build(doc))
    else:
        click.echo(text, nl=False)
    return exit_code(doc, threshold)


@cli.group()
def checks() -> None:
    """The check catalogue."""


@checks.command("list")
@click.option("--provider", "providers", multiple=True, help="Only this provider's checks.")
@click.option("--format", "fmt", default="table", show_default=True, help="table or json.")
def list_checks(providers: tuple[str, ...], fmt: str) -> int:
    """Print every check with its severity, category and SOC 2 criteria."""
    out_format: Format = _choice(fmt, Format, "format")
    for name in providers:
        spec(name)
    selected = select_checks(all_checks(), providers)
    if out_format is Format.JSON:
        payload = [c.meta.model_dump(mode="json") for c in selected]
        click.echo(json.dumps(payload, indent=2))
        return EXIT_OK
    table = Table(header_style="bold")
    for column in ("id", "severity", "category", "soc2", "title"):
        table.add_column(column, overflow="fold")
    for c in selected:
        m = c.meta
        table.add_row(m.id, m.severity.value, m.category.value, ", ".join(m.soc2), m.title)
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    return EXIT_OK


def _one_line(message: str) -> str:
    return " ".join(message.split())


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="posture", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        click.echo(f"posture: error: {_one_line(exc.format_message())}", err=True)
        sys.exit(EXIT_USAGE)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("posture: interrupted", err=True)
        sys.exit(130)
    except PostureError as exc:
        click.echo(f"posture: error: {_one_line(str(exc))}", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    main()
