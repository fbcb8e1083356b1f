"""Lambda functions holding credentials in plain environment variables."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import JsonValue

from checks.aws.awslambda.credential_patterns import detect
from checks.aws.resources import lambda_function, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.lambda.plaintext_credentials_in_environment",
    title="Lambda function with plaintext credentials in environment variables",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Move the credential to Secrets Manager or SSM Parameter Store (SecureString), pass "
        "only its name or ARN in the environment, read it at runtime, and rotate the exposed "
        "credential."
    ),
    requires=(data.LAMBDA_FUNCTIONS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for fn in inventory.lambda_functions:
        unknown = fn.unknown_of(data.LAMBDA_ENVIRONMENT)
        if unknown:
            yield not_evaluated(lambda_function(fn), unknown, fn.region)
            continue
        found: list[JsonValue] = []
        for variable in fn.variables:
            why = detect(variable.name, variable.value.get_secret_value())
            if why is not None:
                found.append({"variable": variable.name, "detected_by": why})
        evidence: dict[str, JsonValue] = {
            "variables_checked": len(fn.variables),
            "credential_variables": found,
        }
        names = ", ".join(str(f["variable"]) for f in found if isinstance(f, dict))
        yield pass_or_fail(
            lambda_function(fn),
            not found,
            f"Lambda function {fn.name} has no credential-like environment variables.",
            f"Lambda function {fn.name} holds credentials in plain environment variables "
            f"({names}); move them to Secrets Manager and rotate them.",
            evidence=evidence,
            region=fn.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
