"""`posture scan --shard K/N --run-id ID`, `posture finalize --run-id ID` (and the brokered scan's
planning and waiting, in scanner.distributed.celery_app)."""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path

import click

from checks.registry import all_checks
from scanner import logs
from scanner.commands.finish import NightlyOptions, finish_scan, nightly_options
from scanner.commands.options import STATE_HELP, config_option
from scanner.config import PostureConfig, load_config
from scanner.distributed.execute import execute
from scanner.distributed.finalize import run_document
from scanner.distributed.plan import job_scopes, parse_shard, plan_data, plan_from, shard_of
from scanner.distributed.runs import DONE, FAILED, QUEUED, RunStore
from scanner.errors import UsageError
from scanner.exit_codes import ExitCode
from scanner.history.location import DatabaseUrl, StateLocation, parse_state
from scanner.models.enums import Severity
from scanner.output import EVERY_FORMAT, Format, format_names, parse_format
from scanner.scan import ScanPlan, utc_now

log = logging.getLogger(__name__)

SHARD_POLL_SECONDS = 2.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_shard(
    plan: ScanPlan, shard: str, run_id: str | None, state: StateLocation | None, quiet: bool
) -> ExitCode:
    """Shard K of N: plans the run if no shard has yet (every shard lists the same scopes),
    then runs the jobs that hash to K. No broker: Kubernetes Indexed Jobs, CI matrices."""
    k, n = parse_shard(shard)
    if not run_id or state is None:
        raise UsageError("--shard needs --run-id ID and --state (the shared history database)")
    data = plan_data(plan)
    with RunStore(state) as store:
        existing = store.run(run_id)
        if existing is None:
            scopes = job_scopes(plan)
            store.create_run(
                run_id,
                utc_now(),
                data,
                scopes,
                mode="sharded",
                shards=n,
                shard_of=lambda s: shard_of(s, n),
            )
        elif existing.shards != n:
            raise UsageError(f"run {run_id} has {existing.shards} shards, not {n}")
        me = worker_name()
        done = failed = 0
        for job in store.jobs(run_id, shard=k):
            final = run_shard_job(store, job.id, me)
            done += final == DONE
            failed += final == FAILED
    if not quiet:
        logs.notice(f"posture: shard {k}/{n} of run {run_id}: {done} job(s) done, {failed} failed")
    return ExitCode.PARTIAL if failed else ExitCode.OK


def run_shard_job(store: RunStore, job_id: int, me: str) -> str:
    """Runs one job of the shard to an end, DONE or FAILED. A job another process holds (a
    dead copy of this shard whose lease has not run out, or this account in another run) is
    waited for, and reaped once its lease expires, so a re-run shard finishes its own work."""
    while True:
        job = store.job(job_id)
        assert job is not None
        if job.status in (DONE, FAILED):
            return job.status
        if job.status == QUEUED and store.claim(job_id, me):
            claimed = store.job(job_id)
            assert claimed is not None
            try:
                execute(store, claimed, me)
            except Exception:
                log.warning("%s failed", job.scope.key, exc_info=True)
            continue
        time.sleep(SHARD_POLL_SECONDS)
        store.reap()


@click.command("finalize")
@click.option("--run-id", required=True, help="The run to finalize (as given to the shards).")
@click.option("--state", required=True, envvar="POSTURE_STATE", help=STATE_HELP)
@click.option("--format", "fmt", default=None, help=f"{format_names(EVERY_FORMAT)}.")
@click.option("--output", "outputs", multiple=True, help="PATH or FORMAT=PATH (repeatable).")
@click.option("--no-history", is_flag=True, help="Do not record the run in the history.")
@click.option("--since-last", is_flag=True, help="Show what changed since the last scan.")
@click.option("--ticket", "tickets", multiple=True, help="Run this sink (repeatable).")
@click.option("--fail-on", default=None, help="Lowest severity that makes the exit code 1.")
@config_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def finalize_command(
    run_id: str,
    state: str,
    fmt: str | None,
    outputs: tuple[str, ...],
    no_history: bool,
    since_last: bool,
    tickets: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
    quiet: bool,
) -> ExitCode:
    """Merge a sharded run once every shard is in: the document, outputs, history, sinks and
    exit code an in-process scan of the same scope gives."""
    location = parse_state(state)
    with RunStore(location) as store:
        run = store.run(run_id)
        if run is None:
            raise UsageError(f"no run {run_id} in {location}")
        plan = plan_from(run.plan)
        config = load_config(config_path) if config_path else plan.config
        out_format = parse_format(fmt or Format.TABLE.value)
        threshold = Severity(fail_on.lower()) if fail_on else config.fail_on
        known = tuple(c.id for c in all_checks())
        nightly = nightly_options(
            config,
            out_format if fmt else None,
            outputs,
            location,
            no_history,
            since_last,
            tickets,
            known,
        )
        return finalize_run(
            store, run_id, config, nightly, out_format, fmt is not None, threshold, quiet
        )


def finalize_run(
    store: RunStore,
    run_id: str,
    config: PostureConfig,
    nightly: NightlyOptions,
    out_format: Format,
    format_given: bool,
    threshold: Severity,
    quiet: bool,
) -> ExitCode:
    """Once: the run's row is taken (or the call refused), the document built, and the same
    ending as an in-process scan runs on it."""
    run = store.begin_finalize(run_id)
    try:
        doc = run_document(store, run)
    except BaseException:
        store.abandon_finalize(run_id)
        raise
    try:
        code = finish_scan(doc, config, nightly, out_format, format_given, threshold, quiet)
    finally:
        doc.close()
    store.end_finalize(run_id, int(code), None)
    return code


@click.command("worker")
@click.option("--broker", required=True, envvar="POSTURE_BROKER", help="redis://host:6379/0")
@click.option("--state", required=True, envvar="POSTURE_STATE", help=STATE_HELP)
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 256))
def worker_command(broker: str, state: str, concurrency: int) -> ExitCode:
    """Run a Celery worker: it takes jobs (one account each) and writes their findings."""
    from scanner.distributed.celery_app import QUEUE, check_broker, make_app

    location = parse_state(state)
    if not isinstance(location, DatabaseUrl):
        raise UsageError(
            "posture worker needs --state postgresql://... (POSTURE_STATE): the database the "
            "planner and every worker share"
        )
    RunStore(location).close()  # the schema is current before the first job arrives
    app = make_app(broker, location)
    check_broker(app, broker)
    argv = ["worker", "--queues", QUEUE, "--concurrency", str(concurrency), "--loglevel", "INFO"]
    argv += ["--without-gossip", "--without-mingle", "--pool", "prefork"]
    app.worker_main(argv)
    return ExitCode.OK
