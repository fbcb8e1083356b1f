from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.stub import Stubber

from providers.aws.collectors import detail, dynamodb, rds, secretsmanager
from providers.aws.runner import run_collections
from providers.aws.session import AwsClients
from scanner.config.aws import AwsConfig
from scanner.inventory.aws import storage as data
from scanner.models.enums import Outcome

from .support import ACCOUNT, body_text, inject, page_size

DB_COUNT = 5


def _seed_databases() -> None:
    client = boto3.client("rds", region_name="us-east-1")
    client.create_db_parameter_group(
        DBParameterGroupName="pg-tls", DBParameterGroupFamily="postgres14", Description="tls"
    )
    client.modify_db_parameter_group(
        DBParameterGroupName="pg-tls",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"},
            {"ParameterName": "log_connections", "ParameterValue": "1", "ApplyMethod": "immediate"},
        ],
    )
    client.create_db_parameter_group(
        DBParameterGroupName="mysql-plain", DBParameterGroupFamily="mysql8.0", Description="x"
    )
    for i in range(DB_COUNT):
        client.create_db_instance(
            DBInstanceIdentifier=f"db-{i}",
            Engine="postgres",
            EngineVersion="14.10",
            DBInstanceClass="db.t3.micro",
            MasterUsername="admin",
            MasterUserPassword="not-a-real-password",
            AllocatedStorage=20,
            StorageEncrypted=i % 2 == 0,
            PubliclyAccessible=i == 1,
            BackupRetentionPeriod=i + 3,
            **({"DBParameterGroupName": "pg-tls"} if i < 3 else {}),
        )
    client.create_db_instance(
        DBInstanceIdentifier="mysql-0",
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        AllocatedStorage=20,
        DBParameterGroupName="mysql-plain",
    )


def test_rds_every_page_with_parameter_groups(clients: AwsClients) -> None:
    _seed_databases()
    client = clients.client("rds", "us-east-1")
    page_size(client, "DescribeDBInstances", "MaxRecords", 2)
    pages = inject(client, "DescribeDBInstances", 500, "Unused", times=0)
    instances = {i.identifier: i for i in rds.fetch_instances(clients, "us-east-1", ACCOUNT)}
    assert pages.attempts >= 3
    assert set(instances) == {*(f"db-{i}" for i in range(DB_COUNT)), "mysql-0"}
    db0, db1, db4 = instances["db-0"], instances["db-1"], instances["db-4"]
    assert (db0.storage_encrypted, db0.publicly_accessible, db0.backup_retention_days) == (
        True,
        False,
        3,
    )
    assert (db1.storage_encrypted, db1.publicly_accessible) == (False, True)
    assert db0.parameter_groups == ("pg-tls",)
    assert db0.ssl_parameters == {"rds.force_ssl": "1"}
    assert db4.ssl_parameters == {}  # moto's default group holds only engine defaults
    assert instances["mysql-0"].ssl_parameters == {}
    assert all(not i.unknown and i.region == "us-east-1" for i in instances.values())


