"""The least-privilege IAM policy a scan needs, derived from the collections' declared calls."""

from __future__ import annotations

import json
from collections.abc import Iterable

from providers.aws.adapter import ALL_COLLECTIONS, REGIONS_ACTIONS

IDENTITY_ACTIONS = ("sts:GetCallerIdentity",)


def required_actions(collections: Iterable[str]) -> list[str]:
    wanted = set(collections)
    actions = set(IDENTITY_ACTIONS) | set(REGIONS_ACTIONS)
    for collection in ALL_COLLECTIONS:
        if collection.name in wanted:
            actions.update(collection.actions)
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
