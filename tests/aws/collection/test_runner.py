"""The collection runner: errors are data, a hung call cannot hang the scan, bounded services."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from providers.aws.runner import AwsAccount, AwsCollection, aws_collection, run_collections
from scanner.models.enums import Outcome

ACCOUNT = AwsAccount("111122223333", "aws")


class FakeClients:
    default_region = "us-east-1"


def _collection(
    name: str, field: str, fetch: Any, regional: bool = False, service: str = "kms"
) -> AwsCollection:
    actions = (f"{service}:ListThings",)
    return aws_collection(name, field, service, actions, fetch, regional)


def test_denied_region_is_an_outcome_not_an_exception() -> None:
    def fetch(clients: Any, region: str, account: AwsAccount) -> tuple[str, ...]:
        if region == "eu-west-1":
            raise ClientError({"Error": {"Code": "AccessDeniedException"}}, "ListKeys")
        return (region,)

    with ThreadPoolExecutor(4) as pool:
        got = run_collections(
            [_collection("aws.kms.keys", "kms_keys", fetch, regional=True)],
            ["us-east-1", "eu-west-1"],
            FakeClients(),
            ACCOUNT,
            pool,
        )  # type: ignore[arg-type]
    assert got.fields() == {"kms_keys": ("us-east-1",)}
    denied = [o for o in got.outcomes if not o.ok]
    assert [(o.scope, o.outcome, o.missing) for o in denied] == [
        ("eu-west-1", Outcome.ACCESS_DENIED, "kms:ListKeys")
    ]


def test_a_hung_collection_becomes_an_error_at_the_deadline() -> None:
    release = threading.Event()

    def hung(clients: Any, region: str, account: AwsAccount) -> str:
        release.wait(30)
        return "late"

    def quick(clients: Any, region: str, account: AwsAccount) -> str:
        return "fast"

    pool = ThreadPoolExecutor(4)
    started = time.monotonic()
    got = run_collections(
        [
            _collection("aws.kms.slow", "kms_keys", hung),
            _collection("aws.ec2.fast", "vpcs", quick, service="ec2"),
        ],
        ["us-east-1"],
        FakeClients(),
        ACCOUNT,
        pool,
        deadline_seconds=0.5,  # type: ignore[arg-type]
    )
    elapsed = time.monotonic() - started
    release.set()
    pool.shutdown(wait=True)
    assert elapsed < 5
    assert got.fields() == {"vpcs": "fast"}
    slow = next(o for o in got.outcomes if o.collection == "aws.kms.slow")
    assert slow.outcome is Outcome.ERROR and "deadline" in slow.message


def test_concurrency_per_service_is_bounded() -> None:
    running = 0
    peak = 0
    lock = threading.Lock()

    def fetch(clients: Any, region: str, account: AwsAccount) -> tuple[str, ...]:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return ()

    regions = [f"r{i}" for i in range(12)]
    with ThreadPoolExecutor(16) as pool:
        run_collections(
            [_collection("aws.iam.things", "kms_keys", fetch, regional=True, service="iam")],
            regions,
            FakeClients(),
            ACCOUNT,
            pool,
        )  # type: ignore[arg-type]
    assert 1 < peak <= 4
