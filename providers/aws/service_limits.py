"""How much of each AWS service a scan uses at once."""

from __future__ import annotations

# Concurrent collections per IAM prefix: below the services' documented request rates, so a
# scan is not throttled into slowness by its own parallelism. Unlisted services get DEFAULT.
SERVICE_CONCURRENCY = {"iam": 4, "sts": 2, "organizations": 2, "s3": 8, "ec2": 8, "logs": 4}
DEFAULT_SERVICE_CONCURRENCY = 4

REQUESTS_PER_COLLECTION = 4
"""A collection's own per-resource fan-out (collectors.detail.DETAIL_WORKERS)."""


def request_ceiling(service: str, pool: int) -> int:
    """The most HTTP requests in flight to `service` in one region: what its collections can
    issue at once, and never more than a client's connection pool (`pool`)."""
    collections = SERVICE_CONCURRENCY.get(service, DEFAULT_SERVICE_CONCURRENCY)
    return max(1, min(pool, collections * REQUESTS_PER_COLLECTION))
