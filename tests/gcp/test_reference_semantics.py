"""GCP semantics read from Google's own references, each shape named beside its test.

- Compute v1 discovery `SslPolicy` (profile CUSTOM, customFeatures, enabledFeatures output
  only) and the SSL policies page's feature table.
- Cloud KMS v1 discovery `CryptoKey.versionTemplate.protectionLevel`, `cryptoKeyBackend`
  and `EkmConnection.keyManagementMode` (MANUAL: "Automatic rotation of key material is not
  supported"; unset means MANUAL).
- Cloud SQL Admin v1 discovery `DatabaseInstance.instanceType` (CLOUD_SQL_INSTANCE,
  ON_PREMISES_INSTANCE, READ_REPLICA_INSTANCE, READ_POOL_INSTANCE, GREEN_INSTANCE).
- The VPC Service Controls troubleshooting page's 403 body (PreconditionFailure violation
  VPC_SERVICE_CONTROLS beside ErrorInfo SECURITY_POLICY_VIOLATED).
- IAM "Service agents" and "Service account types" pages for the account forms.
"""

from __future__ import annotations

import json
from typing import Any

import httplib2
import pytest
from googleapiclient.errors import HttpError

from checks.gcp import principals
from checks.gcp.compute import proxy_weak_tls
from checks.gcp.kms import key_rotation_too_long
from checks.gcp.sql import backups_disabled, open_to_internet, ssl_not_required
from providers.demo.fakes.gcp import FakeGcp, error_body, permission_denied_fault
from providers.demo.fakes.server import Fault
from providers.gcp.collectors.compute import _features
from providers.gcp.errors import VPC_SC_MISSING, outcome_for
from providers.gcp.permissions import PROJECTS_SEARCH
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from tests.gcp.helpers import ctx, fails, passes, project, verdicts
from tests.gcp.test_collect import collect

PROXY = "https://compute.googleapis.com/compute/v1/projects/proj-a/global/targetHttpsProxies/p"
POLICY = "https://compute.googleapis.com/compute/v1/projects/proj-a/global/sslPolicies/custom"


def _custom(raw: dict[str, Any]) -> inv.GcpInventory:
    policy = inv.SslPolicy(
        name="custom",
        self_link=POLICY,
        profile="CUSTOM",
        min_tls_version=str(raw.get("minTlsVersion", "TLS_1_2")),
        enabled_features=_features(raw),
    )
    proxy = inv.TargetProxy(name="p", self_link=PROXY, kind="targetHttpsProxy", ssl_policy=POLICY)
    return project(ssl_policies=(policy,), target_proxies=(proxy,))


def test_custom_ssl_policies_are_judged_by_their_enabled_features() -> None:
    strong = {
        "kind": "compute#sslPolicy",
        "name": "custom",
        "profile": "CUSTOM",
        "minTlsVersion": "TLS_1_2",
        "customFeatures": [
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        ],
        "enabledFeatures": [
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        ],
    }
    assert passes(proxy_weak_tls.CHECK, _custom(strong)) == {"p"}
    weak = {
        **strong,
        "enabledFeatures": [
            *strong["enabledFeatures"],
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        ],
    }
    inventory = _custom(weak)
    assert fails(proxy_weak_tls.CHECK, inventory) == {"p"}
    (result,) = proxy_weak_tls.CHECK.evaluate(inventory, ctx())
    assert result.evidence["weak_features"] == [
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
    ]
    # enabledFeatures is output only: without it, customFeatures is what CUSTOM turns on.
    only_custom = {k: v for k, v in strong.items() if k != "enabledFeatures"}
    only_custom["customFeatures"] = weak["enabledFeatures"]
    assert fails(proxy_weak_tls.CHECK, _custom(only_custom)) == {"p"}
    unknown = {k: v for k, v in strong.items() if k not in ("enabledFeatures", "customFeatures")}
    assert verdicts(proxy_weak_tls.CHECK, _custom(unknown)) == {"error": {"p"}}


def _key(name: str, level: str, mode: str | None, rotation: int | None = None) -> inv.CryptoKey:
    return inv.CryptoKey(
        name=f"projects/proj-a/locations/us/keyRings/r/cryptoKeys/{name}",
        location="us",
        primary_state="ENABLED",
        protection_level=level,
        key_management_mode=mode,
        rotation_period_seconds=rotation,
    )


