"""The one AWS client factory: standard credential chain, one retry policy, bounded pools.

With `retry_mode: standard` (the default) every client also gets posture's AIMD limit on
in-flight requests per service and region (`request_slots`); with `adaptive` botocore's own
token bucket limits instead.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import RefreshableCredentials

from providers.aws.request_slots import RequestSlots
from providers.aws.service_limits import request_ceiling
from scanner.collection import count_call, count_throttled
from scanner.config.aws import AwsConfig
from scanner.endpoints import validate_endpoint

DEFAULT_REGION = "us-east-1"
ENDPOINT_ENV_PREFIX = "AWS_ENDPOINT_URL"
"""AWS_ENDPOINT_URL and the per-service AWS_ENDPOINT_URL_<SERVICE> (botocore's names)."""


def check_endpoint_environment(environ: Mapping[str, str] | None = None) -> None:
    """Every endpoint the environment sets follows posture's endpoint rule (https, or plain
    http to loopback with POSTURE_ALLOW_INSECURE_ENDPOINTS=1): signed requests and session
    tokens never travel in clear text to another host."""
    env = os.environ if environ is None else environ
    for name in sorted(env):
        named = name == ENDPOINT_ENV_PREFIX or name.startswith(f"{ENDPOINT_ENV_PREFIX}_")
        if named and env[name]:
            validate_endpoint(env[name], name, env)


class CallCounter:
    """Counts API calls by service.operation (for the benchmark and `permissions`), and
    throttling responses by service."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.throttles: Counter[str] = Counter()

    def throttled(self, service: str) -> None:
        with self._lock:
            self.throttles[service] += 1
        count_throttled()

    def __call__(self, model: Any = None, **_: Any) -> None:
        if model is None:
            return
        name = f"{model.service_model.service_name}.{model.name}"
        with self._lock:
            self.calls[name] += 1
        count_call()


def _metadata(credentials: dict[str, Any]) -> dict[str, Any]:
    expiry = credentials["Expiration"]
    return {
        "access_key": credentials["AccessKeyId"],
        "secret_key": credentials["SecretAccessKey"],
        "token": credentials.get("SessionToken"),
        "expiry_time": expiry.isoformat() if isinstance(expiry, datetime) else str(expiry),
    }


def refreshing_session(
    credentials: dict[str, Any], refresh: Callable[[], dict[str, Any]], region: str | None
) -> boto3.Session:
    """A session on assumed-role credentials that botocore renews itself (15 minutes before
    they expire, or at once inside the last 10): one job can outlast the role's hour."""
    refreshable = RefreshableCredentials.create_from_metadata(
        metadata=_metadata(credentials),
        refresh_using=lambda: _metadata(refresh()),
        method="sts-assume-role",
    )
    core = botocore.session.get_session()
    core._credentials = refreshable  # the documented hook for pre-built credentials
    core.set_config_variable("sts_regional_endpoints", "regional")
    if region:
        core.set_config_variable("region", region)
    return boto3.Session(botocore_session=core)


class AwsClients:
    """Creates and caches clients. boto3 sessions are not thread-safe; clients are."""

    def __init__(
        self,
        config: AwsConfig,
        counter: CallCounter | None = None,
        credentials: dict[str, Any] | None = None,
        region: str | None = None,
        refresh: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        """`credentials` (an STS Credentials dict) replaces the chain, e.g. for a member account;
        with `refresh` (which assumes the role again) they are renewed before they expire."""
        core = botocore.session.Session()
        # Always the regional STS endpoint, whatever a profile or AWS_STS_REGIONAL_ENDPOINTS
        # says: tokens from the global endpoint are rejected in opt-in regions.
        core.set_config_variable("sts_regional_endpoints", "regional")
        if credentials is None:
            self._session = boto3.Session(profile_name=config.profile, botocore_session=core)
        elif refresh is not None and credentials.get("Expiration") is not None:
            self._session = refreshing_session(credentials, refresh, region)
        else:
            self._session = boto3.Session(
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials.get("SessionToken"),
                region_name=region,
                botocore_session=core,
            )
        self._config = Config(
            retries={"mode": config.retry_mode, "total_max_attempts": config.max_attempts},
            max_pool_connections=config.max_workers,
            connect_timeout=10,
            read_timeout=config.call_timeout_seconds,
            user_agent_extra="posture",
        )
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self.counter = counter or CallCounter()
        self._session.events.register("before-call", self.counter)
        self._session.available_profiles  # noqa: B018 (parses the config files now, not mid-scan)
        self.slots: RequestSlots | None = None
        if config.retry_mode == "standard":
            pool = config.max_workers
            self.slots = RequestSlots(
                lambda service: request_ceiling(service, pool), self.counter.throttled
            )

    @property
    def default_region(self) -> str:
        return self._session.region_name or DEFAULT_REGION

    def available_regions(self, service: str = "ec2") -> list[str]:
        regions: list[str] = []
        for partition in self._session.get_available_partitions():
            regions.extend(self._session.get_available_regions(service, partition))
        return regions

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.default_region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._session.client(  # type: ignore[call-overload]
                    service, region_name=key[1], config=self._config
                )
                # Also endpoints from the config file (endpoint_url, services sections).
                validate_endpoint(str(client.meta.endpoint_url), f"the AWS {service} endpoint")
                if self.slots is not None:
                    self.slots.attach(client, *key)
                self._clients[key] = client
            return client
