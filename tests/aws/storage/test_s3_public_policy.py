"""S3's meaning of a public bucket policy, one restriction kind at a time.

Each policy is a statement shaped as in the Amazon S3 User Guide, "Blocking public access to
your Amazon S3 storage" > "The meaning of 'public'" > "Bucket policies" (its examples grant
`s3:PutObject` on `*` to `"Principal": "*"` and vary the Condition), and the IAM User Guide's
condition-operator and policy-variable references for the operators and values.
"""

from __future__ import annotations

from typing import Any

import pytest

from checks.aws.cloudtrail import trail_bucket_public
from checks.aws.s3 import bucket_public
from checks.aws.s3.public_policy import public_statement, public_statements
from scanner.check import CheckContext
from scanner.inventory.aws import monitoring as mon
from scanner.inventory.aws import storage as data
from tests.aws.regional_builders import inventory as logging_inventory
from tests.aws.regional_builders import verdicts as logging_verdicts

from .builders import bucket, inventory, results, unknown, verdicts


def _grant(condition: dict[str, Any] | None = None, principal: Any = "*") -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Principal": principal,
        "Resource": "*",
        "Action": "s3:PutObject",
        "Effect": "Allow",
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


# The guide's own examples.
def test_guide_examples() -> None:
    assert public_statement(_grant())
    assert public_statement(_grant(principal={"Federated": "graph.facebook.com"}))
    assert public_statement(_grant({"StringLike": {"aws:SourceVpc": "vpc-*"}}))
    assert not public_statement(_grant({"StringEquals": {"aws:SourceVpc": "vpc-91237329"}}))


NON_PUBLIC = {
    "source-ip-cidr": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    "source-ip-private-range": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    "source-ip-ipv6-/32": {"IpAddress": {"aws:SourceIp": "2001:db8::/32"}},
    "source-arn": {
        "ArnEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}
    },
    "source-vpc": {"StringEquals": {"aws:SourceVpc": "vpc-91237329"}},
    "source-vpce": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
    "source-account": {"StringEquals": {"aws:SourceAccount": "111122223333"}},
    "source-owner": {"StringEquals": {"aws:SourceOwner": "111122223333"}},
    "userid": {"StringEquals": {"aws:userid": "AIDAEXAMPLEUSERID"}},
    "access-point-arn-any-name": {
        "StringLike": {"s3:DataAccessPointArn": "arn:aws:s3:us-west-2:123456789012:accesspoint/*"}
    },
    "access-point-account": {"StringEquals": {"s3:DataAccessPointAccount": "123456789012"}},
    "principal-org-id": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    "principal-account": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}},
    "principal-arn": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/r"}},
    "any-value-of-org-id": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}},
    "key-case-insensitive": {"StringEquals": {"AWS:SOURCEVPC": "vpc-91237329"}},
    "restricting-and-other-key": {
        "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"},
        "Bool": {"aws:SecureTransport": "true"},
    },
}


@pytest.mark.parametrize("name", sorted(NON_PUBLIC))
def test_fixed_values_of_a_listed_key_make_a_grant_non_public(name: str) -> None:
    assert not public_statement(_grant(NON_PUBLIC[name]))


PUBLIC = {
    "wildcard-org-id": {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
    "wildcard-vpc": {"StringLike": {"aws:SourceVpc": "vpc-*"}},
    "wildcard-source-arn": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}},
    "question-mark-vpce": {"StringLike": {"aws:SourceVpce": "vpce-?"}},
    "one-wildcard-among-values": {"StringEquals": {"aws:SourceAccount": ["111122223333", "*"]}},
    "policy-variable": {"StringEquals": {"aws:PrincipalAccount": "${aws:PrincipalAccount}"}},
    "string-not-equals": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    "string-not-like": {"StringNotLike": {"aws:SourceVpc": "vpc-91237329"}},
    "arn-not-like": {"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::trusted"}},
    "arn-not-equals": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:root"}},
    "not-ip-address": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    "if-exists": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
    "null-false": {"Null": {"aws:PrincipalOrgID": "false"}},
    "for-all-values": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}},
    "username-not-tied-to-an-account": {"StringEquals": {"aws:username": "alice"}},
    "unlisted-key": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
    "source-ip-everywhere": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
    "source-ip-broader-than-/8": {"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}},
    "source-ip-ipv6-broader-than-/32": {"IpAddress": {"aws:SourceIp": "2001:db8::/31"}},
    "source-ip-not-a-cidr": {"IpAddress": {"aws:SourceIp": "anywhere"}},
    "userid-role-pattern": {"StringLike": {"aws:userid": "AROAEXAMPLEROLEID:*"}},
    "access-point-any-account": {
        "StringLike": {"s3:DataAccessPointArn": "arn:aws:s3:us-west-2:*:accesspoint/*"}
    },
    "secure-transport-only": {"Bool": {"aws:SecureTransport": "true"}},
}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_conditions_that_restrict_nothing_leave_a_grant_public(name: str) -> None:
    assert public_statement(_grant(PUBLIC[name]))