def test_cloud_ekm_keys_in_manual_mode_are_not_rotation_failures() -> None:
    keys = (
        _key("software", "SOFTWARE", None),
        _key("internet-ekm", "EXTERNAL", "MANUAL"),
        _key("vpc-manual", "EXTERNAL_VPC", "MANUAL"),
        _key("vpc-coordinated", "EXTERNAL_VPC", "CLOUD_KMS"),
        _key("vpc-coordinated-rotating", "EXTERNAL_VPC", "CLOUD_KMS", 90 * 86400),
    )
    inventory = project(crypto_keys=keys)
    assert fails(key_rotation_too_long.CHECK, inventory) == {"software", "vpc-coordinated"}
    assert passes(key_rotation_too_long.CHECK, inventory) == {"vpc-coordinated-rotating"}


def test_the_ekm_connection_mode_is_read_for_external_vpc_keys(fake: FakeGcp) -> None:
    secure = collect()["acme-secure"]
    assert isinstance(secure, inv.GcpInventory)
    (hyok,) = [k for k in secure.crypto_keys if k.short_name == "hyok"]
    assert hyok.protection_level == "EXTERNAL_VPC"
    assert hyok.crypto_key_backend == (
        "projects/acme-secure/locations/us/ekmConnections/hyok-manager"
    )
    assert hyok.key_management_mode == "MANUAL" and hyok.externally_managed
    assert "hyok" not in fails(key_rotation_too_long.CHECK, secure)
    reads = [p for _, p in fake.requests if "/ekmConnections/" in p]
    assert len(reads) == 1  # only for the EXTERNAL_VPC key's backend, once


def _sql(name: str, kind: str | None, **kw: Any) -> inv.SqlInstance:
    return inv.SqlInstance(name=name, instance_type=kind, **kw)


def test_read_pools_replicas_and_on_premises_entries_are_not_primaries() -> None:
    instances = (
        _sql("primary", "CLOUD_SQL_INSTANCE"),
        _sql("green", "GREEN_INSTANCE"),
        _sql("replica", "READ_REPLICA_INSTANCE", ssl_mode="ENCRYPTED_ONLY"),
        _sql("pool", "READ_POOL_INSTANCE", ssl_mode="ENCRYPTED_ONLY"),
        # An external primary Cloud SQL replicates from: no Cloud SQL settings at all.
        _sql(
            "on-prem",
            "ON_PREMISES_INSTANCE",
            authorized_networks=(inv.SqlAuthorizedNetwork(value="0.0.0.0/0"),),
        ),
    )
    inventory = project(sql_instances=instances)
    assert fails(backups_disabled.CHECK, inventory) == {"primary", "green"}
    assert fails(ssl_not_required.CHECK, inventory) == {"primary", "green"}
    assert passes(ssl_not_required.CHECK, inventory) == {"replica", "pool"}
    assert "on-prem" not in {*fails(open_to_internet.CHECK, inventory)}
    assert "on-prem" not in {*passes(open_to_internet.CHECK, inventory)}


def _vpc_sc_body() -> dict[str, Any]:
    message = (
        "Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: "
        "E3nqnu5Gyz9yNa0BzYzeXqdc3K9yE0Dq2sW8bCbzNvOc"
    )
    return error_body(
        403,
        "PERMISSION_DENIED",
        message,
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.PreconditionFailure",
                "violations": [
                    {
                        "type": "VPC_SERVICE_CONTROLS",
                        "description": "E3nqnu5Gyz9yNa0BzYzeXqdc3K9yE0Dq2sW8bCbzNvOc",
                    }
                ],
            },
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SECURITY_POLICY_VIOLATED",
                "domain": "googleapis.com",
                "metadata": {
                    "service": "storage.googleapis.com",
                    "uid": "E3nqnu5Gyz9yNa0BzYzeXqdc3K9yE0Dq2sW8bCbzNvOc",
                },
            },
        ],
    )


