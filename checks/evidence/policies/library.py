"""Recognising a policy of the SOC 2 library whatever its file is called."""

from __future__ import annotations

import re

from scanner.inventory.evidence import PolicyDocument

SYNONYMS: dict[str, tuple[str, ...]] = {
    "information-security": ("infosec", "security", "information-security-program"),
    "acceptable-use": ("aup",),
    "access-management": ("access-control", "identity-and-access-management", "iam"),
    "incident-response": ("incident-management", "security-incident-response"),
    "risk-management": ("risk-assessment",),
    "change-management": ("change-control",),
    "data-retention": ("retention", "record-retention", "data-retention-and-disposal"),
    "vendor-management": (
        "third-party-management",
        "vendor-risk-management",
        "supplier-management",
        "third-party-risk-management",
    ),
    "business-continuity": (
        "disaster-recovery",
        "bcp",
        "business-continuity-and-disaster-recovery",
    ),
    "encryption": ("cryptography", "encryption-and-key-management", "key-management"),
}


def policy_key(text: str) -> str:
    """'Information Security Policy', 'information_security.md' -> 'information-security'."""
    key = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    key = re.sub(r"(^policy-|-policy$)", "", key)
    return key


def _keys(policy: PolicyDocument) -> set[str]:
    return {policy_key(policy.id), policy_key(policy.title)}


def fulfils(policy: PolicyDocument, required: str) -> bool:
    """The policy is the required one: by id or title, a known synonym, or a longer name that
    starts with it ('data-retention-and-disposal' is the data-retention policy)."""
    wanted = policy_key(required)
    names = {wanted, *SYNONYMS.get(wanted, ())}
    return any(k in names or k.startswith(f"{wanted}-") for k in _keys(policy))
