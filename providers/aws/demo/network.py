"""Demo seed for network and TLS: security groups, flow logs, load balancers, CloudFront,
API Gateway domains and ACM certificates, each problem beside a clean twin.

Runs inside moto (the demo and the tests); never against a real account.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from providers.aws.demo.regions import HOME, OTHER, client


def self_signed_pem(domain: str, not_after: datetime) -> tuple[bytes, bytes]:
    """A throwaway certificate and key for the demo's ACM imports (moto only)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_after - timedelta(days=365))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _import_cert(region: str, domain: str, not_after: datetime) -> str:
    cert, key = self_signed_pem(domain, not_after)
    arn: str = client("acm", region_name=region).import_certificate(
        Certificate=cert, PrivateKey=key
    )["CertificateArn"]
    return arn


def _rule(port: int, cidr: str) -> dict[str, Any]:
    ranges = (
        {"Ipv6Ranges": [{"CidrIpv6": cidr}]} if ":" in cidr else {"IpRanges": [{"CidrIp": cidr}]}
    )
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **ranges}


def seed_network() -> dict[str, str]:
    """A VPC with flow logs and a locked default group; exposed and clean security groups."""
    logs = client("logs", region_name=HOME)
    key = client("kms", region_name=HOME).create_key(Description="demo flow log key")
    logs.create_log_group(logGroupName="/demo/flow-logs", kmsKeyId=key["KeyMetadata"]["Arn"])
    logs.put_retention_policy(logGroupName="/demo/flow-logs", retentionInDays=731)
    ec2 = client("ec2", region_name=HOME)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName="/demo/flow-logs",
        DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/demo-flow-logs",
    )
    default = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    for direction, rules in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
        if default.get(rules):
            revoke = getattr(ec2, f"revoke_security_group_{direction}")
            revoke(GroupId=default["GroupId"], IpPermissions=default[rules])
    groups = {}
    for name, permissions in (
        ("demo-ssh-open", [_rule(22, "0.0.0.0/0")]),
        ("demo-postgres-v6", [_rule(5432, "::/0")]),
        ("demo-web", [_rule(443, "0.0.0.0/0"), _rule(22, "10.0.0.0/8")]),
    ):
        group = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=permissions)
        groups[name] = group
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"{HOME}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    ]
    groups["subnets"] = ",".join(subnets)
    groups["vpc"] = vpc
    return groups


def seed_endpoints(network: dict[str, str]) -> None:
    """Load balancers, CloudFront and API domains: plaintext or weak TLS beside clean ones."""
    now = datetime.now(UTC)
    good_cert = _import_cert(HOME, "www.demo.example", now + timedelta(days=300))
    _import_cert(HOME, "old.demo.example", now + timedelta(days=10))
    _import_cert(OTHER, "soon.demo.example", now + timedelta(days=2))
    elbv2 = client("elbv2", region_name=HOME)
    lb = elbv2.create_load_balancer(
        Name="demo-web", Subnets=network["subnets"].split(","), SecurityGroups=[network["demo-web"]]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    group = elbv2.create_target_group(
        Name="demo-web", Protocol="HTTP", Port=80, VpcId=network["vpc"]
    )["TargetGroups"][0]["TargetGroupArn"]
    forward = [{"Type": "forward", "TargetGroupArn": group}]
    redirect = [
        {
            "Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
        }
    ]
    elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=redirect)
    elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=8080, DefaultActions=forward)
    for port, policy in (
        (443, "ELBSecurityPolicy-TLS13-1-2-2021-06"),
        (8443, "ELBSecurityPolicy-2016-08"),
    ):
        elbv2.create_listener(
            LoadBalancerArn=lb,
            Protocol="HTTPS",
            Port=port,
            SslPolicy=policy,
            Certificates=[{"CertificateArn": good_cert}],
            DefaultActions=forward,
        )
    elb = client("elb", region_name=HOME)
    elb.create_load_balancer(
        LoadBalancerName="demo-classic",
        Listeners=[
            {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80},
            {
                "Protocol": "HTTPS",
                "LoadBalancerPort": 443,
                "InstancePort": 80,
                "SSLCertificateId": good_cert,
            },
        ],
        AvailabilityZones=[f"{HOME}a"],
    )
    elb.create_load_balancer_policy(
        LoadBalancerName="demo-classic",
        PolicyName="demo-tls12",
        PolicyTypeName="SSLNegotiationPolicyType",
        PolicyAttributes=[
            {
                "AttributeName": "Reference-Security-Policy",
                "AttributeValue": "ELBSecurityPolicy-TLS-1-2-2017-01",
            },
            {"AttributeName": "Protocol-TLSv1.2", "AttributeValue": "true"},
            {"AttributeName": "Protocol-TLSv1", "AttributeValue": "false"},
        ],
    )
    elb.set_load_balancer_policies_of_listener(
        LoadBalancerName="demo-classic", LoadBalancerPort=443, PolicyNames=["demo-tls12"]
    )
    cloudfront = client("cloudfront", region_name=HOME)
    for ref, viewer, certificate in (
        (
            "demo-legacy-cdn",
            "allow-all",
            {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"},
        ),
        (
            "demo-cdn",
            "redirect-to-https",
            {
                "ACMCertificateArn": good_cert,
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021",
            },
        ),
        (
            # A custom certificate whose policy still lets TLS 1.0 in: weak_tls_policy fails.
            "demo-old-clients-cdn",
            "redirect-to-https",
            {
                "ACMCertificateArn": good_cert,
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1_2016",
            },
        ),
    ):
        cloudfront.create_distribution(DistributionConfig=_distribution(ref, viewer, certificate))
    apigateway = client("apigateway", region_name=HOME)
    apigateway.create_domain_name(
        domainName="legacy-api.demo.example",
        regionalCertificateArn=good_cert,
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="TLS_1_0",
    )
    apigateway.create_domain_name(
        domainName="api.demo.example",
        regionalCertificateArn=good_cert,
        endpointConfiguration={"types": ["REGIONAL"]},
        securityPolicy="TLS_1_2",
    )


def _distribution(ref: str, viewer: str, certificate: dict[str, Any]) -> dict[str, Any]:
    return {
        "CallerReference": ref,
        "Comment": ref,
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "origin",
                    "DomainName": "origin.demo.example",
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin",
            "ViewerProtocolPolicy": viewer,
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        },
        "ViewerCertificate": certificate,
    }
