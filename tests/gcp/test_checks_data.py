"""Storage, KMS, logging, Cloud SQL, load balancer and Workspace checks on hand-built data."""

from __future__ import annotations

from datetime import timedelta

from checks.gcp.compute import proxy_weak_tls
from checks.gcp.kms import key_public_access, key_rotation_too_long
from checks.gcp.logging import (
    data_access_audit_logs_incomplete,
    log_bucket_retention_too_short,
    no_sink_for_all_logs,
    sink_bucket_without_retention,
)
from checks.gcp.sql import (
    backups_disabled,
    instance_without_cmek,
    open_to_internet,
    ssl_not_required,
)
from checks.gcp.storage import (
    bucket_public_access,
    bucket_public_access_prevention_off,
    bucket_uniform_access_disabled,
    bucket_without_cmek,
)
from checks.gcp.workspace import user_without_2sv
from scanner.check import CheckContext
from scanner.config.gcp import GcpThresholds
from scanner.engine import evaluate_check, to_finding
from scanner.inventory.gcp import (
    IAM_POLICY,
    INHERITED_AUDIT_CONFIGS,
    INHERITED_SINKS,
    LOG_SINKS,
    AuditConfig,
    AuditLogConfig,
    Bucket,
    CryptoKey,
    GcpWorkspaceInventory,
    InheritedAuditConfig,
    InheritedSink,
    LogBucket,
    LogSink,
    SinkDestinationBucket,
    SqlAuthorizedNetwork,
    SqlInstance,
    SslPolicy,
    TargetProxy,
    WorkspaceUser,
)
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from tests.gcp.helpers import NOW, ctx, fails, passes, policy, project, verdicts

BUCKETS = (
    Bucket(
        name="open",
        uniform_access=False,
        public_access_prevention="inherited",
        iam=policy(("roles/storage.objectViewer", ["allUsers"])),
    ),
    Bucket(
        name="authn",
        uniform_access=True,
        public_access_prevention="enforced",
        iam=policy(("roles/storage.objectViewer", ["allAuthenticatedUsers"])),
    ),
    Bucket(
        name="tidy",
        uniform_access=True,
        public_access_prevention="enforced",
        default_kms_key="projects/p/locations/us/keyRings/r/cryptoKeys/k",
        iam=policy(("roles/storage.objectViewer", ["group:g@acme.example"])),
    ),
)


def test_bucket_checks() -> None:
    inv = project(buckets=BUCKETS)
    assert fails(bucket_public_access.CHECK, inv) == {"open", "authn"}
    assert passes(bucket_public_access.CHECK, inv) == {"tidy"}
    assert fails(bucket_uniform_access_disabled.CHECK, inv) == {"open"}
    assert passes(bucket_uniform_access_disabled.CHECK, inv) == {"authn", "tidy"}
    assert fails(bucket_public_access_prevention_off.CHECK, inv) == {"open"}


def test_public_acls_count_only_while_uniform_access_is_off() -> None:
    acl_open = Bucket(name="acl-open", acl_entities=("allUsers", "project-owners-1"))
    ignored = Bucket(name="ignored", uniform_access=True, acl_entities=("allAuthenticatedUsers",))
    inv = project(buckets=(acl_open, ignored))
    assert fails(bucket_public_access.CHECK, inv) == {"acl-open"}
    assert passes(bucket_public_access.CHECK, inv) == {"ignored"}


def test_cmek_only_when_required() -> None:
    inv = project(buckets=BUCKETS)
    assert not bucket_without_cmek.CHECK.runs_with(ctx().config)
    required = ctx(require_cmek=True)
    assert bucket_without_cmek.CHECK.runs_with(required.config)
    assert fails(bucket_without_cmek.CHECK, inv, required) == {"open", "authn"}
    assert passes(bucket_without_cmek.CHECK, inv, required) == {"tidy"}


def _ckey(name: str, **kw: object) -> CryptoKey:
    fields: dict[str, object] = {"primary_state": "ENABLED", **kw}
    return CryptoKey(
        name=f"projects/proj-a/locations/us/keyRings/r/cryptoKeys/{name}",
        location="us",
        **fields,  # type: ignore[arg-type]
    )


