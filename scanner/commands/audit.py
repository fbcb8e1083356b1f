"""`posture audit`: the SOC 2 Type II evidence pack of a window; `posture audit verify`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from checks.registry import all_checks
from scanner.audit.evidence import WindowEvidence, gather
from scanner.audit.pack import write_pack
from scanner.audit.signing import load_private_key, load_public_key
from scanner.audit.verify import verify_pack
from scanner.audit.window import Window, make_window
from scanner.commands.options import config_option, state_option
from scanner.config import PostureConfig, load_config
from scanner.delivery import history_path
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.history import HistoryStore
from scanner.history.location import StateLocation


def catalogue() -> dict[str, tuple[str, ...]]:
    return {c.meta.id: tuple(c.meta.soc2) for c in all_checks()}


def window_evidence(
    config: PostureConfig, state: StateLocation | None, window: Window, scopes: tuple[str, ...]
) -> tuple[StateLocation, WindowEvidence]:
    """The window's evidence from the history (one line, exit 2, when there is none)."""
    path = history_path(config, state)
    if not path.is_file():
        raise UsageError(f"no history at {path}: run `posture scan` or `posture history import`")
    with HistoryStore(path, read_only=True) as store:
        evidence = gather(
            store,
            window,
            scopes,
            sla=config.audit.sla_days,
            suppressions=config.suppressions,
            catalogue=catalogue(),
        )
    return path, evidence


@click.group("audit", invoke_without_command=True)
@click.option("--from", "start", help="First day of the window (YYYY-MM-DD, UTC).")
@click.option("--to", "end", help="Last day of the window (YYYY-MM-DD, UTC), included.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    help="Only scans covering this account (provider:account or account); repeatable.",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="pack.zip")
@click.option(
    "--sign-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An Ed25519 private key (PEM or OpenSSH) to sign the manifest with.",
)
@state_option
@config_option
@click.pass_context
def audit_command(
    ctx: click.Context,
    start: str | None,
    end: str | None,
    scopes: tuple[str, ...],
    output: Path | None,
    sign_key: Path | None,
    state: StateLocation | None,
    config_path: Path | None,
) -> ExitCode:
    """Write the SOC 2 Type II evidence pack of the window FROM..TO (docs/audit.md):
    coverage per day and check, exceptions with time to remediate, waivers, populations,
    the raw scans and the hash chain, with a manifest of SHA-256 hashes."""
    if ctx.invoked_subcommand is not None:
        return ExitCode.OK
    if not start or not end or output is None:
        raise UsageError("posture audit needs --from DATE --to DATE --output pack.zip")
    window = make_window(start, end)
    key = load_private_key(sign_key) if sign_key is not None else None
    config = load_config(config_path)
    path, evidence = window_evidence(config, state, window, scopes)
    with HistoryStore(path, read_only=True) as store:
        documents = ((link, store.document(link.id)) for link in evidence.scans)
        files = write_pack(output, evidence, documents, key, datetime.now(UTC))
    gaps = len(evidence.days_without_scan)
    click.echo(
        f"wrote {output}: {len(files)} files, {len(evidence.scans)} scans over "
        f"{len(evidence.days)} days ({gaps} without a scan), {len(evidence.episodes)} exceptions",
        err=True,
    )
    if evidence.chain_problems:
        click.echo(
            f"posture: audit: the history's chain does not verify: {evidence.chain_problems[0]}",
            err=True,
        )
        return ExitCode.TAMPERED
    return ExitCode.OK


@audit_command.command("verify")
@click.argument("pack", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Ed25519 public key (PEM or OpenSSH) the manifest must be signed with.",
)
def audit_verify(pack: Path, public_key: Path | None) -> ExitCode:
    """Check every file of a pack against its manifest (and signature, and chain).

    Exit 0 when all match; 5 naming the first file that does not.
    """
    key = load_public_key(public_key) if public_key is not None else None
    verdict = verify_pack(pack, key)
    if verdict.ok:
        click.echo(f"{pack}: {verdict}")
        return ExitCode.OK
    click.echo(f"posture: audit verify: {pack}: {verdict}", err=True)
    return ExitCode.TAMPERED
