"""A job's part of the run: it round-trips to the right inventory types, a failed job stands in
as errors, stored TLS endpoints are what finalize probes; migration 0003 upgrades a 0002 store
on SQLite and PostgreSQL with nothing lost."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from checks.registry import all_checks
from providers.tls.targets import probe_targets
from scanner.config import PostureConfig
from scanner.config.tls import TlsConfig
from scanner.diff import SCOPE_NOT_SCANNED
from scanner.distributed.execute import job_result
from scanner.distributed.finalize import run_document
from scanner.distributed.parts import (
    RunPart,
    failed_part,
    joined,
    pack_part,
    run_part,
    unpack_part,
)
from scanner.distributed.plan import job_plan, job_scopes, own_checks, plan_data
from scanner.distributed.runs import RunStore, Scope
from scanner.history import database
from scanner.history.location import StateLocation, parse_state
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import CredentialReportUser
from scanner.inventory.common import TlsEndpoint
from scanner.inventory.evidence import EvidenceInventory
from scanner.inventory.okta import OktaInventory
from scanner.inventory.run import RunMember
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.scan import ScanPlan, required_collections
from tests.nightly.revisions import store_at
from tests.okta.builders import inventory, user

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ENDPOINT = TlsEndpoint(
    uid="arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/web/1/2",
    name="web:443",
    kind="elbv2-listener",
    region="us-east-1",
    host="web-1.us-east-1.elb.amazonaws.com",
    port=443,
    policy="ELBSecurityPolicy-2016-08",
    listener_protocol="HTTPS",
)


def plan(*providers: str) -> ScanPlan:
    wanted = {*providers, "identity"}
    checks = tuple(c for c in all_checks() if c.meta.provider in wanted)
    return ScanPlan(providers=providers, checks=checks, config=PostureConfig())


def aws_inventory() -> AwsInventory:
    report = CredentialReportUser(
        name="dev",
        arn="arn:aws:iam::111111111111:user/dev",
        created=NOW,
        password_enabled=True,
        mfa_active=False,
    )
    return AwsInventory(
        account="111111111111",
        account_name="member",
        scopes=("us-east-1",),
        credential_report=(report,),
        outcomes=(
            CollectionOutcome(collection="aws.iam.credential_report"),
            CollectionOutcome(collection="aws.s3.buckets", outcome=Outcome.ERROR, message="x"),
        ),
        elbv2_endpoints=(ENDPOINT,),
    )


def test_a_part_round_trips_to_the_inventory_types_the_checks_read() -> None:
    okta = inventory(directory_users=(user("00u1", created=NOW),))
    evidence = EvidenceInventory(account="Acme", root="/evidence")
    full = plan("aws", "okta", "evidence")
    part = run_part(full, [aws_inventory(), okta, evidence])
    back = unpack_part(pack_part(part))
    assert back == part
    cloud, directory, register = back.members
    assert isinstance(directory, OktaInventory) and directory == okta
    assert isinstance(register, EvidenceInventory)
    # The cloud inventory stays slim: who it is, the run checks' outcomes, its TLS endpoints.
    assert isinstance(cloud, RunMember)
    assert cloud.outcomes == (CollectionOutcome(collection="aws.iam.credential_report"),)
    assert cloud.tls_endpoints == (ENDPOINT,) and cloud.account_name == "member"
    assert [i.uid for i in back.identities] == ["arn:aws:iam::111111111111:user/dev"]
    assert back.accounts == ("aws:111111111111",)


def test_a_stored_part_names_only_inventory_classes() -> None:
    body = pack_part(RunPart(members=(RunMember(provider="aws", account="1"),)))
    data = json.loads(zlib.decompress(body))
    data["members"][0]["type"] = "os:system"
    with pytest.raises(ValueError, match="not an inventory class"):
        unpack_part(zlib.compress(json.dumps(data).encode()))


def test_a_failed_job_makes_its_providers_run_reads_errors() -> None:
    part = failed_part(plan("aws", "okta"), "okta", "*", "okta:* was not scanned: boom")
    (member,) = part.members
    assert {o.collection for o in member.outcomes} == {"okta.users"}
    assert all(o.outcome is Outcome.ERROR for o in member.outcomes)
    assert member.failures(["okta.users"])


def test_stored_tls_endpoints_are_the_probe_targets_of_the_run() -> None:
    """The probe at finalize sees the jobs' RunMembers as in-process it sees the inventories."""
    config = TlsConfig(probe_cloud=True)
    part = run_part(plan("aws", "tls"), [aws_inventory()])
    stored = joined([unpack_part(pack_part(part))])
    assert [t.target.key for t in probe_targets(config, stored.members)] == [
        t.target.key for t in probe_targets(config, [aws_inventory()])
    ]
    (target,) = probe_targets(config, stored.members)
    assert target.target.key == "web-1.us-east-1.elb.amazonaws.com:443"
    assert target.configured[0].account == "111111111111"


