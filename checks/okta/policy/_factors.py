"""How many factor types an authentication policy rule requires.

Okta counts factor types, not prompts: two knowledge methods (password, then a security
question) are still one factor. An AUTH_METHOD_CHAIN rule lets the user pick any of its chains
and, within a step, any of its methods, so it requires two factor types only if every way
through it does.
"""

from __future__ import annotations

from itertools import product

from scanner.inventory.okta import AccessRule, AuthMethodChain, ChainMethod

KNOWLEDGE = "knowledge"
POSSESSION = "possession"
USER_VERIFICATION = "user verification"

_FACTOR_OF_METHOD = {
    "password": KNOWLEDGE,
    "security_question": KNOWLEDGE,
    "sms": POSSESSION,
    "voice": POSSESSION,
    "email": POSSESSION,
    "push": POSSESSION,
    "signed_nonce": POSSESSION,
    "totp": POSSESSION,
    "otp": POSSESSION,
    "webauthn": POSSESSION,
    "cert": POSSESSION,
    "duo": POSSESSION,
}
"""Methods whose factor type is known; any other (e.g. `idp`) is counted as no factor."""


def factor_types(method: ChainMethod) -> frozenset[str]:
    found = {_FACTOR_OF_METHOD[method.method]} if method.method in _FACTOR_OF_METHOD else set()
    # userVerification REQUIRED: a biometric or PIN on the device, a factor beyond possession.
    if method.user_verification and POSSESSION in found:
        found.add(USER_VERIFICATION)
    return frozenset(found)


def weakest_path(chain: AuthMethodChain) -> frozenset[str]:
    """The fewest factor types a user can get through this chain with."""
    if not chain.steps or any(not step.methods for step in chain.steps):
        return frozenset()
    paths = product(*(step.methods for step in chain.steps))
    return min(
        (frozenset().union(*(factor_types(m) for m in path)) for path in paths),
        key=len,
    )


def requires_two_factor_types(rule: AccessRule) -> bool:
    """True only where Okta itself would ask for two factor types, whatever the user picks."""
    if rule.verification_type == "AUTH_METHOD_CHAIN":
        return bool(rule.chains) and all(len(weakest_path(c)) >= 2 for c in rule.chains)
    return rule.factor_mode == "2FA"