def test_a_vpc_service_controls_denial_is_named_as_such() -> None:
    response = httplib2.Response({"status": 403})
    exc = HttpError(response, json.dumps(_vpc_sc_body()).encode(), uri="https://x")
    outcome = outcome_for(inv.BUCKETS, exc, "storage.googleapis.com", "storage.buckets.list")
    assert outcome.outcome is Outcome.ACCESS_DENIED
    assert outcome.missing == VPC_SC_MISSING
    assert "VPC Service Controls" in outcome.message
    # A plain IAM denial still names the permission.
    plain = HttpError(
        response, json.dumps(error_body(403, "PERMISSION_DENIED", "denied")).encode(), uri="x"
    )
    assert outcome_for(inv.BUCKETS, plain, "storage", "storage.buckets.list").missing == (
        "storage.buckets.list"
    )


def test_a_vpc_service_controls_denial_through_the_clients(fake: FakeGcp) -> None:
    fake.inject(
        Fault("/cloudresourcemanager/v3/projects/acme-prod:getIamPolicy", 403, _vpc_sc_body())
    )
    prod = collect()["acme-prod"]
    (failed,) = prod.failures([inv.IAM_POLICY])
    assert failed.outcome is Outcome.ACCESS_DENIED and failed.missing == VPC_SC_MISSING


def test_a_project_whose_folders_cannot_be_read_is_not_assumed_in_the_organization(
    fake: FakeGcp,
) -> None:
    fake.inject(
        permission_denied_fault(
            "/cloudresourcemanager/v3/folders/730194628105", "resourcemanager.folders.get", times=10
        )
    )
    found = collect()
    assert "acme-analytics" not in found
    org = found["482019374651"]
    (unplaced,) = [o for o in org.outcomes if o.scope == "projects/acme-analytics"]
    assert unplaced.collection == PROJECTS_SEARCH
    assert unplaced.outcome is Outcome.ACCESS_DENIED
    assert unplaced.missing == "resourcemanager.folders.get"
    assert "not known to be in organizations/482019374651" in unplaced.message


@pytest.mark.parametrize(
    "email",
    [
        "service-304918274615@gcp-sa-cloudkms.iam.gserviceaccount.com",
        "service-org-482019374651@gcp-sa-scc-notification.iam.gserviceaccount.com",
        "service-folder-730194628105@gcp-sa-cloudasset.iam.gserviceaccount.com",
        "service-p304918274615@gcp-sa-accessapproval.iam.gserviceaccount.com",
        "service-o482019374651@gcp-sa-accessapproval.iam.gserviceaccount.com",
        "service-304918274615@container-engine-robot.iam.gserviceaccount.com",
        "service-304918274615@compute-system.iam.gserviceaccount.com",
        "service-304918274615@gs-project-accounts.iam.gserviceaccount.com",
        "service-304918274615@cloud-ml.google.com.iam.gserviceaccount.com",
        "service-304918274615@dataflow-service-producer-prod.iam.gserviceaccount.com",
        "o482019374651-812345@gcp-sa-logging.iam.gserviceaccount.com",
        "p304918274615-123456@gcp-sa-logging.iam.gserviceaccount.com",
        "304918274615@cloudservices.gserviceaccount.com",
        "cloud-logs@system.gserviceaccount.com",
    ],
)
def test_every_service_agent_form_is_google_managed(email: str) -> None:
    assert inv.is_google_managed(email)
    assert not principals.is_customer_service_account(f"serviceAccount:{email}")


@pytest.mark.parametrize(
    "email",
    [
        "deployer@acme-prod.iam.gserviceaccount.com",
        "app@acme-data.example.com.iam.gserviceaccount.com",  # a domain-scoped project
        # Default service accounts are the customer's to manage (Editor by default).
        "304918274615-compute@developer.gserviceaccount.com",
        "acme-prod@appspot.gserviceaccount.com",
        "304918274615@cloudbuild.gserviceaccount.com",
    ],
)
def test_customer_and_default_service_accounts_are_judged(email: str) -> None:
    assert not inv.is_google_managed(email)
    assert principals.is_customer_service_account(f"serviceAccount:{email}")
    assert inv.is_default_service_account(email) == (
        "@" + email.split("@")[1]
        in {
            "@developer.gserviceaccount.com",
            "@appspot.gserviceaccount.com",
            "@cloudbuild.gserviceaccount.com",
        }
    )