def test_jobs_collect_what_the_run_checks_read_and_evaluate_their_own() -> None:
    full = plan("aws", "okta", "tls")
    aws = job_plan(full, Scope("okta", "*"))
    assert "okta.users" in required_collections(aws.checks)
    assert {c.meta.provider for c in own_checks(aws, "okta")} == {"okta"}
    # The TLS probe of the run is no job: finalize collects it after every cloud job.
    assert "tls" not in {s.provider for s in job_scopes(full)}


def at_0002(location: StateLocation) -> None:
    """A store as posture wrote it before 0003, with a run, a done job and its findings."""
    with store_at(location, "0002") as conn:
        conn.execute(
            text(
                "INSERT INTO runs (id, created_at, started_at, status, mode, plan)"
                " VALUES ('old', '2026-12-01', '2026-12-01', 'collecting', 'sharded', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO jobs (run_id, provider, scope, status, result)"
                " VALUES ('old', 'aws', '111111111111', 'done', '{\"partial\": false}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO run_findings (run_id, fingerprint, job_id, body)"
                " VALUES ('old', 'fp', 1, :body)"
            ),
            {"body": b"finding"},
        )


def upgrades_with_nothing_lost(location: StateLocation) -> None:
    at_0002(location)
    with RunStore(location) as store:
        with store.engine.connect() as conn:
            assert database.current_revision(conn) == database.head_revision()
            assert "job_parts" in inspect(conn).get_table_names()
            rows = conn.execute(text("SELECT fingerprint, body FROM run_findings")).all()
        assert [(r[0], bytes(r[1])) for r in rows] == [("fp", b"finding")]
        (job,) = store.jobs("old")
        assert (job.status, job.result, job.scope.key) == (
            "done",
            {"partial": False},
            "aws:111111111111",
        )
        assert store.parts("old") == {}
        # A new run's job stores its part with its done mark.
        store.create_run("new", NOW, {}, [Scope("aws", "2")], mode="sharded")
        (fresh,) = store.jobs("new")
        assert store.claim(fresh.id, "w")
        part = pack_part(RunPart(accounts=("aws:2",)))
        assert store.complete(fresh.id, "w", [], {"partial": False}, part)
        assert store.parts("new") == {fresh.id: part}


def test_0003_upgrades_a_0002_sqlite_store(tmp_path: Path) -> None:
    upgrades_with_nothing_lost(tmp_path / "history.sqlite3")


def test_0003_upgrades_a_0002_postgresql_store(pg_url: str) -> None:
    upgrades_with_nothing_lost(parse_state(pg_url))


def test_finalize_evaluates_the_run_checks_over_the_stored_parts(tmp_path: Path) -> None:
    """The AWS job's part is in, the Okta job failed: the identity checks say error (no verdict
    on the AWS user without the directory), and the run is partial naming the Okta scope."""
    full = plan("aws", "okta")
    scopes = [Scope("aws", "111111111111", "member"), Scope("okta", "*")]
    with RunStore(tmp_path / "h.db") as store:
        store.create_run("r", NOW, plan_data(full), scopes, mode="sharded", max_attempts=1)
        aws_job, okta_job = store.jobs("r")
        assert store.claim(aws_job.id, "w")
        collected = [aws_inventory()]
        part = pack_part(run_part(full, collected))
        assert store.complete(aws_job.id, "w", [], job_result(full, collected), part)
        assert store.claim(okta_job.id, "w")
        store.release(okta_job.id, "w", "boom")
        doc = run_document(store, store.begin_finalize("r"))
        try:
            found = [f for f in doc.findings if f.provider == "identity"]
            assert doc.scan.partial
            assert SCOPE_NOT_SCANNED in {e.collection for e in doc.scan.errors}
        finally:
            doc.close()
    unmanaged = [f for f in found if f.check_id == "identity.access.unmanaged_console_identity"]
    assert unmanaged and {f.status.value for f in unmanaged} == {"error"}
    assert any(
        "okta.users" in f.message and "okta:* was not scanned" in f.message for f in unmanaged
    )


def test_without_run_checks_a_part_keeps_only_what_the_probe_reads() -> None:
    only_tls = ScanPlan(
        providers=("aws", "okta", "tls"),
        checks=tuple(c for c in all_checks() if c.meta.provider in ("aws", "tls")),
        config=PostureConfig(),
    )
    part = run_part(only_tls, [aws_inventory(), inventory(directory_users=(user("00u1"),))])
    assert all(isinstance(m, RunMember) and not m.outcomes for m in part.members)
    assert part.members[0].tls_endpoints == (ENDPOINT,)
    assert part.identities == () and part.accounts == ()