@pytest.mark.parametrize(
    ("principal", "public"),
    [
        ({"AWS": "arn:aws:iam::111122223333:root"}, False),
        ({"AWS": ["111122223333", "arn:aws:iam::444455556666:role/r"]}, False),
        ({"Service": "cloudtrail.amazonaws.com"}, False),
        (
            {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
            False,
        ),
        ({"AWS": "*"}, True),
        ({"AWS": ["arn:aws:iam::111122223333:root", "*"]}, True),
        ({"AWS": "arn:aws:iam::*:root"}, True),
        ({"AWS": "arn:aws:iam::${aws:PrincipalAccount}:root"}, True),
        ({"Federated": "cognito-identity.amazonaws.com"}, True),
    ],
)
def test_fixed_principals(principal: Any, public: bool) -> None:
    assert public_statement(_grant(principal=principal)) is public


def test_not_principal_and_deny() -> None:
    allow_all_but = _grant(principal=None)
    del allow_all_but["Principal"]
    allow_all_but["NotPrincipal"] = {"AWS": "arn:aws:iam::111122223333:root"}
    assert public_statement(allow_all_but)
    assert not public_statement({**_grant(), "Effect": "Deny"})


def test_one_public_statement_makes_the_policy_public() -> None:
    # The guide's mixed example: CloudTrail, a second account, and everyone.
    policy: data.PolicyDocument = {
        "Version": "2012-10-17",
        "Statement": [
            {**_grant(principal={"Service": "cloudtrail.amazonaws.com"}), "Sid": "Trail"},
            {**_grant(principal={"AWS": "arn:aws:iam::444455556666:root"}), "Sid": "Partner"},
            {**_grant(), "Sid": "Everyone"},
        ],
    }
    assert public_statements(policy) == ["Everyone"]


def _policy(condition: dict[str, Any]) -> data.PolicyDocument:
    return {"Version": "2012-10-17", "Statement": [{**_grant(condition), "Sid": "Grant"}]}


def test_bucket_public_fails_wildcard_and_negated_conditions(ctx: CheckContext) -> None:
    inv = inventory(
        s3_account=data.S3AccountSettings(public_access_block=None),
        s3_buckets=(
            bucket("org-wildcard", policy=_policy(PUBLIC["wildcard-org-id"])),
            bucket("not-equals", policy=_policy(PUBLIC["string-not-equals"])),
            bucket("username", policy=_policy(PUBLIC["username-not-tied-to-an-account"])),
            bucket("vpce", policy=_policy(NON_PUBLIC["source-vpce"])),
        ),
    )
    assert verdicts(bucket_public.CHECK, inv, ctx) == {
        "org-wildcard": "fail",
        "not-equals": "fail",
        "username": "fail",
        "vpce": "pass",
    }


def test_policy_status_is_a_second_opinion_never_a_pass(ctx: CheckContext) -> None:
    vpce = _policy(NON_PUBLIC["source-vpce"])
    inv = inventory(
        s3_account=data.S3AccountSettings(public_access_block=None),
        s3_buckets=(
            bucket("s3-says-public", policy=vpce, policy_status_public=True),
            bucket(
                "s3-says-private",
                policy=_policy(PUBLIC["wildcard-vpc"]),
                policy_status_public=False,
            ),
            bucket("both-private", policy=vpce, policy_status_public=False),
            bucket(
                "status-unread",
                policy=vpce,
                unknown=(unknown(data.S3_POLICY_STATUS, "s3:GetBucketPolicyStatus"),),
            ),
        ),
    )
    got = results(bucket_public.CHECK, inv, ctx)
    assert {n: r.status.value for n, r in got.items()} == {
        "s3-says-public": "fail",
        "s3-says-private": "fail",
        "both-private": "pass",
        "status-unread": "pass",
    }
    assert got["s3-says-public"].evidence["public_policy_statements"] == [
        "GetBucketPolicyStatus: IsPublic"
    ]
    assert got["s3-says-private"].evidence["policy_status_is_public"] is False
    assert "s3:GetBucketPolicyStatus" in str(
        got["status-unread"].evidence["policy_status_is_public"]
    )


def test_trail_bucket_reads_the_policy_not_only_the_status() -> None:
    def trail_bucket(name: str, **kw: Any) -> mon.TrailBucket:
        return mon.TrailBucket.model_validate({"name": name, "trails": ("t",), **kw})

    inv = logging_inventory(
        trail_buckets=(
            # moto's and a stale status both say not public; the policy says otherwise.
            trail_bucket("org-wildcard", policy=_policy(PUBLIC["wildcard-org-id"])),
            trail_bucket("org-fixed", policy=_policy(NON_PUBLIC["principal-org-id"])),
            trail_bucket(
                "org-wildcard-restricted",
                policy=_policy(PUBLIC["wildcard-org-id"]),
                restrict_public_buckets=True,
            ),
        )
    )
    got = logging_verdicts(trail_bucket_public.CHECK, inv)
    assert got["fail"] == {"org-wildcard"}
    assert got["pass"] == {"org-fixed", "org-wildcard-restricted"}
