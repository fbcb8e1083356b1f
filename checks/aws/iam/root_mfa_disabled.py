"""The root user has no MFA device."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import root_account
from checks.aws.root_credentials import centrally_managed_evidence, no_root_credentials_reason
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import (
    ACCOUNT_SUMMARY,
    CREDENTIAL_REPORT,
    ORGANIZATIONS_FEATURES,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.root_mfa_disabled",
    title="Root user without MFA",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Enable a hardware or virtual MFA device on the root user.",
    requires=(ACCOUNT_SUMMARY,),
    # Centralised root access (a member root without credentials) or GovCloud: no finding.
    optional=(ORGANIZATIONS_FEATURES, CREDENTIAL_REPORT),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.root is None:
        return
    resource = root_account(inventory)
    evidence = {
        "account_mfa_enabled": inventory.root.mfa_enabled,
        "partition": inventory.partition,
        **centrally_managed_evidence(inventory),
    }
    reason = None if inventory.root.mfa_enabled else no_root_credentials_reason(inventory)
    if reason:
        yield passed(
            resource,
            f"The root user has no MFA device and needs none: {reason}.",
            evidence={**evidence, "why_not_a_finding": reason},
        )
        return
    yield pass_or_fail(
        resource,
        inventory.root.mfa_enabled,
        "The root user has MFA enabled.",
        "The root user has no MFA device; enable one.",
        evidence=evidence,
    )


CHECK = Check(META, AwsInventory, evaluate)
