"""The least-privilege IAM policy a scan needs, derived from the collections' declared calls."""

from __future__ import annotations

import json
from collections.abc import Iterable

from providers.aws.adapter import REGIONS_ACTIONS
from providers.aws.collections import COLLECTIONS
from providers.aws.organization import ORGANIZATION_ACTIONS

IDENTITY_ACTIONS = ("sts:GetCallerIdentity",)


def required_actions(collections: Iterable[str], organization: bool = False) -> list[str]:
    """What the scanning principal needs in each account (and, for an org scan, to fan out)."""
    wanted = set(collections)
    actions = set(IDENTITY_ACTIONS) | set(REGIONS_ACTIONS)
    if organization:
        actions.update(ORGANIZATION_ACTIONS)
    for collection in COLLECTIONS:
        if collection.name in wanted:
            actions.update(collection.needs.actions)
    return sorted(actions)


def render(collections: Iterable[str]) -> str:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PostureReadOnly",
                "Effect": "Allow",
                "Action": required_actions(collections),
                "Resource": "*",
            }
        ],
    }
    return json.dumps(policy, indent=2) + "\n"
