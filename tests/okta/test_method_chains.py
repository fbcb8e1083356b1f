"""Authentication method chains (AUTH_METHOD_CHAIN rules) and whether they are multi-factor.

Payloads follow Okta's management OpenAPI spec: the `amc-two-chain` rule example and the
AuthenticationMethodChainMethod / AuthenticationMethodChain / AuthenticationMethod schemas.
"""

from __future__ import annotations

from typing import Any

from checks.okta.policy import admin_console_without_mfa
from checks.okta.policy._factors import requires_two_factor_types
from providers.okta.collectors.policies import parse_access_rule
from scanner.inventory.okta import AppAccessPolicy
from tests.okta.builders import ctx, inventory, verdicts


def chain_rule(rule_id: str, *chains: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": rule_id,
        "status": "ACTIVE",
        "priority": 1,
        "type": "ACCESS_POLICY",
        "actions": {
            "appSignOn": {
                "access": "ALLOW",
                "verificationMethod": {"type": "AUTH_METHOD_CHAIN", "chains": list(chains)},
            }
        },
    }


def step(*methods: tuple[str, str], then: dict[str, Any] | None = None) -> dict[str, Any]:
    raw: dict[str, Any] = {"authenticationMethods": [{"key": k, "method": m} for k, m in methods]}
    if then is not None:
        raw["next"] = [then]
    return raw


PASSWORD = ("okta_password", "password")
SECURITY_QUESTION = ("security_question", "security_question")
SMS = ("phone_number", "sms")
TOTP = ("google_otp", "otp")
FEDERATED = ("external_idp", "idp")

# The spec's `amc-two-chain` example, as given: password then SMS, or FastPass with user
# verification.
SPEC_TWO_CHAINS = chain_rule(
    "amc-two-chain",
    step(PASSWORD, then=step(SMS)),
    {
        "authenticationMethods": [
            {"key": "okta_verify", "method": "signed_nonce", "userVerification": "REQUIRED"}
        ]
    },
)


def test_a_chain_is_parsed_into_its_steps() -> None:
    rule = parse_access_rule(SPEC_TWO_CHAINS)
    assert rule.verification_type == "AUTH_METHOD_CHAIN"
    assert [[[m.method for m in s.methods] for s in c.steps] for c in rule.chains] == [
        [["password"], ["sms"]],
        [["signed_nonce"]],
    ]
    assert rule.chains[1].steps[0].methods[0].user_verification


def test_multi_factor_only_if_every_chain_adds_a_second_factor_type() -> None:
    def mfa(*chains: dict[str, Any]) -> bool:
        return requires_two_factor_types(parse_access_rule(chain_rule("r", *chains)))

    assert requires_two_factor_types(parse_access_rule(SPEC_TWO_CHAINS))
    assert mfa(step(PASSWORD, then=step(TOTP)))
    assert not mfa(step(PASSWORD))  # one step, one factor
    assert not mfa(step(PASSWORD, then=step(SECURITY_QUESTION)))  # two knowledge factors
    assert not mfa(step(PASSWORD, then=step(SMS)), step(PASSWORD))  # a second, weaker chain
    assert not mfa(step(PASSWORD, then=step(SMS, SECURITY_QUESTION)))  # the user may pick SQ
    assert not mfa(step(PASSWORD, then=step(FEDERATED)))  # a factor type posture cannot tell
    assert not mfa(step(("okta_verify", "signed_nonce")))  # no user verification: possession
    assert not mfa()  # no chains at all


def test_admin_console_check_fails_a_one_step_password_chain() -> None:
    rules = (
        parse_access_rule(SPEC_TWO_CHAINS),
        parse_access_rule(chain_rule("password-only", step(PASSWORD))),
    )
    policy = AppAccessPolicy(
        app_id="a",
        app_name="saasure",
        app_label="Okta Admin Console",
        policy_id="rst1",
        policy_name="Admin",
        rules=rules,
    )
    results = list(
        admin_console_without_mfa.evaluate(inventory(app_access_policies=(policy,)), ctx())
    )
    assert verdicts(results) == {
        "fail": {"Admin / password-only"},
        "pass": {"Admin / amc-two-chain"},
    }
    failed = next(r for r in results if r.resource.name == "Admin / password-only")
    assert failed.evidence["chains"] == ["okta_password:password"]
