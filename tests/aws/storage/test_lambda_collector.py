from __future__ import annotations

import io
import json
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.stub import Stubber

from fixtures import load
from providers.aws.collectors import awslambda
from providers.aws.runner import run_collections
from providers.aws.session import AwsClients
from scanner.models.enums import Outcome

from .support import ACCOUNT, inject

FABRICATED = "fabricated-value-not-a-secret"


def _seed(count: int) -> None:
    role = boto3.client("iam", region_name="us-east-1").create_role(
        RoleName="fn", AssumeRolePolicyDocument=json.dumps({"Statement": []})
    )["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return None\n")
    client = boto3.client("lambda", region_name="us-east-1")
    for i in range(count):
        client.create_function(
            FunctionName=f"fn-{i}",
            Runtime="python3.12",
            Role=role,
            Handler="handler.handle",
            Code={"ZipFile": buffer.getvalue()},
            Environment={"Variables": {"DB_PASSWORD": FABRICATED, "STAGE": "prod"}}
            if i == 0
            else {},
        )


def test_reads_variables_and_keeps_values_masked(clients: AwsClients) -> None:
    _seed(3)
    fault = inject(
        clients.client("lambda", "us-east-1"), "ListFunctions", 429, "TooManyRequestsException"
    )
    functions = {f.name: f for f in awslambda.fetch_functions(clients, "us-east-1", ACCOUNT)}
    assert fault.injected == 1 and fault.attempts == 2
    assert set(functions) == {"fn-0", "fn-1", "fn-2"}
    leaky = functions["fn-0"]
    assert [v.name for v in leaky.variables] == ["DB_PASSWORD", "STAGE"]
    assert leaky.variables[0].value.get_secret_value() == FABRICATED
    assert FABRICATED not in repr(functions) + leaky.model_dump_json() + str(leaky.model_dump())
    assert functions["fn-1"].variables == ()


def test_denied_listing_fails_the_collection(clients: AwsClients) -> None:
    _seed(1)
    inject(clients.client("lambda", "us-east-1"), "ListFunctions", 403, "AccessDeniedException")
    with ThreadPoolExecutor(1) as pool:
        collected = run_collections(awslambda.COLLECTIONS, ("us-east-1",), clients, ACCOUNT, pool)
    assert collected.values == {}
    assert [(o.outcome, o.missing) for o in collected.outcomes] == [
        (Outcome.ACCESS_DENIED, "lambda:ListFunctions")
    ]


def test_every_page_is_read_and_undecryptable_environment_is_unknown(
    offline_clients: AwsClients,
) -> None:
    """moto answers ListFunctions in one page; these are recorded pages with NextMarker."""
    recorded: dict[str, Any] = load("aws/lambda_list_functions_pages.json")
    client = offline_clients.client("lambda", "us-east-1")
    with Stubber(client) as stub:
        for page in recorded["pages"]:
            stub.add_response("list_functions", page)
        functions = awslambda.fetch_functions(offline_clients, "us-east-1", ACCOUNT)
        stub.assert_no_pending_responses()
    names = [f["FunctionName"] for p in recorded["pages"] for f in p["Functions"]]
    assert [f.name for f in functions] == names
    by_name = {f.name: f for f in functions}
    locked = by_name["payments-webhook"]
    assert [(u.aspect, u.missing, u.reason) for u in locked.unknown] == [
        ("environment", "kms:Decrypt", "AccessDeniedException")
    ]
    assert [v.name for v in by_name["report-builder"].variables] == ["BUCKET", "GITHUB_TOKEN"]
