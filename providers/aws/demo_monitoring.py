"""Demo seed for logging, monitoring, network and TLS: each problem beside a clean twin.

Runs inside moto (the demo and the tests); never against a real account.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOME = "us-east-1"
OTHER = "eu-west-1"
TRAIL_GROUP = "/demo/cloudtrail"
ALARM_NAMESPACE = "CISBenchmark"

ROOT_FILTER = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
    '&& $.eventType != "AwsServiceEvent" }'
)
UNAUTHORIZED_FILTER = (
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
)
CONSOLE_NO_MFA_FILTER = (
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") '
    '&& ($.userIdentity.userName = "nobody") }'
)


def _client(service: str, region_name: str) -> Any:
    """Untyped on purpose: the seed passes plain dicts the stubs' TypedDicts would refuse."""
    return boto3.client(service, region_name=region_name)  # type: ignore[call-overload]


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
    arn: str = _client("acm", region_name=region).import_certificate(
        Certificate=cert, PrivateKey=key
    )["CertificateArn"]
    return arn


def _alarm(region: str, name: str, metric: str, actions: list[str]) -> None:
    _client("cloudwatch", region_name=region).put_metric_alarm(
        AlarmName=name,
        MetricName=metric,
        Namespace=ALARM_NAMESPACE,
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=actions,
    )


def _filter(name: str, pattern: str) -> None:
    _client("logs", region_name=HOME).put_metric_filter(
        logGroupName=TRAIL_GROUP,
        filterName=name,
        filterPattern=pattern,
        metricTransformations=[
            {"metricName": name, "metricNamespace": ALARM_NAMESPACE, "metricValue": "1"}
        ],
    )


def seed_trails(account: str) -> None:
    """A clean multi-region trail (with alarms) and a careless single-region one."""
    s3 = _client("s3", region_name=HOME)
    s3.create_bucket(Bucket="demo-audit-logs")
    s3.put_public_access_block(
        Bucket="demo-audit-logs",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3eu = _client("s3", region_name=OTHER)
    s3eu.create_bucket(
        Bucket="demo-legacy-trail", CreateBucketConfiguration={"LocationConstraint": OTHER}
    )
    s3eu.put_bucket_acl(Bucket="demo-legacy-trail", ACL="public-read")
    logs = _client("logs", region_name=HOME)
    key = _client("kms", region_name=HOME).create_key(Description="demo trail key")
    key_arn = key["KeyMetadata"]["Arn"]
    logs.create_log_group(logGroupName=TRAIL_GROUP, kmsKeyId=key_arn)
    logs.put_retention_policy(logGroupName=TRAIL_GROUP, retentionInDays=400)
    logs.create_log_group(logGroupName="/demo/app")  # kept forever, not encrypted
    logs.create_log_group(logGroupName="/demo/short")
    logs.put_retention_policy(logGroupName="/demo/short", retentionInDays=30)
    cloudtrail = _client("cloudtrail", region_name=HOME)
    cloudtrail.create_trail(
        Name="org-audit",
        S3BucketName="demo-audit-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=key_arn,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{HOME}:{account}:log-group:{TRAIL_GROUP}:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/demo-cloudtrail-to-logs",
    )
    cloudtrail.start_logging(Name="org-audit")
    legacy = _client("cloudtrail", region_name=OTHER)
    legacy.create_trail(Name="legacy-eu", S3BucketName="demo-legacy-trail")
    legacy.start_logging(Name="legacy-eu")
    topic = _client("sns", region_name=HOME).create_topic(Name="security-alerts")
    _filter("RootUsage", ROOT_FILTER)
    _alarm(HOME, "root-usage", "RootUsage", [topic["TopicArn"]])
    _filter("UnauthorizedCalls", UNAUTHORIZED_FILTER)
    _alarm(HOME, "unauthorized-calls", "UnauthorizedCalls", [])  # an alarm nobody hears
    _filter("ConsoleNoMfa", CONSOLE_NO_MFA_FILTER)  # too narrow to count
    _alarm(HOME, "console-no-mfa", "ConsoleNoMfa", [topic["TopicArn"]])


def seed_detection() -> None:
    """GuardDuty, Security Hub and Config on in the home region only."""
    _client("guardduty", region_name=HOME).create_detector(Enable=True)
    _client("guardduty", region_name=OTHER).create_detector(Enable=False)
    _client("securityhub", region_name=HOME).enable_security_hub()
    config = _client("config", region_name=HOME)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": "arn:aws:iam::123456789012:role/demo-config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": "demo-audit-logs"}
    )
    config.start_configuration_recorder(ConfigurationRecorderName="default")


def _rule(port: int, cidr: str) -> dict[str, Any]:
    ranges = (
        {"Ipv6Ranges": [{"CidrIpv6": cidr}]} if ":" in cidr else {"IpRanges": [{"CidrIp": cidr}]}
    )
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **ranges}


def seed_network() -> dict[str, str]:
    """A VPC with flow logs and a locked default group; exposed and clean security groups."""
    logs = _client("logs", region_name=HOME)
    key = _client("kms", region_name=HOME).create_key(Description="demo flow log key")
    logs.create_log_group(logGroupName="/demo/flow-logs", kmsKeyId=key["KeyMetadata"]["Arn"])
    logs.put_retention_policy(logGroupName="/demo/flow-logs", retentionInDays=731)
    ec2 = _client("ec2", region_name=HOME)
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
    elbv2 = _client("elbv2", region_name=HOME)
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
    elb = _client("elb", region_name=HOME)
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
    cloudfront = _client("cloudfront", region_name=HOME)
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
    ):
        cloudfront.create_distribution(DistributionConfig=_distribution(ref, viewer, certificate))
    apigateway = _client("apigateway", region_name=HOME)
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


def seed_monitoring(account: str = "123456789012") -> None:
    seed_trails(account)
    seed_detection()
    seed_endpoints(seed_network())
