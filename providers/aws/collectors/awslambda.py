"""Lambda: every function's environment variables, values held masked (SecretStr).

The values are read only so the plaintext-credential check can test them; they never
appear in a repr, a dump, a log line or a finding.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from providers.aws.paginate import paginate
from providers.aws.runner import AwsAccount, aws_collection
from providers.aws.session import AwsClients
from scanner.inventory.aws import storage as data


def _function(raw: dict[str, Any], region: str) -> data.LambdaFunction:
    environment = raw.get("Environment") or {}
    unknown: tuple[data.Unknown, ...] = ()
    if environment.get("Error"):
        code = str(environment["Error"].get("ErrorCode") or "error")
        unknown = (
            data.Unknown(aspect=data.LAMBDA_ENVIRONMENT, missing="kms:Decrypt", reason=code),
        )
    variables = environment.get("Variables") or {}
    return data.LambdaFunction(
        name=str(raw["FunctionName"]),
        arn=str(raw["FunctionArn"]),
        region=region,
        runtime=raw.get("Runtime"),
        variables=tuple(
            data.LambdaVariable(name=str(k), value=SecretStr(str(v)))
            for k, v in sorted(variables.items())
        ),
        unknown=unknown,
    )


def fetch_functions(
    clients: AwsClients, region: str, account: AwsAccount
) -> tuple[data.LambdaFunction, ...]:
    listed = paginate(clients.client("lambda", region), "list_functions", "Functions")
    return tuple(_function(f, region) for f in listed)


COLLECTIONS = (
    aws_collection(
        data.LAMBDA_FUNCTIONS,
        "lambda_functions",
        "lambda",
        ("lambda:ListFunctions",),
        fetch_functions,
        regional=True,
    ),
)
