from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from checks.aws.awslambda import plaintext_credentials_in_environment as check
from checks.aws.awslambda.credential_patterns import detect
from scanner.check import CheckContext
from scanner.engine import to_finding
from scanner.inventory.aws import storage as data

from .builders import inventory, results, unknown

# Fabricated values that have the shape of credentials; none is real.
FAKE_AWS_ID = "AKIA" + "Z7FAKEFAKEFAKE12"
FAKE_AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "FAKEKEY123"
FAKE_GITHUB = "ghp_" + "0123456789abcdefghijABCDEFGHIJ012345"
FAKE_PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEfake\n-----END RSA PRIVATE KEY-----"


@pytest.mark.parametrize(
    ("name", "value", "flagged"),
    [
        ("DB_PASSWORD", "hunter2-fabricated", True),
        ("api-key", "abc123fabricated", True),
        ("CLIENT_SECRET", "s3cr3t-fabricated", True),
        ("SOME_VALUE", FAKE_AWS_ID, True),
        ("SOME_VALUE", FAKE_AWS_SECRET, True),
        ("CONFIG", FAKE_GITHUB, True),
        ("CERT", FAKE_PEM, True),
        ("DATABASE_URL", "postgres://app:fabricated@db.internal:5432/app", True),
        ("CONN", "Server=db;User Id=app;Password=fabricated;", True),
        ("DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:db", False),
        ("SECRET_NAME", "prod/db", False),
        ("PASSWORD_PARAM", "/prod/db/password", False),
        ("TOKEN_TTL", "3600", False),
        ("DB_PASSWORD", "", False),
        ("DB_PASSWORD", "{{resolve:secretsmanager:db}}", False),
        ("REQUIRE_TOKEN", "true", False),
        ("LOG_LEVEL", "info", False),
        ("TABLE_NAME", "orders", False),
        ("COMMIT", "9fceb02d0ae598e95dc970b74767f19372d61af8", False),
        ("DATABASE_URL", "postgres://db.internal:5432/app", False),
    ],
)
def test_detection(name: str, value: str, flagged: bool) -> None:
    assert (detect(name, value) is not None) is flagged


def _function(name: str, variables: dict[str, str], **kw: object) -> data.LambdaFunction:
    return data.LambdaFunction(
        name=name,
        arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
        region="us-east-1",
        variables=tuple(
            data.LambdaVariable(name=k, value=SecretStr(v)) for k, v in variables.items()
        ),
        **kw,  # type: ignore[arg-type]
    )


def test_exact_verdicts_and_no_value_in_the_finding(ctx: CheckContext) -> None:
    inv = inventory(
        lambda_functions=(
            _function(
                "leaky",
                {"DB_PASSWORD": "hunter2-fabricated", "X": FAKE_GITHUB, "LOG_LEVEL": "debug"},
            ),
            _function("clean", {"DB_SECRET_ARN": "arn:aws:secretsmanager:x", "STAGE": "prod"}),
            _function("empty", {}),
            _function("kms-locked", {}, unknown=(unknown("environment", "kms:Decrypt"),)),
        )
    )
    got = results(check.CHECK, inv, ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "leaky": "fail",
        "clean": "pass",
        "empty": "pass",
        "kms-locked": "error",
    }
    leaky = got["leaky"]
    assert [v["variable"] for v in leaky.evidence["credential_variables"]] == ["DB_PASSWORD", "X"]
    finding = to_finding(check.CHECK, inv, leaky, ctx)
    text = finding.model_dump_json() + repr(inv) + inv.model_dump_json()
    assert "hunter2" not in text
    assert FAKE_GITHUB not in text
    assert "DB_PASSWORD" in json.loads(finding.model_dump_json())["message"]