KEYS = (
    _ckey("ninety", rotation_period_seconds=90 * 86400, next_rotation=NOW + timedelta(days=3)),
    _ckey("yearly", rotation_period_seconds=365 * 86400, next_rotation=NOW + timedelta(days=3)),
    _ckey("never"),
    _ckey(
        "public",
        rotation_period_seconds=86400 * 30,
        next_rotation=NOW,
        iam=policy(("roles/cloudkms.cryptoKeyDecrypter", ["allUsers"])),
    ),
    _ckey("signer", purpose="ASYMMETRIC_SIGN", primary_state=None),
    _ckey("destroyed", primary_state="DESTROYED"),
)


def test_kms_rotation() -> None:
    inv = project(crypto_keys=KEYS)
    assert fails(key_rotation_too_long.CHECK, inv) == {"yearly", "never"}
    assert passes(key_rotation_too_long.CHECK, inv) == {"ninety", "public"}
    lax = ctx(thresholds=GcpThresholds(kms_rotation_max_days=400))
    assert fails(key_rotation_too_long.CHECK, inv, lax) == {"never"}


def test_kms_public_keys() -> None:
    inv = project(crypto_keys=KEYS)
    assert fails(key_public_access.CHECK, inv) == {"public"}
    assert len(passes(key_public_access.CHECK, inv)) == 5


