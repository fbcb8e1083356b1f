"""ELBv2 (application and network load balancers): listeners as TLS endpoints."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from providers.aws.errors import error_code
from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import network as net
from scanner.inventory.common import TlsEndpoint

TLS_LISTENER_PROTOCOLS = frozenset({"HTTPS", "TLS"})


def redirects_to_https(actions: list[dict[str, Any]]) -> bool:
    return any(
        a.get("Type") == "redirect" and a.get("RedirectConfig", {}).get("Protocol") == "HTTPS"
        for a in actions
    )


def _policies(client: Any, names: set[str]) -> dict[str, tuple[str, ...]]:
    """The TLS versions each named policy allows; unknown names are left out."""
    if not names:
        return {}
    try:
        found = paginate(client, "describe_ssl_policies", "SslPolicies", Names=sorted(names))
    except ClientError as exc:
        if error_code(exc) != "SSLPolicyNotFound":
            raise
        found = paginate(client, "describe_ssl_policies", "SslPolicies")
    return {p["Name"]: tuple(p.get("SslProtocols", [])) for p in found if p.get("Name") in names}


def fetch_listeners(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[TlsEndpoint, ...]:
    client = clients.client("elbv2", region)
    listeners: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for lb in paginate(client, "describe_load_balancers", "LoadBalancers"):
        for listener in paginate(
            client, "describe_listeners", "Listeners", LoadBalancerArn=lb["LoadBalancerArn"]
        ):
            listeners.append((lb, listener))
    protocols = _policies(
        client,
        {
            str(li["SslPolicy"])
            for _, li in listeners
            if li.get("SslPolicy") and li.get("Protocol") in TLS_LISTENER_PROTOCOLS
        },
    )
    endpoints = []
    for lb, listener in listeners:
        protocol = listener.get("Protocol", "")
        # Only TLS listeners have a policy (moto reports one on HTTP listeners as well).
        policy = listener.get("SslPolicy") if protocol in TLS_LISTENER_PROTOCOLS else None
        endpoints.append(
            TlsEndpoint(
                uid=listener["ListenerArn"],
                name=f"{lb.get('LoadBalancerName', '')}:{listener.get('Port')}",
                kind="elbv2-listener",
                region=region,
                host=lb.get("DNSName"),
                port=listener.get("Port"),
                policy=policy,
                protocols=protocols.get(policy, ()) if policy else (),
                allows_plaintext=protocol == "HTTP"
                and not redirects_to_https(listener.get("DefaultActions", [])),
                certificate_ids=tuple(
                    c["CertificateArn"]
                    for c in listener.get("Certificates", [])
                    if "CertificateArn" in c
                ),
                listener_protocol=protocol,
            )
        )
    return tuple(endpoints)


COLLECTIONS = (
    aws_collection(
        net.ELBV2_LISTENERS,
        "elbv2_endpoints",
        "elasticloadbalancing",
        (
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeSSLPolicies",
        ),
        fetch_listeners,
        regional=True,
    ),
)
