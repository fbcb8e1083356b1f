"""Shared reading of the trail inventory: one copy of each trail, where it lives."""

from __future__ import annotations

from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS, Trail
from scanner.models.findings import Resource


def unique_trails(inventory: AwsInventory) -> tuple[Trail, ...]:
    """Each trail once, preferring the copy listed in its home region."""
    chosen: dict[str, Trail] = {}
    for trail in inventory.trails:
        current = chosen.get(trail.arn)
        if current is None or (trail.region == trail.home_region != current.region):
            chosen[trail.arn] = trail
    return tuple(sorted(chosen.values(), key=lambda t: t.arn))


def owned_trails(inventory: AwsInventory) -> tuple[Trail, ...]:
    """The trails this account owns and can fix (not another account's organization trail)."""
    return tuple(t for t in unique_trails(inventory) if t.owner_account == inventory.account)


def any_region_collected(inventory: AwsInventory, collection: str = CLOUDTRAIL_TRAILS) -> bool:
    return any(inventory.collected(collection, scope) for scope in inventory.scopes)


def trail_resource(trail: Trail) -> Resource:
    return Resource(uid=trail.arn, type="AWS::CloudTrail::Trail", name=trail.name)
