from __future__ import annotations

from typing import Any

from checks.aws.dynamodb import pitr_disabled
from checks.aws.rds import (
    backup_retention_too_short,
    instance_publicly_accessible,
    instance_unencrypted,
    ssl_not_enforced,
)
from checks.aws.secretsmanager import secret_rotation_disabled
from scanner.check import CheckContext
from scanner.inventory.aws import storage as data

from .builders import ctx_with, inventory, results, unknown, verdicts


def db(name: str, **kw: Any) -> data.RdsInstance:
    fields: dict[str, Any] = {
        "engine": "postgres",
        "engine_version": "14.10",
        "storage_encrypted": True,
        "publicly_accessible": False,
        "backup_retention_days": 7,
        "parameter_groups": ("tls",),
        "ssl_parameters": {"rds.force_ssl": "1"},
    }
    fields.update(kw)
    return data.RdsInstance(
        identifier=name,
        arn=f"arn:aws:rds:us-east-1:123456789012:db:{name}",
        region="us-east-1",
        **fields,
    )


DBS = (
    db("clean"),
    db("plain", storage_encrypted=False),
    db("exposed", publicly_accessible=True),
    db("short", backup_retention_days=6),
    db("no-backups", backup_retention_days=0),
    db("replica", backup_retention_days=0, replica_of="clean"),
    db("pg-default-14", ssl_parameters={}),
    db("pg-default-16", engine_version="16.3", ssl_parameters={}),
    db("pg-off", ssl_parameters={"rds.force_ssl": "0"}),
    db("mysql-on", engine="mysql", ssl_parameters={"require_secure_transport": "ON"}),
    db("mysql-off", engine="mysql", ssl_parameters={"require_secure_transport": "OFF"}),
    db("maria-default", engine="mariadb", ssl_parameters={}),
    db("aurora-pg", engine="aurora-postgresql", ssl_parameters={"rds.force_ssl": "1"}),
    db("sqlserver", engine="sqlserver-se", ssl_parameters={"rds.force_ssl": "0"}),
    db("oracle", engine="oracle-ee", ssl_parameters={}),
    db(
        "params-hidden",
        ssl_parameters={},
        unknown=(unknown("parameters", "rds:DescribeDBParameters"),),
    ),
)


def test_rds_encryption_exposure_and_backups(ctx: CheckContext) -> None:
    inv = inventory(rds_instances=DBS)
    failing = {n for n, s in verdicts(instance_unencrypted.CHECK, inv, ctx).items() if s == "fail"}
    assert failing == {"plain"}
    exposure = verdicts(instance_publicly_accessible.CHECK, inv, ctx)
    assert {n for n, s in exposure.items() if s == "fail"} == {"exposed"}
    assert len(exposure) == len(DBS)
    backups = verdicts(backup_retention_too_short.CHECK, inv, ctx)
    assert {n for n, s in backups.items() if s == "fail"} == {"short", "no-backups"}
    assert "replica" not in backups
    assert set(backups.values()) == {"pass", "fail"}


def test_backup_minimum_is_configurable() -> None:
    inv = inventory(rds_instances=(db("seven"), db("fourteen", backup_retention_days=14)))
    got = verdicts(
        backup_retention_too_short.CHECK, inv, ctx_with(rds_min_backup_retention_days=10)
    )
    assert got == {"seven": "fail", "fourteen": "pass"}


def test_ssl_enforcement_exact_verdicts(ctx: CheckContext) -> None:
    got = results(ssl_not_enforced.CHECK, inventory(rds_instances=DBS), ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "clean": "pass",
        "plain": "pass",
        "exposed": "pass",
        "short": "pass",
        "no-backups": "pass",
        "replica": "pass",
        "pg-default-14": "fail",
        "pg-default-16": "pass",
        "pg-off": "fail",
        "mysql-on": "pass",
        "mysql-off": "fail",
        "maria-default": "fail",
        "aurora-pg": "pass",
        "sqlserver": "fail",
        "params-hidden": "error",
    }
    assert got["mysql-off"].evidence["parameter"] == "require_secure_transport"


def test_dynamodb_pitr(ctx: CheckContext) -> None:
    def table(name: str, **kw: Any) -> data.DynamoTable:
        return data.DynamoTable(name=name, arn=f"arn:t/{name}", region="eu-west-1", **kw)

    inv = inventory(
        dynamodb_tables=(
            table("on", pitr_enabled=True),
            table("off", pitr_enabled=False),
            table("hidden", unknown=(unknown("continuous_backups", "dynamodb:Describe"),)),
        )
    )
    got = results(pitr_disabled.CHECK, inv, ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "on": "pass",
        "off": "fail",
        "hidden": "error",
    }
    assert got["off"].region == "eu-west-1"


def test_secret_rotation(ctx: CheckContext) -> None:
    inv = inventory(
        secrets=(
            data.Secret(
                name="rotated",
                arn="arn:s1",
                region="us-east-1",
                rotation_enabled=True,
                rotation_days=30,
            ),
            data.Secret(name="static", arn="arn:s2", region="us-east-1", rotation_enabled=False),
        )
    )
    assert verdicts(secret_rotation_disabled.CHECK, inv, ctx) == {
        "rotated": "pass",
        "static": "fail",
    }


