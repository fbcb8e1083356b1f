"""Classic load balancers: listeners as TLS endpoints, protocols from their SSL policies."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from providers.aws.collectors.tls_policies import classic_elb_protocols
from providers.aws.errors import error_code
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import network as net
from scanner.inventory.common import TlsEndpoint

SSL_POLICY_TYPE = "SSLNegotiationPolicyType"
# What Elastic Load Balancing applies to an HTTPS/SSL listener that names no policy.
DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
# Its documented protocols, for endpoints that do not serve the predefined policies.
DEFAULT_POLICY_PROTOCOLS = ("TLSv1", "TLSv1.1", "TLSv1.2")
TLS_PROTOCOLS = frozenset({"HTTPS", "SSL"})


def _ssl_policies(
    client: Any, lb_name: str, names: list[str]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Policy name -> (referenced security policy, allowed versions) for SSL negotiation ones."""
    if not names:
        return {}
    described = client.describe_load_balancer_policies(
        LoadBalancerName=lb_name, PolicyNames=names
    ).get("PolicyDescriptions", [])
    out = {}
    for policy in described:
        if policy.get("PolicyTypeName") != SSL_POLICY_TYPE:
            continue
        attributes = {
            a.get("AttributeName", ""): str(a.get("AttributeValue", ""))
            for a in policy.get("PolicyAttributeDescriptions", [])
        }
        reference = attributes.get("Reference-Security-Policy") or policy["PolicyName"]
        out[policy["PolicyName"]] = (reference, classic_elb_protocols(attributes))
    return out


def _default_protocols(client: Any) -> tuple[str, ...]:
    try:
        described = client.describe_load_balancer_policies(PolicyNames=[DEFAULT_POLICY]).get(
            "PolicyDescriptions", []
        )
    except ClientError as exc:
        # Some endpoints (moto among them) only describe policies of a named load balancer.
        if error_code(exc) not in {"PolicyNotFound", "LoadBalancerNotFound"}:
            raise
        described = []
    for policy in described:
        attributes = {
            a.get("AttributeName", ""): str(a.get("AttributeValue", ""))
            for a in policy.get("PolicyAttributeDescriptions", [])
        }
        return classic_elb_protocols(attributes)
    return DEFAULT_POLICY_PROTOCOLS


def fetch_listeners(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[TlsEndpoint, ...]:
    client = clients.client("elb", region)
    endpoints = []
    default: tuple[str, ...] | None = None
    for lb in paginate(client, "describe_load_balancers", "LoadBalancerDescriptions"):
        name = lb["LoadBalancerName"]
        descriptions = lb.get("ListenerDescriptions", [])
        policy_names = sorted({p for d in descriptions for p in d.get("PolicyNames", [])})
        policies = _ssl_policies(client, name, policy_names)
        for description in descriptions:
            listener = description.get("Listener", {})
            protocol = str(listener.get("Protocol", "")).upper()
            port = listener.get("LoadBalancerPort")
            policy: str | None = None
            protocols: tuple[str, ...] = ()
            if protocol in TLS_PROTOCOLS:
                attached = [
                    policies[p] for p in description.get("PolicyNames", []) if p in policies
                ]
                if attached:
                    policy, protocols = attached[0]
                else:
                    default = _default_protocols(client) if default is None else default
                    policy, protocols = f"{DEFAULT_POLICY} (default)", default
            certificate = listener.get("SSLCertificateId")
            endpoints.append(
                TlsEndpoint(
                    uid=f"arn:{account.partition}:elasticloadbalancing:{region}:{account.id}:"
                    f"loadbalancer/{name}/listener/{port}",
                    name=f"{name}:{port}",
                    kind="elb-listener",
                    region=region,
                    host=lb.get("DNSName"),
                    port=port,
                    policy=policy,
                    protocols=protocols,
                    allows_plaintext=protocol == "HTTP",
                    certificate_ids=(certificate,) if certificate else (),
                    listener_protocol=protocol,
                )
            )
    return tuple(endpoints)


COLLECTIONS = (
    aws_collection(
        net.ELB_LISTENERS,
        "elb_endpoints",
        "elasticloadbalancing",
        (
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerPolicies",
        ),
        fetch_listeners,
        regional=True,
    ),
)
