"""RDS instances whose parameter group does not force TLS connections."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import db_instance, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.rds.ssl_not_enforced",
    title="RDS instance does not force SSL/TLS connections",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation=(
        "In a custom parameter group set rds.force_ssl = 1 (PostgreSQL, SQL Server) or "
        "require_secure_transport = ON (MySQL, MariaDB), attach it, and reboot if required."
    ),
    requires=(data.RDS_INSTANCES,),
    description="Oracle and Db2 enforce TLS through option groups and are not evaluated here.",
)

FORCE_SSL = "rds.force_ssl"
SECURE_TRANSPORT = "require_secure_transport"
ON = frozenset({"1", "on", "true"})


def ssl_parameter(engine: str) -> str | None:
    """The parameter that forces TLS for this engine, None when parameters cannot."""
    if engine in ("postgres", "aurora-postgresql") or engine.startswith("sqlserver"):
        return FORCE_SSL
    if engine in ("mysql", "mariadb", "aurora-mysql", "aurora"):
        return SECURE_TRANSPORT
    return None


def engine_default(engine: str, version: str | None) -> str:
    """What the parameter is when the group does not list it: PostgreSQL 15+ forces SSL."""
    if engine == "postgres" and version:
        major = version.split(".")[0]
        if major.isdigit() and int(major) >= 15:
            return "1"
    return "0"


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for db in inventory.rds_instances:
        parameter = ssl_parameter(db.engine)
        if parameter is None:
            continue
        unknown = db.unknown_of(data.RDS_PARAMETERS)
        if unknown:
            yield not_evaluated(db_instance(db), unknown, db.region)
            continue
        value = db.ssl_parameters.get(parameter)
        effective = value if value is not None else engine_default(db.engine, db.engine_version)
        evidence = {
            "parameter_group": db.parameter_groups[0] if db.parameter_groups else None,
            "parameter": parameter,
            "value": value,
            "effective_value": effective,
        }
        yield pass_or_fail(
            db_instance(db),
            effective.lower() in ON,
            f"RDS instance {db.identifier} accepts only TLS connections ({parameter}).",
            f"RDS instance {db.identifier} accepts unencrypted connections: set {parameter} "
            "in its parameter group.",
            evidence=evidence,
            region=db.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