def member(name: str, cluster: str, engine: str, **kw: Any) -> data.RdsInstance:
    """A cluster member as DescribeDBInstances returns it (DBClusterIdentifier set), with the
    cluster's DBClusterArn, DBClusterParameterGroup and DBClusterMembers status."""
    fields: dict[str, Any] = {
        "cluster": cluster,
        "cluster_arn": f"arn:aws:rds:us-east-1:123456789012:cluster:{cluster}",
        "parameter_groups": (f"{cluster}-params",),
        "parameter_apply_status": "in-sync",
    }
    fields.update(kw)
    return db(name, engine=engine, **fields)


def test_clusters_judged_once_by_their_own_tls_parameter(ctx: CheckContext) -> None:
    dbs = (
        # Multi-AZ DB clusters (non-Aurora engines with a DBClusterIdentifier)
        member("maz-pg-1", "maz-pg", "postgres", ssl_parameters={"rds.force_ssl": "1"}),
        member("maz-pg-2", "maz-pg", "postgres", ssl_parameters={"rds.force_ssl": "1"}),
        member("maz-my-1", "maz-my", "mysql", ssl_parameters={"require_secure_transport": "0"}),
        # DocumentDB (cluster parameter tls) and Neptune (neptune_enforce_ssl)
        member(
            "docs-1", "docs", "docdb", engine_version="5.0.0", ssl_parameters={"tls": "disabled"}
        ),
        member("docs-new-1", "docs-new", "docdb", engine_version="5.0.0", ssl_parameters={}),
        member(
            "docs-12-1",
            "docs-12",
            "docdb",
            engine_version="5.0.0",
            ssl_parameters={"tls": "tls1.2+", "rds.force_ssl": "0"},
        ),
        member(
            "graph-old-1",
            "graph-old",
            "neptune",
            engine_version="1.0.3.0",
            ssl_parameters={"neptune_enforce_ssl": "0"},
        ),
        member(
            "graph-1",
            "graph",
            "neptune",
            engine_version="1.3.2.1",
            ssl_parameters={"neptune_enforce_ssl": "0"},
        ),
    )
    got = results(ssl_not_enforced.CHECK, inventory(rds_instances=dbs), ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "maz-pg": "pass",
        "maz-my": "fail",
        "docs": "fail",
        "docs-new": "pass",
        "docs-12": "pass",
        "graph-old": "fail",
        "graph": "pass",
    }
    assert got["maz-pg"].resource.type == "AWS::RDS::DBCluster"
    assert got["maz-pg"].resource.uid == "arn:aws:rds:us-east-1:123456789012:cluster:maz-pg"
    assert got["maz-pg"].evidence["members"] == ["maz-pg-1", "maz-pg-2"]
    assert got["docs"].resource.type == "AWS::DocDB::DBCluster"
    assert got["docs"].evidence["parameter"] == "tls"
    assert "DocumentDB cluster docs" in got["docs"].message
    assert got["graph-old"].resource.type == "AWS::Neptune::DBCluster"
    assert "neptune_enforce_ssl" in got["graph-old"].message
    assert got["graph"].evidence["engine_accepts_https_only"] is True


def test_a_static_tls_parameter_pending_reboot_is_not_in_force(ctx: CheckContext) -> None:
    # DBParameterGroupStatus.ParameterApplyStatus "pending-reboot": "The parameter group change
    # will be applied after the DB instance reboots" (botocore rds model); Parameter.ApplyType
    # static parameters wait for it, dynamic ones apply at once.
    dbs = (
        db(
            "mssql-pending",
            engine="sqlserver-se",
            ssl_parameters={"rds.force_ssl": "1"},
            static_parameters=("rds.force_ssl",),
            parameter_apply_status="pending-reboot",
        ),
        db(
            "pg-dynamic-pending",
            ssl_parameters={"rds.force_ssl": "1"},
            parameter_apply_status="pending-reboot",
        ),
        db(
            "mssql-in-sync",
            engine="sqlserver-se",
            ssl_parameters={"rds.force_ssl": "1"},
            static_parameters=("rds.force_ssl",),
            parameter_apply_status="in-sync",
        ),
        member(
            "docs-a",
            "docs",
            "docdb",
            ssl_parameters={"tls": "enabled"},
            static_parameters=("tls",),
        ),
        member(
            "docs-b",
            "docs",
            "docdb",
            ssl_parameters={"tls": "enabled"},
            static_parameters=("tls",),
            parameter_apply_status="pending-reboot",
        ),
    )
    got = results(ssl_not_enforced.CHECK, inventory(rds_instances=dbs), ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "mssql-pending": "fail",
        "pg-dynamic-pending": "pass",
        "mssql-in-sync": "pass",
        "docs": "fail",
    }
    assert "pending a reboot" in got["mssql-pending"].message
    assert got["docs"].evidence["pending_reboot"] == ["docs-b"]


def test_neptune_and_documentdb_instances_are_typed_as_such(ctx: CheckContext) -> None:
    dbs = (
        member("graph-1", "graph", "neptune", storage_encrypted=False),
        member("docs-1", "docs", "docdb", publicly_accessible=True),
    )
    enc = results(instance_unencrypted.CHECK, inventory(rds_instances=dbs), ctx)
    assert enc["graph-1"].resource.type == "AWS::Neptune::DBInstance"
    assert enc["graph-1"].message.startswith("Neptune instance graph-1")
    public = results(instance_publicly_accessible.CHECK, inventory(rds_instances=dbs), ctx)
    assert public["docs-1"].resource.type == "AWS::DocDB::DBInstance"
    assert public["docs-1"].message.startswith("DocumentDB instance docs-1")
