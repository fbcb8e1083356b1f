"""Custom roles judged as the predefined roles that carry the same permissions.

A custom role is a list of permissions; the checks name predefined roles. A custom role that
holds a permission which makes a predefined role dangerous counts as that role (actAs is
Service Account User, getAccessToken is Token Creator, ...), and any `*.setIamPolicy` makes it
administrative. A custom role that was not read (its collection failed, or an organization
role in a `--project` scan) is unknown: the checks say error for who holds it, never pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.inventory.gcp import CUSTOM_ROLES, ORG_CUSTOM_ROLES, GcpIamInventory, is_custom_role

READS = (CUSTOM_ROLES, ORG_CUSTOM_ROLES)
"""The checks' `optional` collections: a failed one makes only the custom roles unknown."""

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"
# permission -> the predefined role it characterises (each is among that role's permissions).
EQUIVALENT_ROLE: dict[str, str] = {
    "iam.serviceAccounts.actAs": "roles/iam.serviceAccountUser",
    "iam.serviceAccounts.getAccessToken": TOKEN_CREATOR,
    "iam.serviceAccounts.signBlob": TOKEN_CREATOR,
    "iam.serviceAccounts.signJwt": TOKEN_CREATOR,
    "iam.serviceAccounts.implicitDelegation": TOKEN_CREATOR,
    "iam.serviceAccounts.getOpenIdToken": "roles/iam.serviceAccountOpenIdTokenCreator",
    "iam.serviceAccounts.setIamPolicy": "roles/iam.serviceAccountAdmin",
    "cloudkms.cryptoKeys.setIamPolicy": "roles/cloudkms.admin",
    "cloudkms.cryptoKeyVersions.useToEncrypt": "roles/cloudkms.cryptoKeyEncrypter",
    "cloudkms.cryptoKeyVersions.useToDecrypt": "roles/cloudkms.cryptoKeyDecrypter",
}


@dataclass(frozen=True)
class HeldRoles:
    """A member's roles with its custom roles resolved."""

    roles: frozenset[str]
    """Predefined and basic roles held, and those custom roles count as."""
    via: dict[str, str] = field(default_factory=dict)
    """An equivalent predefined role -> the custom role it comes from (not held by name)."""
    admin_custom: tuple[str, ...] = ()
    """Custom roles that can change an IAM policy (`*.setIamPolicy`)."""
    unknown: tuple[str, ...] = ()
    """Custom roles held whose permissions were not read."""

    def named(self, role: str) -> str:
        """How a message names a role: a custom role shows what it counts as."""
        custom = self.via.get(role)
        return f"{custom} (as {role})" if custom else role

    def unknown_message(self, who: str) -> str:
        return (
            f"Not evaluated: {who} holds custom role {', '.join(self.unknown)}, whose "
            "permissions could not be read."
        )


def resolve(inventory: GcpIamInventory, held: set[str]) -> HeldRoles:
    defined = {r.name: r for r in (*inventory.custom_roles, *inventory.org_custom_roles)}
    roles = {r for r in held if not is_custom_role(r)}
    via: dict[str, str] = {}
    admin: list[str] = []
    unknown: list[str] = []
    for name in sorted(r for r in held if is_custom_role(r)):
        role = defined.get(name)
        if role is None:
            unknown.append(name)
            continue
        if role.grants_nothing:
            continue
        for permission in role.included_permissions:
            equivalent = EQUIVALENT_ROLE.get(permission)
            if equivalent and equivalent not in roles:
                roles.add(equivalent)
                via[equivalent] = name
        if any(p.endswith(".setIamPolicy") for p in role.included_permissions):
            admin.append(name)
    return HeldRoles(frozenset(roles), via, tuple(admin), tuple(unknown))
