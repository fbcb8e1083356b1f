"""ACM: certificates with their expiry and what uses them."""

from __future__ import annotations

from typing import Any

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import network as net


def _all_key_types(client: Any) -> list[str]:
    # ListCertificates returns only RSA_1024 and RSA_2048 certificates unless asked for more.
    shape = client.meta.service_model.shape_for("KeyAlgorithm")
    return list(shape.enum)


def fetch_certificates(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[net.AcmCertificate, ...]:
    client = clients.client("acm", region)
    summaries = paginate(
        client,
        "list_certificates",
        "CertificateSummaryList",
        Includes={"keyTypes": _all_key_types(client)},
    )
    certificates = []
    for summary in summaries:
        # Current endpoints put expiry and status in the summary; describe only when they don't.
        cert = summary
        if summary.get("NotAfter") is None or not summary.get("Status"):
            cert = client.describe_certificate(CertificateArn=summary["CertificateArn"]).get(
                "Certificate", {}
            )
        in_use_by = tuple(cert.get("InUseBy", []))
        certificates.append(
            net.AcmCertificate(
                arn=summary["CertificateArn"],
                domain=cert.get("DomainName") or summary.get("DomainName", ""),
                region=region,
                status=cert.get("Status", ""),
                type=cert.get("Type"),
                not_after=cert.get("NotAfter"),
                in_use=cert.get("InUse", bool(in_use_by) if "InUseBy" in cert else None),
                in_use_by=in_use_by,
            )
        )
    return tuple(certificates)


COLLECTIONS = (
    aws_collection(
        net.ACM_CERTIFICATES,
        "acm_certificates",
        "acm",
        ("acm:ListCertificates", "acm:DescribeCertificate"),
        fetch_certificates,
        regional=True,
    ),
)
