"""Benchmark: an organisation scanned in one process and on 1, 2 and 4 Celery workers.

    .venv/bin/python -m bench.distributed --members 10,100 --workers 1,2,4 --latency-ms 20

A moto server (bench's MotoServer: `--latency-ms` added to every call) holds an organisation of
`members` accounts, each with a few users and buckets in 2 regions. The same scan runs
in-process (`posture scan --org-role`) and brokered (`posture scan --broker`, real Redis and
PostgreSQL started for the run, as the tests do) on N worker processes (concurrency 1 each).
Reported: accounts per minute, API calls, peak memory of the scanning process / of each worker.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import boto3

from bench.run import measure
from providers.demo.fakes.moto_server import MotoServer
from tests.distributed.support import worker_argv

ROLE = "PostureAudit"
REGIONS = ("us-east-1", "eu-west-1")


@dataclass
class Row:
    members: int
    mode: str
    workers: int
    wall_seconds: float
    accounts_per_minute: float
    calls: int
    peak_rss_mb: float
    exit_code: int
    findings: int


def seed(url: str, members: int) -> None:
    org = boto3.client("organizations", endpoint_url=url, region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    for n in range(members):
        account = org.create_account(Email=f"m{n}@example.com", AccountName=f"member-{n}")[
            "CreateAccountStatus"
        ]["AccountId"]
        creds = boto3.client("sts", endpoint_url=url, region_name="us-east-1").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed"
        )["Credentials"]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        iam = session.client("iam", endpoint_url=url, region_name="us-east-1")
        for u in range(3):
            iam.create_user(UserName=f"user-{u}")
            if u == 0:
                iam.create_login_profile(UserName="user-0", Password="Bench-Passw0rd-not-real!")
        for b, region in enumerate(REGIONS):
            s3 = session.client("s3", endpoint_url=url, region_name=region)
            where = (
                {}
                if region == "us-east-1"
                else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            )
            s3.create_bucket(Bucket=f"b{b}-{account}", **where)


def scan_command(output: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "scanner.cli", "scan", "--provider", "aws", "--org-role", ROLE]
    for region in REGIONS:
        command += ["--region", region]
    for check in ("aws.iam.*", "aws.s3.*"):
        command += ["--check", check]
    return [*command, "--quiet", "--format", "json", "--output", str(output), *extra]


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # moto's placeholder, not a credential
        AWS_DEFAULT_REGION="us-east-1",
        POSTURE_ALLOW_INSECURE_ENDPOINTS="1",
        PYTHONPATH=str(Path.cwd()),
    )
    return env


def peak_rss_mb(group: int) -> float:
    """The highest peak RSS (VmHWM) of any process in the process group: a worker's main
    process or its pool child, read before it exits."""
    peak = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # pgrp, the 5th field of /proc/PID/stat
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return round(peak / 1024, 1)


@contextmanager
def workers(count: int, broker: str, state: str, url: str) -> Iterator[list[int]]:
    """`count` worker processes (concurrency 1 each), each in its own process group."""
    procs = [
        subprocess.Popen(
            worker_argv(broker, state),
            env=_env(url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(count)
    ]
    try:
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(60)


def _findings(path: Path) -> int:
    return len(json.loads(path.read_text())["findings"]) if path.exists() else 0


def bench(
    members: int,
    worker_counts: list[int],
    latency_ms: int,
    scratch: Path,
    in_process: bool = True,
) -> list[Row]:
    from tests.servers import create_database, postgres_server, redis_server

    rows = []
    with ExitStack() as stack:
        server = stack.enter_context(MotoServer(managed_policies=False))
        os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
        seed(server.url, members)
        server.latency = latency_ms / 1000
        if in_process:
            server.reset_counts()
            out = scratch / f"inproc-{members}.json"
            measured = measure(scan_command(out, "--no-history"), server.url)
            rows.append(
                Row(
                    members,
                    "in-process",
                    0,
                    measured.wall_seconds,
                    round(members / measured.wall_seconds * 60, 1),
                    sum(server.calls.values()),
                    measured.peak_rss_mb,
                    measured.exit_code,
                    _findings(out),
                )
            )
        pg = stack.enter_context(postgres_server())
        redis = stack.enter_context(redis_server(scratch / "redis"))
        for count in worker_counts:
            state = create_database(pg, f"bench_{members}_{count}")
            server.reset_counts()
            out = scratch / f"brokered-{members}-{count}.json"
            with workers(count, redis.url, state, server.url) as groups:
                time.sleep(5)  # the workers connect before the clock starts
                command = scan_command(out, "--broker", redis.url, "--state", state)
                measured = measure(command, server.url)
                peak = max(peak_rss_mb(g) for g in groups)
            rows.append(
                Row(
                    members,
                    "workers",
                    count,
                    measured.wall_seconds,
                    round(members / measured.wall_seconds * 60, 1),
                    sum(server.calls.values()),
                    peak,
                    measured.exit_code,
                    _findings(out),
                )
            )
    return rows


def markdown(rows: list[Row]) -> str:
    lines = [
        "| members | mode | workers | wall time | accounts/min | API calls | peak memory | exit "
        "| findings |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.members} | {r.mode} | {r.workers or '-'} | {r.wall_seconds:.1f} s | "
            f"{r.accounts_per_minute} | {r.calls} | {r.peak_rss_mb} MB | {r.exit_code} "
            f"| {r.findings} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", default="10,100")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument(
        "--no-in-process", action="store_true", help="only the worker runs (not the in-process)"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    counts = [int(n) for n in args.workers.split(",")]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch:
        for members in (int(n) for n in args.members.split(",")):
            rows.extend(
                bench(members, counts, args.latency_ms, Path(scratch), not args.no_in_process)
            )
            print(markdown(rows), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "distributed.json").write_text(
        json.dumps([asdict(r) for r in rows], indent=2) + "\n"
    )
    (args.out / "distributed.md").write_text(markdown(rows))


if __name__ == "__main__":
    main()
