"""What IAM members and roles are: people, groups, service accounts, Google's own agents."""

from __future__ import annotations

# Service agents and workforce pool members are recognised next to the inventory model (the
# identity projection needs them too).
from scanner.inventory.gcp import WorkforceMember as WorkforceMember
from scanner.inventory.gcp import is_google_managed as is_google_managed
from scanner.inventory.gcp import workforce_member as workforce_member

PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})
BASIC_ROLES = frozenset({"roles/owner", "roles/editor"})
PERSONAL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
HUMAN_KINDS = frozenset({"user", "group", "domain"})


def kind(member: str) -> str:
    """user, group, serviceAccount, domain, allUsers, deleted, principal, ..."""
    return member.split(":", 1)[0]


def identity(member: str) -> str:
    return member.split(":", 1)[1] if ":" in member else member


def is_human(member: str) -> bool:
    """People or sets of people: user, group, domain, and workforce pool principals (people
    federated from an external identity provider)."""
    return kind(member) in HUMAN_KINDS or workforce_member(member) is not None


def is_person(member: str) -> bool:
    """One person's account: a user, or a single workforce pool subject."""
    if kind(member) == "user":
        return True
    found = workforce_member(member)
    return found is not None and found.subject is not None


def is_customer_service_account(member: str) -> bool:
    return kind(member) == "serviceAccount" and not is_google_managed(identity(member))


def is_personal_account(member: str) -> bool:
    """A consumer Google account; a workforce subject is the organization's IdP's, never one."""
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
