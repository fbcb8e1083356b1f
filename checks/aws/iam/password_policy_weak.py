"""The account password policy is missing or weaker than configured."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import account_setting
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import PASSWORD_POLICY
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.password_policy_weak",
    title="Account password policy missing or weak",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Set an account password policy: minimum length 14, prevent reuse of the last 24 "
        "passwords (or your configured values)."
    ),
    requires=(PASSWORD_POLICY,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    want = ctx.config.aws.password_policy
    resource = account_setting(inventory, "account-password-policy")
    policy = inventory.password_policy
    if policy is None:
        yield fail(
            resource, "The account has no IAM password policy.", evidence={"policy_present": False}
        )
        return
    gaps: list[str] = []
    if (policy.minimum_length or 0) < want.min_length:
        gaps.append(f"minimum length {policy.minimum_length} < {want.min_length}")
    if (policy.reuse_prevention or 0) < want.reuse_prevention:
        gaps.append(f"reuse prevention {policy.reuse_prevention or 0} < {want.reuse_prevention}")
    if want.max_age_days is not None and (
        policy.max_age_days is None or policy.max_age_days > want.max_age_days
    ):
        gaps.append(f"maximum age {policy.max_age_days} > {want.max_age_days} days")
    for flag in ("require_symbols", "require_numbers", "require_uppercase", "require_lowercase"):
        if getattr(want, flag) and not getattr(policy, flag):
            gaps.append(f"{flag.replace('_', ' ')} is off")
    evidence = {
        "policy_present": True,
        "minimum_length": policy.minimum_length,
        "reuse_prevention": policy.reuse_prevention,
        "max_age_days": policy.max_age_days,
        "gaps": gaps,
    }
    yield pass_or_fail(
        resource,
        not gaps,
        "The password policy meets the configured minimums.",
        "The password policy is weak: " + "; ".join(gaps) + ".",
        evidence=evidence,
    )


CHECK = Check(META, AwsInventory, evaluate)
