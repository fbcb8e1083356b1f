"""The demo account's two regions, and the untyped client the seeds use."""

from __future__ import annotations

from typing import Any

import boto3

HOME = "us-east-1"
OTHER = "eu-west-1"
DEMO_REGIONS = (HOME, OTHER)


def client(service: str, region_name: str) -> Any:
    """Untyped on purpose: the seed passes plain dicts the stubs' TypedDicts would refuse."""
    return boto3.client(service, region_name=region_name)  # type: ignore[call-overload]
