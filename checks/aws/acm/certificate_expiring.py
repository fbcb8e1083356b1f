"""An ACM certificate that has expired or expires within the warning window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.network import ACM_CERTIFICATES
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.acm.certificate_expiring",
    title="ACM certificate expired or expiring soon",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation="Renew or re-import the certificate (or fix DNS validation so ACM can renew "
    "it), then delete certificates nothing uses.",
    requires=(ACM_CERTIFICATES,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    window = ctx.config.aws.thresholds.cert_expiry_warning_days
    for cert in inventory.acm_certificates:
        if cert.not_after is None:
            continue  # not issued yet (pending validation, failed): nothing expires
        resource = Resource(
            uid=cert.arn, type="AWS::CertificateManager::Certificate", name=cert.domain
        )
        days_left = (cert.not_after - ctx.now) // timedelta(days=1)
        evidence = {
            "domain": cert.domain,
            "status": cert.status,
            "type": cert.type,
            "not_after": cert.not_after.isoformat(),
            "days_left": days_left,
            "warning_days": window,
            "in_use": cert.in_use,
            "in_use_by": list(cert.in_use_by),
        }
        if cert.not_after <= ctx.now:
            yield fail(
                resource,
                f"Certificate for {cert.domain} expired on {cert.not_after.date()}; renew or "
                "replace it.",
                evidence=evidence,
                region=cert.region,
            )
        elif cert.not_after - ctx.now <= timedelta(days=window):
            yield fail(
                resource,
                f"Certificate for {cert.domain} expires in {days_left} day(s) "
                f"({cert.not_after.date()}); renew it now.",
                evidence=evidence,
                region=cert.region,
            )
        else:
            yield passed(
                resource,
                f"Certificate for {cert.domain} is valid for {days_left} more days.",
                evidence=evidence,
                region=cert.region,
            )


CHECK = Check(META, AwsInventory, evaluate)
