"""The cross-provider checks (identity.*) in distributed runs: an AWS organisation, an Okta org
and an evidence directory, scanned in-process, as shards + finalize and by two workers, give one
document; a failed directory read makes the identity checks `error` in every mode."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from providers.demo.fakes.okta import FakeOktaOrg, forbidden
from providers.demo.fakes.tls import TestCa, TlsServer
from providers.evidence.demo import materialise
from providers.tls import probe
from tests.distributed.support import (
    _member_session,
    comparable,
    organization,
    posture,
    scan_args,
    sharded_run,
    start_worker,
)
from tests.servers import Redis

pytestmark = pytest.mark.slow
TOKEN = "fake-okta-token"


@contextmanager
def identity_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, members: int, directory_fails: bool = False
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """The scan arguments of AWS + Okta + evidence (the default check set: identity.* join)."""
    evidence = materialise(tmp_path / "evidence", datetime.now(UTC).date())
    with organization(monkeypatch, members) as org, FakeOktaOrg(token=TOKEN) as okta:
        if directory_fails:
            okta.inject(forbidden("/api/v1/users"))
        monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)
        args = [*scan_args()[: scan_args().index("--check")]]
        args += ["--provider", "okta", "--okta-org-url", okta.url]
        args += ["--provider", "evidence", "--evidence", str(evidence)]
        yield args, {**org.env, "OKTA_CLIENT_TOKEN": TOKEN}


def in_process(args: list[str], tmp_path: Path) -> tuple[int, Path]:
    out = tmp_path / "inproc.json"
    code = posture(*args, "--state", str(tmp_path / "h.db"), "--output", f"json={out}", "-q")
    return code, out


def identity_findings(path: Path) -> list[dict[str, Any]]:
    doc = json.loads(path.read_text())
    return [f for f in doc["findings"] if f["check_id"].startswith("identity.")]


def sharded(args: list[str], pg_url: str, tmp_path: Path, run_id: str) -> tuple[int, Path]:
    return sharded_run([*args, "-q"], pg_url, tmp_path, run_id, shards=2)


def test_shards_evaluate_the_identity_checks_as_in_process(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with identity_run(monkeypatch, tmp_path, members=3) as (args, _):
        expected, inproc = in_process(args, tmp_path)
        code, merged = sharded(args, pg_url, tmp_path, "night-identity")
    assert code == expected
    assert comparable(merged) == comparable(inproc)
    found = identity_findings(merged)
    assert {f["check_id"] for f in found} >= {
        "identity.access.unmanaged_console_identity",
        "identity.training.not_completed",
    }
    # The AWS console users no directory knows are found across the organisation's members.
    unmanaged = [
        f
        for f in found
        if f["check_id"] == "identity.access.unmanaged_console_identity" and f["status"] == "fail"
    ]
    assert len({f["resource"]["uid"] for f in unmanaged}) >= 6


def test_a_failed_directory_read_makes_the_identity_checks_error_in_both(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with identity_run(monkeypatch, tmp_path, members=2, directory_fails=True) as (args, _):
        expected, inproc = in_process(args, tmp_path)
        code, merged = sharded(args, pg_url, tmp_path, "night-denied")
    assert code == expected == 3
    assert comparable(merged) == comparable(inproc)
    statuses = {(f["check_id"], f["status"]) for f in identity_findings(merged)}
    assert ("identity.access.unmanaged_console_identity", "error") in statuses
    assert not any(s == "pass" for _, s in statuses if _.startswith("identity.access"))


def brokered(
    args: list[str], redis: Redis, pg_url: str, env: dict[str, str], tmp_path: Path, run_id: str
) -> tuple[int, Path]:
    """The run planned and finalized here, its jobs done by two worker processes."""
    workers = [start_worker(redis.url, pg_url, env) for _ in range(2)]
    out = tmp_path / f"{run_id}.json"
    try:
        code = posture(
            *args,
            "--broker",
            redis.url,
            "--state",
            pg_url,
            "--run-id",
            run_id,
            "--output",
            f"json={out}",
            "-q",
        )
    finally:
        for proc in workers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
    return code, out


def test_two_workers_evaluate_the_identity_checks_as_in_process(
    redis: Redis, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with identity_run(monkeypatch, tmp_path, members=3) as (args, env):
        expected, inproc = in_process(args, tmp_path)
        code, out = brokered(args, redis, pg_url, env, tmp_path, "brokered-identity")
    assert code == expected
    assert comparable(out) == comparable(inproc)
    assert identity_findings(out)


def seed_https_load_balancer(account: str, server: TlsServer) -> None:
    """A member's ALB with an HTTPS listener on the local TLS server's port (its DNS name is
    answered with 127.0.0.1 by the test's resolver)."""
    session = _member_session(account)
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.30.{i}.0/24", AvailabilityZone=f"us-east-1{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    ]
    cert = session.client("acm").import_certificate(
        Certificate=server.leaf.cert_pem, PrivateKey=server.leaf.key_pem
    )["CertificateArn"]
    elbv2 = session.client("elbv2")
    lb = elbv2.create_load_balancer(Name="probed", Subnets=subnets)["LoadBalancers"][0]
    group = elbv2.create_target_group(Name="probed", Protocol="HTTP", Port=80, VpcId=vpc)
    elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="HTTPS",
        Port=server.port,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[{"CertificateArn": cert}],
        DefaultActions=[
            {"Type": "forward", "TargetGroupArn": group["TargetGroups"][0]["TargetGroupArn"]}
        ],
    )


def test_probe_tls_probes_what_the_cloud_jobs_found_as_in_process(
    redis: Redis, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards + finalize and two workers: the probe (at finalize, in this process, whose
    resolver answers the load balancer's name) visits the endpoint a member's job found."""
    ca = TestCa("posture distributed test CA")
    real_resolve = probe.resolve

    def resolve(host: str, port: int) -> str:
        return "127.0.0.1" if host.endswith(".elb.amazonaws.com") else real_resolve(host, port)

    monkeypatch.setattr(probe, "resolve", resolve)
    with organization(monkeypatch, members=2) as org, TlsServer(ca.issue()) as server:
        seed_https_load_balancer(org.members[1], server)
        args = [*scan_args(), "--check", "aws.elbv2.weak_tls_policy"]
        args += [
            "--provider",
            "tls",
            "--probe-tls",
            "--tls-ca-file",
            str(ca.write(tmp_path / "ca.pem")),
        ]
        for check in (
            "tls.certificate.hostname_mismatch",
            "tls.configuration.live_disagrees_with_policy",
            "tls.protocol.legacy_version_accepted",
        ):
            args += ["--check", check]
        expected, inproc = in_process(args, tmp_path)
        code, merged = sharded(args, pg_url, tmp_path, "night-tls")
        by_workers, out = brokered(args, redis, pg_url, org.env, tmp_path, "brokered-tls")
    assert code == by_workers == expected
    assert comparable(merged) == comparable(inproc) == comparable(out)
    doc = json.loads(merged.read_text())
    tls_targets = [t for t in doc["scan"]["targets"] if t["provider"] == "tls"]
    assert len(tls_targets) == 1 and any(
        r.endswith(f".elb.amazonaws.com:{server.port}") for r in tls_targets[0]["regions"]
    )
    probed = [f for f in doc["findings"] if f["provider"] == "tls"]
    assert probed and all(f["status"] != "error" for f in probed)
