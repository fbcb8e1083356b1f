"""Benchmark: a scan of a moto account of configurable size behind per-call latency.

    .venv/bin/python -m bench.run --users 1000 --buckets 200 --regions 2 --latency-ms 20

Seeds the account through boto3, then runs `posture scan` as a separate process against the
server (AWS_ENDPOINT_URL) and reports wall time, API calls by service and operation, and the
scan's peak memory. `--sizes` repeats the scan at several account sizes to show how the number
of calls grows with the account.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import boto3

from providers.demo.fakes.moto_server import MotoServer

ALL_REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2")


@dataclass
class Result:
    users: int
    buckets: int
    regions: int
    latency_ms: int
    throttle: float
    wall_seconds: float
    scan_cpu_seconds: float
    exit_code: int
    findings: int
    calls: int
    throttled: int
    peak_rss_mb: float
    calls_by_service: dict[str, int] = field(default_factory=dict)
    calls_by_operation: dict[str, int] = field(default_factory=dict)
    compared: dict[str, object] | None = None


def _by_service(calls: Counter[str]) -> dict[str, int]:
    by_service: Counter[str] = Counter()
    for name, count in calls.items():
        by_service[name.split(".", 1)[0]] += count
    return dict(sorted(by_service.items()))


def seed(url: str, users: int, buckets: int, regions: tuple[str, ...]) -> None:
    # moto builds each service's backend on first use; do that here, not inside the timed scan.
    boto3.client("sts", endpoint_url=url, region_name="us-east-1").get_caller_identity()
    for region in regions:
        boto3.client("ec2", endpoint_url=url, region_name=region).describe_regions()
    iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1")
    iam.create_group(GroupName="engineers")
    for i in range(users):
        name = f"user-{i:05d}"
        iam.create_user(UserName=name)
        if i % 3 == 0:
            iam.create_login_profile(UserName=name, Password="Bench-Passw0rd-not-real!")
        if i % 4 == 0:
            iam.create_access_key(UserName=name)
        if i % 2 == 0:
            iam.add_user_to_group(GroupName="engineers", UserName=name)
    for i in range(buckets):
        region = regions[i % len(regions)]
        s3 = boto3.client("s3", endpoint_url=url, region_name=region)
        options = (
            {}
            if region == "us-east-1"
            else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        s3.create_bucket(Bucket=f"bench-bucket-{i:05d}", **options)


@dataclass
class Measured:
    exit_code: int
    wall_seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def measure(command: list[str], url: str) -> Measured:
    """Runs `command` against the server with placeholder credentials; its own rusage."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=url,
        POSTURE_ALLOW_INSECURE_ENDPOINTS="1",  # the moto server on loopback
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # moto's placeholder, not a credential
        AWS_DEFAULT_REGION="us-east-1",
    )
    with tempfile.TemporaryDirectory() as scratch:
        usage_path = Path(scratch) / "usage.json"
        process = subprocess.run(
            [sys.executable, "-m", "bench.launch", str(usage_path), *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        usage = json.loads(usage_path.read_text())
    code = int(usage["exit_code"])
    if code not in (0, 1, 3):
        sys.stderr.write(process.stderr[-2000:])
    return Measured(
        exit_code=code,
        wall_seconds=round(usage["wall_seconds"], 2),
        cpu_seconds=round(usage["cpu_seconds"], 2),
        peak_rss_mb=round(usage["peak_rss_kb"] / 1024, 1),
    )


def posture_command(regions: tuple[str, ...], output: Path) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "scanner.cli",
        "scan",
        "--provider",
        "aws",
        "--quiet",
        "--no-history",
        "--format",
        "json",
        "--output",
        str(output),
    ]
    for region in regions:
        command += ["--region", region]
    return command


def run(
    users: int,
    buckets: int,
    region_count: int,
    latency_ms: int,
    throttle: float,
    workdir: Path,
    compare: str = "",
) -> Result:
    regions = ALL_REGIONS[:region_count]
    with MotoServer() as server:
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
        seed(server.url, users, buckets, regions)
        server.reset_counts()
        server.latency = latency_ms / 1000
        server.throttle = throttle
        output = workdir / f"findings-{users}u-{buckets}b.json"
        measured = measure(posture_command(regions, output), server.url)
        calls: Counter[str] = Counter(server.calls)
        throttled = sum(server.throttled.values())
        compared = None
        if compare:
            server.reset_counts()
            other = measure(
                shlex.split(compare.replace("{regions}", " ".join(regions))), server.url
            )
            compared = {
                **asdict(other),
                "calls": sum(server.calls.values()),
                "calls_by_service": _by_service(server.calls),
            }
    findings = len(json.loads(output.read_text())["findings"]) if output.exists() else 0
    return Result(
        users=users,
        buckets=buckets,
        regions=region_count,
        latency_ms=latency_ms,
        throttle=throttle,
        wall_seconds=measured.wall_seconds,
        scan_cpu_seconds=measured.cpu_seconds,
        exit_code=measured.exit_code,
        findings=findings,
        calls=sum(calls.values()),
        throttled=throttled,
        peak_rss_mb=measured.peak_rss_mb,
        calls_by_service=_by_service(calls),
        compared=compared,
        calls_by_operation=dict(sorted(calls.items())),
    )


def markdown(results: list[Result]) -> str:
    lines = [
        "| users | buckets | regions | latency | wall time | scan CPU | API calls | peak memory "
        "| exit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.users} | {r.buckets} | {r.regions} | {r.latency_ms} ms | {r.wall_seconds} s "
            f"| {r.scan_cpu_seconds} s | {r.calls} | {r.peak_rss_mb} MB | {r.exit_code} |"
        )
    last = results[-1]
    for r in results:
        if not r.compared:
            continue
        c = r.compared
        lines += [
            "",
            f"Compared command on the {r.users}-user account: {c['wall_seconds']} s wall, "
            f"{c['cpu_seconds']} s CPU, {c['calls']} API calls, {c['peak_rss_mb']} MB, "
            f"exit {c['exit_code']}.",
        ]
    lines += ["", "Calls by service (largest run):", ""]
    lines += [f"- {service}: {count}" for service, count in last.calls_by_service.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--buckets", type=int, default=200)
    parser.add_argument("--regions", type=int, default=2, choices=range(1, len(ALL_REGIONS) + 1))
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--throttle", type=float, default=0.0)
    parser.add_argument("--sizes", default="", help="users:buckets,... e.g. 10:2,100:20,1000:200")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument(
        "--compare",
        default="",
        help="another scanner's command to run against the same account after posture, e.g. "
        "'prowler aws --services iam s3 -f {regions}' ({regions} is replaced)",
    )
    parser.add_argument(
        "--compare-at",
        default="",
        help="users:buckets of the one size to run --compare at [default: every size]",
    )
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(n) for n in s.split(":")) for s in args.sizes.split(",") if s] or [
        (args.users, args.buckets)
    ]
    compare_at = tuple(int(n) for n in args.compare_at.split(":")) if args.compare_at else None
    results = [
        run(
            users,
            buckets,
            args.regions,
            args.latency_ms,
            args.throttle,
            args.out,
            args.compare if compare_at in (None, (users, buckets)) else "",
        )
        for users, buckets in sizes
    ]
    (args.out / "latest.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    text = markdown(results)
    (args.out / "latest.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
