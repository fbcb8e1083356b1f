"""A moto organisation (server mode, so worker processes share it) and CLI helpers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from scanner.cli import main
from scanner.history.location import parse_state

ROOT = Path(__file__).parents[2]
LEASE = "4"
"""The workers' job lease in the tests (seconds): a killed worker's job is reaped soon."""
ROLE = "PostureAudit"
CHECKS = (
    "aws.iam.user_console_without_mfa",
    "aws.iam.password_policy_weak",
    "aws.s3.bucket_versioning_disabled",
)


@dataclass(frozen=True)
class Organization:
    endpoint: str
    members: tuple[str, ...]
    env: dict[str, str]


def aws_env(endpoint: str) -> dict[str, str]:
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
        "POSTURE_ALLOW_INSECURE_ENDPOINTS": "1",
    }


def _member_session(account_id: str) -> boto3.Session:
    creds = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{ROLE}", RoleSessionName="seed"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def seed(members: int) -> tuple[str, ...]:
    """An organization of `members` accounts; each has console users without MFA (one with),
    a bucket, and every other one a password policy."""
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    ids = []
    for n in range(members):
        status = org.create_account(Email=f"m{n}@example.com", AccountName=f"member-{n}")
        account = status["CreateAccountStatus"]["AccountId"]
        ids.append(account)
        session = _member_session(account)
        iam = session.client("iam")
        for user in (f"dev-{n}", f"ops-{n}"):
            iam.create_user(UserName=user)
            iam.create_login_profile(UserName=user, Password="Seed-Passw0rd-not-real!")
        if n % 2:
            iam.update_account_password_policy(MinimumPasswordLength=16, RequireSymbols=True)
        session.client("s3").create_bucket(Bucket=f"data-{account}")
    return tuple(ids)


@contextlib.contextmanager
def organization(monkeypatch: pytest.MonkeyPatch, members: int) -> Iterator[Organization]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = aws_env(f"http://{host}:{port}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    # The threaded server shares moto's in-process backends: start from an empty cloud.
    requests.post(f"{env['AWS_ENDPOINT_URL']}/moto-api/reset", timeout=10)
    try:
        yield Organization(env["AWS_ENDPOINT_URL"], seed(members), env)
    finally:
        server.stop()


def scan_args() -> list[str]:
    args = ["scan", "--provider", "aws", "--org-role", ROLE, "--region", "us-east-1"]
    for check in CHECKS:
        args += ["--check", check]
    return args


def worker_argv(broker: str, state: str, concurrency: int = 1) -> list[str]:
    """`posture worker` as a separate process (the tests' and the benchmark's workers)."""
    return [
        sys.executable,
        "-m",
        "scanner.cli",
        "worker",
        "--broker",
        broker,
        "--state",
        state,
        "--concurrency",
        str(concurrency),
    ]


def posture(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def comparable(path: Path) -> dict[str, Any]:
    """What must be identical between an in-process and a distributed scan of one scope."""
    doc = json.loads(path.read_text())
    findings = sorted(
        (
            f["fingerprint"],
            f["check_id"],
            f["status"],
            f["severity"],
            f["account"],
            f["resource"]["uid"],
            f["message"],
        )
        for f in doc["findings"]
    )
    return {
        "findings": findings,
        "targets": [
            (t["provider"], t["account"], t["account_name"]) for t in doc["scan"]["targets"]
        ],
        "partial": doc["scan"]["partial"],
        "summary": doc["scan"]["summary"],
        "errors": doc["scan"]["errors"],
        "check_ids": doc["scan"]["check_ids"],
    }


def environ_with(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}


def start_worker(broker: str, state: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        worker_argv(broker, state),
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT), "POSTURE_JOB_LEASE_SECONDS": LEASE},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL takes its pool children too
    )


def kill_the_worker_of_a_running_job(
    pg_url: str, procs: list[subprocess.Popen[bytes]], killed: list[str]
) -> None:
    engine = create_engine(parse_state(pg_url).url)  # type: ignore[union-attr]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not killed:
        try:
            with engine.connect() as conn:
                row = conn.execute(
                    text("SELECT worker, scope FROM jobs WHERE status = 'running' LIMIT 1")
                ).first()
        except ProgrammingError:  # the workers have not created the tables yet
            row = None
        if row is not None:
            pid = int(row.worker.rsplit(":", 1)[1])
            group = os.getpgid(pid)
            os.killpg(group, signal.SIGKILL)
            killed.append(row.scope)
            return
        time.sleep(0.05)
    engine.dispose()


def brokered_with_a_killed_worker(
    args: list[str],
    broker: str,
    state: str,
    run_id: str,
    out: Path,
    workers: list[subprocess.Popen[bytes]],
    env: dict[str, str],
) -> tuple[int, list[str]]:
    """A brokered scan on two fresh workers, one killed (SIGKILL) while it runs a job:
    the scan's exit code and the scope of the job that was running."""
    workers.extend(start_worker(broker, state, env) for _ in range(2))
    killed: list[str] = []
    killer = threading.Thread(
        target=kill_the_worker_of_a_running_job, args=(state, workers, killed)
    )
    killer.start()
    code = posture(
        *args,
        "--broker",
        broker,
        "--state",
        state,
        "--run-id",
        run_id,
        "--output",
        f"json={out}",
        "-q",
    )
    killer.join()
    return code, killed


def sharded_run(
    args: list[str], pg_url: str, tmp_path: Path, run_id: str, shards: int
) -> tuple[int, Path]:
    """`shards` shards of one run, then its finalize: the exit code and the merged document."""
    for k in range(1, shards + 1):
        code = posture(*args, "--shard", f"{k}/{shards}", "--run-id", run_id, "--state", pg_url)
        assert code in (0, 3)
    merged = tmp_path / f"{run_id}.json"
    code = posture(
        "finalize", "--run-id", run_id, "--state", pg_url, "--output", f"json={merged}", "-q"
    )
    return code, merged
