"""RDS: every DB instance, with the TLS settings of the parameter group it uses.

Cluster members (Aurora, Multi-AZ DB clusters of MySQL or PostgreSQL, Neptune and DocumentDB,
which DescribeDBInstances returns too) take their TLS settings from the cluster parameter
group; other instances from their DB parameter group. Each group is read once per region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from providers.aws.collectors.detail import map_bounded
from providers.aws.errors import error_code
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data

SSL_PARAMETERS = frozenset(
    {"rds.force_ssl", "require_secure_transport", "tls", "neptune_enforce_ssl"}
)
GROUP_NOT_FOUND = frozenset({"DBParameterGroupNotFound", "DBParameterGroupNotFoundFault"})


@dataclass(frozen=True)
class GroupParameters:
    values: dict[str, str] = field(default_factory=dict)
    static: tuple[str, ...] = ()
    """ApplyType static (vs dynamic): a changed value applies only after a reboot."""


@dataclass(frozen=True)
class Cluster:
    arn: str | None
    group: str | None
    member_status: dict[str, str]
    """DBClusterMembers: instance id -> DBClusterParameterGroupStatus."""


GroupRead = GroupParameters | data.Unknown


def _ssl_parameters(parameters: list[dict[str, Any]]) -> GroupParameters:
    wanted = [
        p
        for p in parameters
        if p.get("ParameterName") in SSL_PARAMETERS and p.get("ParameterValue") is not None
    ]
    return GroupParameters(
        values={str(p["ParameterName"]): str(p["ParameterValue"]) for p in wanted},
        static=tuple(
            sorted(str(p["ParameterName"]) for p in wanted if p.get("ApplyType") == "static")
        ),
    )


def _read_group(name: str, action: str, read: Callable[[], list[dict[str, Any]]]) -> GroupRead:
    try:
        return _ssl_parameters(read())
    except ClientError as exc:
        code = error_code(exc)
        # Default groups hold engine defaults only; some endpoints do not list them.
        if code in GROUP_NOT_FOUND and name.startswith("default."):
            return GroupParameters()
        return data.Unknown(aspect=data.RDS_PARAMETERS, missing=action, reason=code or "error")
    except BotoCoreError as exc:
        return data.Unknown(aspect=data.RDS_PARAMETERS, missing=action, reason=type(exc).__name__)


def _clusters(rds: Any, instances: list[dict[str, Any]]) -> dict[str, Cluster] | data.Unknown:
    """Cluster id -> its ARN, cluster parameter group and members, when any instance is in one."""
    if not any(i.get("DBClusterIdentifier") for i in instances):
        return {}
    try:
        clusters = paginate(rds, "describe_db_clusters", "DBClusters")
    except ClientError as exc:
        reason = error_code(exc) or "error"
        return data.Unknown(
            aspect=data.RDS_PARAMETERS, missing="rds:DescribeDBClusters", reason=reason
        )
    return {
        str(c["DBClusterIdentifier"]): Cluster(
            arn=c.get("DBClusterArn"),
            group=c.get("DBClusterParameterGroup"),
            member_status={
                str(m["DBInstanceIdentifier"]): str(m["DBClusterParameterGroupStatus"])
                for m in c.get("DBClusterMembers", [])
                if m.get("DBInstanceIdentifier") and m.get("DBClusterParameterGroupStatus")
            },
        )
        for c in clusters
    }


def fetch_instances(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.RdsInstance, ...]:
    rds = clients.client("rds", region)
    instances = paginate(rds, "describe_db_instances", "DBInstances")
    clusters = _clusters(rds, instances)

    def cluster_of(i: dict[str, Any]) -> Cluster | data.Unknown | None:
        if not i.get("DBClusterIdentifier"):
            return None
        if isinstance(clusters, data.Unknown):
            return clusters
        return clusters.get(str(i["DBClusterIdentifier"]))

    def group_of(i: dict[str, Any]) -> tuple[str, str] | data.Unknown | None:
        """(kind, name) of the group holding the instance's TLS settings."""
        if i.get("DBClusterIdentifier"):
            cluster = cluster_of(i)
            if isinstance(cluster, data.Unknown):
                return cluster
            return ("cluster", cluster.group) if cluster and cluster.group else None
        groups = i.get("DBParameterGroups") or []
        return ("instance", str(groups[0]["DBParameterGroupName"])) if groups else None

    def apply_status(i: dict[str, Any]) -> str | None:
        cluster = cluster_of(i)
        if isinstance(cluster, Cluster):
            return cluster.member_status.get(str(i["DBInstanceIdentifier"]))
        if i.get("DBClusterIdentifier"):
            return None
        groups = i.get("DBParameterGroups") or []
        return groups[0].get("ParameterApplyStatus") if groups else None

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
            group
            if isinstance(group, data.Unknown)
            else groups[group]
            if group
            else GroupParameters()
        )
        cluster = cluster_of(i)
        parameters = read_result if isinstance(read_result, GroupParameters) else GroupParameters()
        out.append(
            data.RdsInstance(
                identifier=str(i["DBInstanceIdentifier"]),
                arn=str(i["DBInstanceArn"]),
                region=region,
                engine=str(i.get("Engine", "")),
                engine_version=i.get("EngineVersion"),
                cluster=i.get("DBClusterIdentifier"),
                cluster_arn=cluster.arn if isinstance(cluster, Cluster) else None,
                replica_of=i.get("ReadReplicaSourceDBInstanceIdentifier"),
                storage_encrypted=bool(i.get("StorageEncrypted")),
                publicly_accessible=bool(i.get("PubliclyAccessible")),
                backup_retention_days=int(i.get("BackupRetentionPeriod") or 0),
                parameter_groups=(group[1],) if isinstance(group, tuple) else (),
                ssl_parameters=parameters.values,
                static_parameters=parameters.static,
                parameter_apply_status=apply_status(i),
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
