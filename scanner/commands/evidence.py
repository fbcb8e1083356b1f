"""`posture evidence init|validate`: the evidence directory the evidence provider reads."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.errors import UsageError
from scanner.exit_codes import ExitCode


@click.group()
def evidence() -> None:
    """The evidence directory: policies, risk register, training, vendors, reviews."""


@evidence.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def evidence_init(directory: Path) -> ExitCode:
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
    return ExitCode.OK


@evidence.command("validate")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def evidence_validate(directory: Path) -> ExitCode:
    """Check every evidence file against the format; print each problem with file and line."""
    from providers.evidence.adapter import all_problems

    if not directory.is_dir():
        raise UsageError(f"evidence directory {directory} does not exist or is not a directory")
    problems = all_problems(directory)
    for p in problems:
        click.echo(f"{directory}/{p}", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        return ExitCode.USAGE
    click.echo(f"{directory}: valid")
    return ExitCode.OK
