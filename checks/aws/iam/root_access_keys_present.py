"""The root user has access keys."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import root_account
from checks.aws.root_credentials import centrally_managed_evidence, centrally_managed_reason
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import (
    ACCOUNT_SUMMARY,
    CREDENTIAL_REPORT,
    ORGANIZATIONS_FEATURES,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.root_access_keys_present",
    title="Root user has access keys",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Delete the root user's access keys; use IAM roles for programmatic access.",
    requires=(ACCOUNT_SUMMARY,),
    optional=(ORGANIZATIONS_FEATURES, CREDENTIAL_REPORT),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.root is None:
        return
    resource = root_account(inventory)
    evidence = {
        "account_access_keys_present": inventory.root.access_keys_present,
        **centrally_managed_evidence(inventory),
    }
    reason = centrally_managed_reason(inventory)
    if reason and not inventory.root.access_keys_present:
        evidence["why_root_has_no_credentials"] = reason
    yield pass_or_fail(
        resource,
        not inventory.root.access_keys_present,
        "The root user has no access keys.",
        "The root user has access keys; delete them.",
        evidence=evidence,
    )


CHECK = Check(META, AwsInventory, evaluate)
