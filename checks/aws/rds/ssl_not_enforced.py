"""Databases whose parameter group does not force TLS connections.

Standalone RDS instances are judged by their DB parameter group, Aurora instances by their
cluster's group. Multi-AZ DB clusters, Neptune and DocumentDB take TLS from the cluster
parameter group and are judged once per cluster. A static parameter changed while the instance
reports `pending-reboot` is not in force yet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import JsonValue

from checks.aws.resources import db_cluster, db_instance, db_label, not_evaluated
from scanner.check import (
    Check,
    CheckContext,
    CheckMeta,
    CheckResult,
    fail,
    pass_or_fail,
    passed,
)
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.rds.ssl_not_enforced",
    title="Database does not force SSL/TLS connections",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation=(
        "In a custom parameter group set rds.force_ssl = 1 (PostgreSQL, SQL Server) or "
        "require_secure_transport = ON (MySQL, MariaDB); for DocumentDB tls = enabled and for "
        "Neptune neptune_enforce_ssl = 1 in the cluster parameter group; attach it, and reboot "
        "if required."
    ),
    requires=(data.RDS_INSTANCES,),
    description="Oracle and Db2 enforce TLS through option groups and are not evaluated here.",
)

FORCE_SSL = "rds.force_ssl"
SECURE_TRANSPORT = "require_secure_transport"
DOCDB_TLS = "tls"
NEPTUNE_SSL = "neptune_enforce_ssl"
# DocumentDB's tls takes enabled, disabled, tls1.2+, tls1.3+ or fips-140-3: all but
# disabled require TLS (DocumentDB Developer Guide, "Encrypting data in transit").
ON = frozenset({"1", "on", "true", "enabled", "tls1.2+", "tls1.3+", "fips-140-3"})
NEPTUNE_HTTPS_ONLY = (1, 0, 4, 0)
"""Neptune accepts only HTTPS from engine 1.0.4.0 on, whatever the parameter says (Neptune
User Guide, "Encrypting connections to your Amazon Neptune database with SSL/HTTPS")."""


def ssl_parameter(engine: str) -> str | None:
    """The parameter that forces TLS for this engine, None when parameters cannot."""
    if engine == "docdb":
        return DOCDB_TLS
    if engine == "neptune":
        return NEPTUNE_SSL
    if engine in ("postgres", "aurora-postgresql") or engine.startswith("sqlserver"):
        return FORCE_SSL
    if engine in ("mysql", "mariadb", "aurora-mysql", "aurora"):
        return SECURE_TRANSPORT
    return None


def _version(text: str | None) -> tuple[int, ...]:
    parts = [p for p in (text or "").split(".") if p.isdigit()]
    return tuple(int(p) for p in parts)


def engine_default(engine: str, version: str | None) -> str:
    """What the parameter is when the group does not list it."""
    if engine == "docdb":
        return "enabled"  # on by default for new clusters
    if engine == "neptune":
        return "1"  # new cluster parameter groups require SSL
    if engine == "postgres" and version:
        major = _version(version)[:1]
        if major and major[0] >= 15:  # PostgreSQL 15+ forces SSL
            return "1"
    return "0"


def _advice(db: data.RdsInstance, parameter: str) -> str:
    if db.service == "docdb":
        return "set tls to enabled in a custom cluster parameter group and reboot the instances"
    if db.service == "neptune":
        return (
            "set neptune_enforce_ssl to 1 in its cluster parameter group and reboot, or "
            "upgrade to engine 1.0.4.0 or later, which accepts HTTPS only"
        )
    where = "cluster parameter group" if db.cluster else "parameter group"
    return f"set {parameter} in its {where}"


def _verdict(
    resource: Resource,
    kind: str,
    members: Sequence[data.RdsInstance],
    parameter: str,
) -> CheckResult:
    db = members[0]
    value = db.ssl_parameters.get(parameter)
    effective = value if value is not None else engine_default(db.engine, db.engine_version)
    pending = sorted(m.identifier for m in members if m.pending_reboot(parameter))
    evidence: dict[str, JsonValue] = {
        "engine": db.engine,
        "parameter_group": db.parameter_groups[0] if db.parameter_groups else None,
        "parameter": parameter,
        "value": value,
        "effective_value": effective,
    }
    if db.cluster:
        evidence["cluster"] = db.cluster
        evidence["members"] = [m.identifier for m in members]
    label = f"{db_label(db)} {kind} {resource.name}"
    if db.service == "neptune" and _version(db.engine_version) >= NEPTUNE_HTTPS_ONLY:
        evidence["engine_accepts_https_only"] = True
        return passed(
            resource,
            f"{label} accepts only HTTPS: Neptune {db.engine_version} enforces it.",
            evidence=evidence,
            region=db.region,
        )
    on = effective.lower() in ON
    if on and pending:
        evidence["pending_reboot"] = list[JsonValue](pending)
        return fail(
            resource,
            f"{label} has {parameter} = {effective} in its parameter group, but the change is "
            f"pending a reboot of {', '.join(pending)}: until then it is not in force; reboot.",
            evidence=evidence,
            region=db.region,
        )
    return pass_or_fail(
        resource,
        on,
        f"{label} accepts only TLS connections ({parameter}).",
        f"{label} accepts unencrypted connections: {_advice(db, parameter)}.",
        evidence=evidence,
        region=db.region,
    )


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    clusters: dict[str, list[data.RdsInstance]] = {}
    for db in inventory.rds_instances:
        parameter = ssl_parameter(db.engine)
        if parameter is None:
            continue
        if db.cluster is not None and (db.multi_az_cluster or db.service != "rds"):
            clusters.setdefault(db_cluster(db).uid, []).append(db)
            continue
        unknown = db.unknown_of(data.RDS_PARAMETERS)
        if unknown:
            yield not_evaluated(db_instance(db), unknown, db.region)
            continue
        yield _verdict(db_instance(db), "instance", [db], parameter)
    for members in clusters.values():
        first = members[0]
        unknown = first.unknown_of(data.RDS_PARAMETERS)
        if unknown:
            yield not_evaluated(db_cluster(first), unknown, first.region)
            continue
        parameter = ssl_parameter(first.engine)
        assert parameter is not None  # only instances with a parameter were grouped
        yield _verdict(db_cluster(first), "cluster", members, parameter)


CHECK = Check(META, AwsInventory, evaluate)