def test_rds_throttle_retried_and_denied_group_is_unknown(
    clients: AwsClients, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed_databases()
    monkeypatch.setattr(detail, "DETAIL_WORKERS", 1)  # groups in name order: pg-tls last
    client = clients.client("rds", "us-east-1")
    page_size(client, "DescribeDBInstances", "MaxRecords", 2)
    inject(
        client,
        "DescribeDBParameters",
        403,
        "AccessDenied",
        times=5,
        when=lambda request: "mysql-plain" in body_text(request),
    )
    throttle = inject(
        client,
        "DescribeDBParameters",
        400,
        "Throttling",
        when=lambda request: "pg-tls" in body_text(request),
    )
    instances = {i.identifier: i for i in rds.fetch_instances(clients, "us-east-1", ACCOUNT)}
    assert throttle.injected == 1 and throttle.attempts == 2
    assert len(instances) == DB_COUNT + 1
    assert [(u.aspect, u.missing) for u in instances["mysql-0"].unknown] == [
        ("parameters", "rds:DescribeDBParameters")
    ]
    assert instances["db-0"].ssl_parameters == {"rds.force_ssl": "1"}
    assert not instances["db-0"].unknown


def test_rds_denied_second_page_fails_the_collection(clients: AwsClients) -> None:
    _seed_databases()
    client = clients.client("rds", "us-east-1")
    page_size(client, "DescribeDBInstances", "MaxRecords", 2)
    inject(
        client,
        "DescribeDBInstances",
        403,
        "AccessDenied",
        when=lambda request: "Marker" in body_text(request),
    )
    with ThreadPoolExecutor(1) as pool:
        collected = run_collections(rds.COLLECTIONS, ("us-east-1",), clients, ACCOUNT, pool)
    assert collected.values == {}
    [outcome] = collected.outcomes
    assert (outcome.collection, outcome.outcome, outcome.missing) == (
        data.RDS_INSTANCES,
        Outcome.ACCESS_DENIED,
        "rds:DescribeDBInstances",
    )


def _seed_tables(count: int) -> None:
    client = boto3.client("dynamodb", region_name="eu-west-1")
    for i in range(count):
        client.create_table(
            TableName=f"table-{i}",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        if i % 2:
            client.update_continuous_backups(
                TableName=f"table-{i}",
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )


def test_dynamodb_pages_throttle_and_per_table_denial(
    clients: AwsClients, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed_tables(5)
    monkeypatch.setattr(detail, "DETAIL_WORKERS", 1)  # in order, so the throttle comes last
    client = clients.client("dynamodb", "eu-west-1")
    page_size(client, "ListTables", "Limit", 2)
    pages = inject(client, "ListTables", 500, "Unused", times=0)
    inject(
        client,
        "DescribeContinuousBackups",
        400,
        "AccessDeniedException",
        times=5,
        when=lambda request: '"table-3"' in body_text(request),
    )
    throttle = inject(
        client,
        "DescribeContinuousBackups",
        400,
        "ThrottlingException",
        when=lambda request: '"table-4"' in body_text(request),
    )
    tables = {t.name: t for t in dynamodb.fetch_tables(clients, "eu-west-1", ACCOUNT)}
    assert pages.attempts == 3
    assert throttle.injected == 1 and throttle.attempts == 2
    assert {n: t.pitr_enabled for n, t in tables.items()} == {
        "table-0": False,
        "table-1": True,
        "table-2": False,
        "table-3": None,
        "table-4": False,
    }
    assert [u.missing for u in tables["table-3"].unknown] == ["dynamodb:DescribeContinuousBackups"]
    assert tables["table-1"].arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/table-1"


def test_secrets_pages_rotation_and_denied_page(clients: AwsClients) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    for i in range(5):
        client.create_secret(Name=f"app/secret-{i}", SecretString="not-real")
    ours = clients.client("secretsmanager", "us-east-1")
    page_size(ours, "ListSecrets", "MaxResults", 2)
    throttle = inject(
        ours,
        "ListSecrets",
        400,
        "ThrottlingException",
        when=lambda request: "NextToken" in body_text(request),
    )
    secrets = secretsmanager.fetch_secrets(clients, "us-east-1", ACCOUNT)
    assert throttle.injected == 1 and throttle.attempts >= 3
    assert sorted(s.name for s in secrets) == [f"app/secret-{i}" for i in range(5)]
    assert not any(s.rotation_enabled for s in secrets)
    assert "not-real" not in repr(secrets)

    fresh = AwsClients(AwsConfig(max_attempts=5))  # without the throttled client's limiter
    inject(
        fresh.client("secretsmanager", "us-east-1"),
        "ListSecrets",
        400,
        "AccessDeniedException",
        when=lambda request: "NextToken" in body_text(request),
    )
    page_size(fresh.client("secretsmanager", "us-east-1"), "ListSecrets", "MaxResults", 2)
    with ThreadPoolExecutor(1) as pool:
        collected = run_collections(
            secretsmanager.COLLECTIONS, ("us-east-1",), fresh, ACCOUNT, pool
        )
    assert collected.values == {}
    assert [(o.outcome, o.missing) for o in collected.outcomes] == [
        (Outcome.ACCESS_DENIED, "secretsmanager:ListSecrets")
    ]


def test_aurora_instances_read_ssl_from_the_cluster_parameter_group(clients: AwsClients) -> None:
    client = boto3.client("rds", region_name="us-east-1")
    client.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="apg-tls",
        DBParameterGroupFamily="aurora-postgresql15",
        Description="tls",
    )
    client.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="apg-tls",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    client.create_db_cluster(
        DBClusterIdentifier="orders",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        DBClusterParameterGroupName="apg-tls",
        StorageEncrypted=True,
    )
    client.create_db_instance(
        DBInstanceIdentifier="orders-a",
        DBClusterIdentifier="orders",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r5.large",
    )
    [instance] = rds.fetch_instances(clients, "us-east-1", ACCOUNT)
    assert (instance.cluster, instance.parameter_groups) == ("orders", ("apg-tls",))
    assert instance.ssl_parameters == {"rds.force_ssl": "1"}
    assert instance.storage_encrypted and not instance.unknown


def test_read_replicas_name_their_source(clients: AwsClients) -> None:
    client = boto3.client("rds", region_name="us-east-1")
    client.create_db_instance(
        DBInstanceIdentifier="primary",
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        AllocatedStorage=20,
        BackupRetentionPeriod=7,
    )
    client.create_db_instance_read_replica(
        DBInstanceIdentifier="reader", SourceDBInstanceIdentifier="primary"
    )
    got = {i.identifier: i.replica_of for i in rds.fetch_instances(clients, "us-east-1", ACCOUNT)}
    assert got == {"primary": None, "reader": "primary"}


def test_multi_az_cluster_members_read_tls_from_the_cluster_group(clients: AwsClients) -> None:
    """A Multi-AZ DB cluster (Engine postgres with a DBClusterIdentifier): its members list a
    DB parameter group too, but the cluster parameter group is the one in force."""
    client = boto3.client("rds", region_name="us-east-1")
    client.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="maz-tls", DBParameterGroupFamily="postgres16", Description="t"
    )
    client.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="maz-tls",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    client.create_db_cluster(
        DBClusterIdentifier="ledger",
        Engine="postgres",
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        DBClusterParameterGroupName="maz-tls",
        DBClusterInstanceClass="db.m6gd.large",
        AllocatedStorage=100,
        StorageType="io1",
        Iops=1000,
    )
    client.create_db_instance(
        DBInstanceIdentifier="ledger-1",
        DBClusterIdentifier="ledger",
        Engine="postgres",
        DBInstanceClass="db.m6gd.large",
    )
    [instance] = rds.fetch_instances(clients, "us-east-1", ACCOUNT)
    assert instance.multi_az_cluster
    assert instance.parameter_groups == ("maz-tls",)
    assert instance.ssl_parameters == {"rds.force_ssl": "1"}
    assert instance.cluster_arn == "arn:aws:rds:us-east-1:123456789012:cluster:ledger"
    assert instance.parameter_apply_status == "in-sync"  # DBClusterMembers status


def test_pending_reboot_and_apply_type_come_from_the_wire(offline_clients: AwsClients) -> None:
    """Shapes of botocore's rds model: DBInstance.DBParameterGroups[].ParameterApplyStatus and
    Parameter.ApplyType / ApplyMethod, as DescribeDBInstances and DescribeDBParameters return."""
    client = offline_clients.client("rds", "us-east-1")
    stub = Stubber(client)
    stub.add_response(
        "describe_db_instances",
        {
            "DBInstances": [
                {
                    "DBInstanceIdentifier": "billing",
                    "DBInstanceArn": "arn:aws:rds:us-east-1:123456789012:db:billing",
                    "Engine": "sqlserver-se",
                    "EngineVersion": "16.00.4135.4.v1",
                    "StorageEncrypted": True,
                    "PubliclyAccessible": False,
                    "BackupRetentionPeriod": 7,
                    "DBParameterGroups": [
                        {
                            "DBParameterGroupName": "mssql-tls",
                            "ParameterApplyStatus": "pending-reboot",
                        }
                    ],
                }
            ]
        },
    )
    stub.add_response(
        "describe_db_parameters",
        {
            "Parameters": [
                {
                    "ParameterName": "rds.force_ssl",
                    "ParameterValue": "1",
                    "Source": "user",
                    "ApplyType": "static",
                    "DataType": "boolean",
                    "IsModifiable": True,
                    "ApplyMethod": "pending-reboot",
                }
            ]
        },
        {"DBParameterGroupName": "mssql-tls"},
    )
    with stub:
        [instance] = rds.fetch_instances(offline_clients, "us-east-1", ACCOUNT)
    assert instance.ssl_parameters == {"rds.force_ssl": "1"}
    assert instance.static_parameters == ("rds.force_ssl",)
    assert instance.pending_reboot("rds.force_ssl")
