"""RDS: every DB instance, with the SSL settings of the parameter group it uses.

Aurora instances take their SSL settings from the cluster parameter group; other engines from
the instance's DB parameter group. Each group is read once per region.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from providers.aws.collectors.detail import map_bounded
from providers.aws.errors import error_code
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data

SSL_PARAMETERS = frozenset({"rds.force_ssl", "require_secure_transport"})
GROUP_NOT_FOUND = frozenset({"DBParameterGroupNotFound", "DBParameterGroupNotFoundFault"})

GroupRead = dict[str, str] | data.Unknown


def _ssl_parameters(parameters: list[dict[str, Any]]) -> dict[str, str]:
    return {
        str(p["ParameterName"]): str(p["ParameterValue"])
        for p in parameters
        if p.get("ParameterName") in SSL_PARAMETERS and p.get("ParameterValue") is not None
    }


def _read_group(name: str, action: str, read: Callable[[], list[dict[str, Any]]]) -> GroupRead:
    try:
        return _ssl_parameters(read())
    except ClientError as exc:
        code = error_code(exc)
        # Default groups hold engine defaults only; some endpoints do not list them.
        if code in GROUP_NOT_FOUND and name.startswith("default."):
            return {}
        return data.Unknown(aspect=data.RDS_PARAMETERS, missing=action, reason=code or "error")
    except BotoCoreError as exc:
        return data.Unknown(aspect=data.RDS_PARAMETERS, missing=action, reason=type(exc).__name__)


def _aurora(engine: str) -> bool:
    return engine.startswith("aurora")


def _cluster_groups(rds: Any, instances: list[dict[str, Any]]) -> dict[str, str] | data.Unknown:
    """Cluster id -> its cluster parameter group, when any Aurora instance needs it."""
    if not any(
        _aurora(str(i.get("Engine", ""))) and i.get("DBClusterIdentifier") for i in instances
    ):
        return {}
    try:
        clusters = paginate(rds, "describe_db_clusters", "DBClusters")
    except ClientError as exc:
        reason = error_code(exc) or "error"
        return data.Unknown(
            aspect=data.RDS_PARAMETERS, missing="rds:DescribeDBClusters", reason=reason
        )
    return {
        str(c["DBClusterIdentifier"]): str(c["DBClusterParameterGroup"])
        for c in clusters
        if c.get("DBClusterParameterGroup")
    }


def fetch_instances(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.RdsInstance, ...]:
    rds = clients.client("rds", region)
    instances = paginate(rds, "describe_db_instances", "DBInstances")
    clusters = _cluster_groups(rds, instances)

    def group_of(i: dict[str, Any]) -> tuple[str, str] | data.Unknown | None:
        """(kind, name) of the group holding the instance's SSL settings."""
        if _aurora(str(i.get("Engine", ""))) and i.get("DBClusterIdentifier"):
            if isinstance(clusters, data.Unknown):
                return clusters
            name = clusters.get(str(i["DBClusterIdentifier"]))
            return ("cluster", name) if name else None
        groups = i.get("DBParameterGroups") or []
        return ("instance", str(groups[0]["DBParameterGroupName"])) if groups else None

    wanted = {g for i in instances if isinstance(g := group_of(i), tuple)}

    def read(group: tuple[str, str]) -> GroupRead:
        kind, name = group
        if kind == "cluster":
            return _read_group(
                name,
                "rds:DescribeDBClusterParameters",
                lambda: paginate(
                    rds,
                    "describe_db_cluster_parameters",
                    "Parameters",
                    DBClusterParameterGroupName=name,
                ),
            )
        return _read_group(
            name,
            "rds:DescribeDBParameters",
            lambda: paginate(
                rds, "describe_db_parameters", "Parameters", DBParameterGroupName=name
            ),
        )

    ordered = sorted(wanted)
    groups = dict(zip(ordered, map_bounded(read, ordered), strict=True))

    out = []
    for i in instances:
        group = group_of(i)
        read_result: GroupRead = (
            group if isinstance(group, data.Unknown) else groups[group] if group else {}
        )
        out.append(
            data.RdsInstance(
                identifier=str(i["DBInstanceIdentifier"]),
                arn=str(i["DBInstanceArn"]),
                region=region,
                engine=str(i.get("Engine", "")),
                engine_version=i.get("EngineVersion"),
                cluster=i.get("DBClusterIdentifier"),
                replica_of=i.get("ReadReplicaSourceDBInstanceIdentifier"),
                storage_encrypted=bool(i.get("StorageEncrypted")),
                publicly_accessible=bool(i.get("PubliclyAccessible")),
                backup_retention_days=int(i.get("BackupRetentionPeriod") or 0),
                parameter_groups=(group[1],) if isinstance(group, tuple) else (),
                ssl_parameters=read_result if isinstance(read_result, dict) else {},
                unknown=(read_result,) if isinstance(read_result, data.Unknown) else (),
            )
        )
    return tuple(out)


COLLECTIONS = (
    aws_collection(
        data.RDS_INSTANCES,
        "rds_instances",
        "rds",
        (
            "rds:DescribeDBInstances",
            "rds:DescribeDBParameters",
            "rds:DescribeDBClusters",
            "rds:DescribeDBClusterParameters",
        ),
        fetch_instances,
        regional=True,
    ),
)