def test_audit_configs() -> None:
    full = tuple(AuditLogConfig(log_type=t) for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE"))
    clean = project(
        iam_policy=policy(
            audit_configs=(AuditConfig(service="allServices", audit_log_configs=full),)
        )
    )
    partial = project(
        iam_policy=policy(
            audit_configs=(AuditConfig(service="allServices", audit_log_configs=full[:1]),)
        )
    )
    exempt = project(
        iam_policy=policy(
            audit_configs=(
                AuditConfig(service="allServices", audit_log_configs=full),
                AuditConfig(
                    service="storage.googleapis.com",
                    audit_log_configs=(
                        AuditLogConfig(
                            log_type="DATA_READ", exempted_members=("user:x@acme.example",)
                        ),
                    ),
                ),
            )
        )
    )
    none = project(iam_policy=policy())
    check = data_access_audit_logs_incomplete.CHECK
    assert passes(check, clean) == {"proj-a"} and fails(check, clean) == set()
    for inv in (partial, exempt, none):
        assert fails(check, inv) == {"proj-a"}


def test_sinks_exporting_everything() -> None:
    check = no_sink_for_all_logs.CHECK
    filtered = LogSink(
        name="errors", destination="storage.googleapis.com/b", filter="severity>=ERROR"
    )
    disabled = LogSink(name="off", destination="storage.googleapis.com/b", disabled=True)
    excluded = LogSink(name="most", destination="storage.googleapis.com/b", exclusions=("noisy",))
    full = LogSink(name="all", destination="bigquery.googleapis.com/projects/p/datasets/d")
    assert fails(check, project(log_sinks=(filtered, disabled, excluded))) == {"proj-a"}
    assert fails(check, project()) == {"proj-a"}
    assert passes(check, project(log_sinks=(filtered, full))) == {"proj-a"}


def test_checks_on_partly_missing_logging_data() -> None:
    def failed(collection: str) -> tuple[CollectionOutcome, ...]:
        ok = tuple(
            CollectionOutcome(collection=c) for c in (LOG_SINKS, IAM_POLICY) if c != collection
        )
        return (
            *ok,
            CollectionOutcome(collection=collection, outcome=Outcome.ACCESS_DENIED, missing="x"),
        )

    sinks = no_sink_for_all_logs.CHECK
    assert set(verdicts(sinks, project(outcomes=failed(LOG_SINKS)))) == {"error"}
    # Unread ancestors: a folder or organization setting could make up for what the project
    # lacks, so neither a fail nor a pass is given, only the error naming what is missing.
    assert set(verdicts(sinks, project(outcomes=failed(INHERITED_SINKS)))) == {"error"}
    audit = data_access_audit_logs_incomplete.CHECK
    no_audit = project(iam_policy=policy(), outcomes=failed(INHERITED_AUDIT_CONFIGS))
    assert set(verdicts(audit, no_audit)) == {"error"}
    full = tuple(AuditLogConfig(log_type=t) for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE"))
    good = policy(audit_configs=(AuditConfig(service="allServices", audit_log_configs=full),))
    audited = project(iam_policy=good, outcomes=failed(INHERITED_AUDIT_CONFIGS))
    assert set(verdicts(audit, audited)) == {"error"}


def test_log_bucket_retention_and_lock() -> None:
    def lb(name: str, days: int, locked: bool) -> LogBucket:
        return LogBucket(
            name=f"projects/proj-a/locations/global/buckets/{name}",
            location="global",
            retention_days=days,
            locked=locked,
        )

    inv = project(
        log_buckets=(
            lb("_Default", 30, False),
            lb("_Required", 400, True),
            lb("long-unlocked", 3650, False),
            lb("locked-short", 90, True),
        )
    )
    names = {
        f"projects/proj-a/locations/global/buckets/{n}"
        for n in ("_Default", "long-unlocked", "locked-short")
    }
    assert fails(log_bucket_retention_too_short.CHECK, inv) == names
    assert passes(log_bucket_retention_too_short.CHECK, inv) == {
        "projects/proj-a/locations/global/buckets/_Required"
    }


def test_sink_destination_retention() -> None:
    inv = project(
        log_sinks=(
            LogSink(name="s1", destination="storage.googleapis.com/keeps"),
            LogSink(name="s2", destination="storage.googleapis.com/forever"),
        ),
        sink_destinations=(
            SinkDestinationBucket(name="keeps", retention_period_seconds=86400 * 400),
            SinkDestinationBucket(name="forever"),
        ),
    )
    assert fails(sink_bucket_without_retention.CHECK, inv) == {"forever"}
    assert passes(sink_bucket_without_retention.CHECK, inv) == {"keeps"}


SQL = (
    SqlInstance(
        name="wide-open",
        ipv4_enabled=True,
        ssl_mode="ALLOW_UNENCRYPTED_AND_ENCRYPTED",
        authorized_networks=(SqlAuthorizedNetwork(value="0.0.0.0/0"),),
    ),
    SqlInstance(
        name="legacy-ssl",
        ipv4_enabled=True,
        require_ssl=True,
        backups_enabled=True,
        authorized_networks=(SqlAuthorizedNetwork(value="203.0.113.0/24"),),
    ),
    SqlInstance(
        name="private-any",
        ipv4_enabled=False,
        ssl_mode="ENCRYPTED_ONLY",
        backups_enabled=True,
        authorized_networks=(SqlAuthorizedNetwork(value="0.0.0.0/0"),),
    ),
    SqlInstance(
        name="replica",
        instance_type="READ_REPLICA_INSTANCE",
        ssl_mode="TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
    ),
)


def test_cloud_sql_checks() -> None:
    inv = project(sql_instances=SQL)
    assert fails(ssl_not_required.CHECK, inv) == {"wide-open"}
    assert passes(ssl_not_required.CHECK, inv) == {"legacy-ssl", "private-any", "replica"}
    assert fails(open_to_internet.CHECK, inv) == {"wide-open"}
    assert fails(backups_disabled.CHECK, inv) == {"wide-open"}
    assert passes(backups_disabled.CHECK, inv) == {"legacy-ssl", "private-any"}
    assert not instance_without_cmek.CHECK.runs_with(ctx().config)
    keyed = project(sql_instances=(SqlInstance(name="keyed", kms_key="projects/p/k"), SQL[0]))
    assert fails(instance_without_cmek.CHECK, keyed, ctx(require_cmek=True)) == {"wide-open"}
    assert passes(instance_without_cmek.CHECK, keyed, ctx(require_cmek=True)) == {"keyed"}


def test_proxy_tls() -> None:
    base = "https://www.googleapis.com/compute/v1/projects/proj-a/global/sslPolicies/"
    policies = (
        SslPolicy(name="old", self_link=base + "old", profile="MODERN", min_tls_version="TLS_1_0"),
        SslPolicy(
            name="compat",
            self_link=base + "compat",
            profile="COMPATIBLE",
            min_tls_version="TLS_1_2",
        ),
        SslPolicy(
            name="good", self_link=base + "good", profile="RESTRICTED", min_tls_version="TLS_1_2"
        ),
    )

    def proxy(name: str, policy: str | None) -> TargetProxy:
        return TargetProxy(
            name=name,
            self_link=f"https://x/{name}",
            kind="targetHttpsProxy",
            ssl_policy=base + policy if policy else None,
        )

    inv = project(
        ssl_policies=policies,
        target_proxies=(
            proxy("bare", None),
            proxy("p-old", "old"),
            proxy("p-compat", "compat"),
            proxy("p-good", "good"),
            proxy("p-missing", "elsewhere"),
        ),
    )
    assert fails(proxy_weak_tls.CHECK, inv) == {"bare", "p-old", "p-compat"}
    assert passes(proxy_weak_tls.CHECK, inv) == {"p-good"}


def test_workspace_2sv_findings_carry_the_customer_id() -> None:
    def user(n: str, enrolled: bool, **kw: object) -> WorkspaceUser:
        return WorkspaceUser(
            id=n,
            primary_email=f"{n}@acme.example",
            customer_id="C0abc",
            enrolled_2sv=enrolled,
            **kw,
        )  # type: ignore[arg-type]

    inv = GcpWorkspaceInventory(
        account="my_customer",
        workspace_users=(
            user("ann", True),
            user("ben", False),
            user("cat", False, suspended=True),
            user("dan", False, is_admin=True),
        ),
    )
    check = user_without_2sv.CHECK
    assert fails(check, inv) == {"ben@acme.example", "dan@acme.example"}
    assert passes(check, inv) == {"ann@acme.example"}
    context: CheckContext = ctx()
    findings = [to_finding(check, inv, r, context) for r in evaluate_check(check, inv, context)]
    assert {f.account for f in findings} == {"C0abc"}


def test_audit_configs_and_sinks_inherited_from_folders_and_organization() -> None:
    full = tuple(AuditLogConfig(log_type=t) for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE"))
    folder_config = InheritedAuditConfig(
        source="folders/1", config=AuditConfig(service="allServices", audit_log_configs=full)
    )
    org_exemption = InheritedAuditConfig(
        source="organizations/9",
        config=AuditConfig(
            service="allServices",
            audit_log_configs=(
                AuditLogConfig(log_type="DATA_READ", exempted_members=("user:vip@acme.example",)),
            ),
        ),
    )
    audit = data_access_audit_logs_incomplete.CHECK
    assert passes(
        audit, project(iam_policy=policy(), inherited_audit_configs=(folder_config,))
    ) == {"proj-a"}
    exempted = project(iam_policy=policy(), inherited_audit_configs=(folder_config, org_exemption))
    assert fails(audit, exempted) == {"proj-a"}

    sinks = no_sink_for_all_logs.CHECK
    aggregated = LogSink(name="all", destination="bigquery.googleapis.com/x", include_children=True)
    filtered = LogSink(
        name="audit",
        destination="pubsub.googleapis.com/t",
        filter="logName:x",
        include_children=True,
    )
    assert passes(
        sinks, project(inherited_sinks=(InheritedSink(source="organizations/9", sink=aggregated),))
    ) == {"proj-a"}
    assert fails(
        sinks, project(inherited_sinks=(InheritedSink(source="organizations/9", sink=filtered),))
    ) == {"proj-a"}


def test_tolerant_readings_of_sparse_payloads() -> None:
    # An SSL policy named by another host or API path is the same policy.
    good = SslPolicy(
        name="good",
        self_link="https://www.googleapis.com/compute/v1/projects/proj-a/global/sslPolicies/good",
        profile="MODERN",
        min_tls_version="TLS_1_2",
    )
    proxy = TargetProxy(
        name="web",
        self_link="https://compute.googleapis.com/compute/v1/projects/proj-a/global/targetHttpsProxies/web",
        kind="targetHttpsProxy",
        ssl_policy="https://compute.googleapis.com/compute/beta/projects/proj-a/global/sslPolicies/good",
    )
    inv = project(ssl_policies=(good,), target_proxies=(proxy,))
    assert passes(proxy_weak_tls.CHECK, inv) == {"web"}
    # Authorised networks with no word on the public IP count as public.
    unknown_ip = SqlInstance(
        name="db", authorized_networks=(SqlAuthorizedNetwork(value="0.0.0.0/0"),)
    )
    assert fails(open_to_internet.CHECK, project(sql_instances=(unknown_ip,))) == {"db"}
    # A rotation period is what rotates a key; the next time is evidence only.
    key = _ckey("k", rotation_period_seconds=30 * 86400)
    assert passes(key_rotation_too_long.CHECK, project(crypto_keys=(key,))) == {"k"}
