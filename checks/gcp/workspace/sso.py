"""Which Workspace users sign in through a third-party identity provider (inbound SSO).

An org unit's assignment holds for the units below it unless one of them has its own; the
root "/" is not listed by the Directory API, so its id is the parent of the top-level units.
Group assignments win over org unit ones, but group membership is not read: where one could
change a user's answer, the answer is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.inventory.gcp import GcpWorkspaceInventory, SsoAssignment, WorkspaceUser


@dataclass(frozen=True)
class SignIn:
    """How a user signs in, as far as the assignments tell."""

    assignment: SsoAssignment | None
    """The assignment of the user's org unit (or nearest above it), if any."""
    undecided_by: tuple[str, ...] = ()
    """Assignments (groups, or org units not listed) that could change the answer."""

    @property
    def through_idp(self) -> bool:
        return self.assignment is not None and self.assignment.signs_in_elsewhere


def _paths(inventory: GcpWorkspaceInventory) -> dict[str, str]:
    """org unit id -> path, the root's included when a top-level unit names it."""
    paths = {u.id: u.path for u in inventory.org_units}
    for unit in inventory.org_units:
        if unit.parent_id and unit.path.count("/") == 1:
            paths.setdefault(unit.parent_id, "/")
    if not inventory.org_units:
        # No unit below the root: every org unit assignment is the root's.
        for a in inventory.sso_assignments:
            if a.target_org_unit:
                paths.setdefault(a.target_org_unit.removeprefix("orgUnits/"), "/")
    return paths


def _covers(path: str, user_path: str) -> bool:
    return path == "/" or user_path == path or user_path.startswith(path.rstrip("/") + "/")


def sign_in(inventory: GcpWorkspaceInventory, user: WorkspaceUser) -> SignIn:
    paths = _paths(inventory)
    placed: list[tuple[str, SsoAssignment]] = []
    unplaced: list[SsoAssignment] = []
    for a in inventory.sso_assignments:
        if a.target_group:
            unplaced.append(a)
            continue
        path = paths.get((a.target_org_unit or "").removeprefix("orgUnits/"))
        if path is None:
            unplaced.append(a)
        elif _covers(path, user.org_unit_path):
            placed.append((path, a))
    nearest = max(placed, key=lambda p: len(p[0]))[1] if placed else None
    through = nearest is not None and nearest.signs_in_elsewhere
    undecided = tuple(
        a.target_group or a.target_org_unit or a.name
        for a in unplaced
        if a.signs_in_elsewhere != through
    )
    return SignIn(nearest, undecided)
