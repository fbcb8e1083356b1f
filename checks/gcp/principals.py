"""What IAM members and roles are: people, groups, service accounts, Google's own agents."""

from __future__ import annotations

import re

PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})
BASIC_ROLES = frozenset({"roles/owner", "roles/editor"})
PERSONAL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
HUMAN_KINDS = frozenset({"user", "group", "domain"})

# Service agents: accounts Google creates and manages in the customer's project.
_GOOGLE_MANAGED = (
    re.compile(r"^\d+@cloudservices\.gserviceaccount\.com$"),
    re.compile(r"^service-(org-|folder-)?\d+@[a-z0-9-]+\.iam\.gserviceaccount\.com$"),
    re.compile(r"^[a-z0-9-]+@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$"),
)


def kind(member: str) -> str:
    """user, group, serviceAccount, domain, allUsers, deleted, principal, ..."""
    return member.split(":", 1)[0]


def identity(member: str) -> str:
    return member.split(":", 1)[1] if ":" in member else member


def is_human(member: str) -> bool:
    return kind(member) in HUMAN_KINDS


def is_google_managed(email: str) -> bool:
    return any(p.match(email) for p in _GOOGLE_MANAGED)


def is_customer_service_account(member: str) -> bool:
    return kind(member) == "serviceAccount" and not is_google_managed(identity(member))


def is_personal_account(member: str) -> bool:
    if kind(member) != "user":
        return False
    return identity(member).rsplit("@", 1)[-1].lower() in PERSONAL_DOMAINS


def is_admin_role(role: str) -> bool:
    """Basic roles, and predefined roles named as administration (roles/storage.admin,
    roles/iam.serviceAccountAdmin, roles/compute.instanceAdmin.v1, ...)."""
    if role in BASIC_ROLES:
        return True
    if not role.startswith("roles/"):
        return False
    return any(part.lower().endswith("admin") for part in role.removeprefix("roles/").split("."))
