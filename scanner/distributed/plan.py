"""What a distributed run scans: the plan (stored in the run's row) and its scopes.

A plan is data, not credentials: the providers, the check ids and the config (which names
where secrets live, never the secrets). Every worker and shard rebuilds the same ScanPlan from
it and reads credentials from its own environment.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from typing import Any

from checks.registry import all_checks
from scanner.check import AnyCheck
from scanner.config import PostureConfig
from scanner.distributed.runs import Scope
from scanner.errors import UsageError
from scanner.inventory.run import RUN_PROVIDER
from scanner.plugin import PlannedScope
from scanner.providers import JobIO, preflight, spec
from scanner.scan import ScanPlan


def plan_data(plan: ScanPlan) -> dict[str, Any]:
    for name in plan.providers:
        preflight(name, plan.config)
    return {
        "providers": list(plan.providers),
        "check_ids": [c.id for c in plan.checks],
        "config": plan.config.model_dump(mode="json"),
    }


def plan_from(data: dict[str, Any]) -> ScanPlan:
    wanted = set(data["check_ids"])
    return ScanPlan(
        providers=tuple(data["providers"]),
        checks=tuple(c for c in all_checks() if c.id in wanted),
        config=PostureConfig.model_validate(data["config"]),
    )


def _module(provider: str) -> Any:
    """The provider's scope module (its plugin's `scopes`); None for a one-job provider."""
    name = spec(provider).scopes
    return importlib.import_module(name) if name else None


def list_scopes(plan: ScanPlan) -> list[Scope]:
    """Every (provider, scope) of the run, in the order the in-process scan reports them."""
    scopes: list[Scope] = []
    for provider in plan.providers:
        module = _module(provider)
        listed = module.list_scopes(plan.config) if module else [PlannedScope("*")]
        scopes.extend(Scope(provider, *PlannedScope(*item)) for item in listed)
    return scopes


def job_plan(plan: ScanPlan, scope: Scope, job: JobIO | None = None) -> ScanPlan:
    """The plan of one job: its provider's checks and the cross-provider ones (collection reads
    what both need, as in-process; the job evaluates only its own, see `own_checks`), the
    config narrowed to its scope."""
    module = _module(scope.provider)
    narrow: Callable[[PostureConfig, str], PostureConfig] | None = module.narrow if module else None
    config = narrow(plan.config, scope.scope) if narrow else plan.config
    checks = tuple(c for c in plan.checks if c.meta.provider in (scope.provider, RUN_PROVIDER))
    return ScanPlan(providers=(scope.provider,), checks=checks, config=config, job=job)


def own_checks(plan: ScanPlan, provider: str) -> tuple[AnyCheck, ...]:
    return tuple(c for c in plan.checks if c.meta.provider == provider)


def job_scopes(plan: ScanPlan) -> list[Scope]:
    """The run's jobs: every scope but those of providers that read the run (the TLS probe of
    what the clouds found), which finalize collects once every cloud job is in."""
    return [s for s in list_scopes(plan) if not spec(s.provider).reads_run]


def shard_of(scope: Scope, shards: int) -> int:
    """1..N, stable: the same scope lands in the same shard on every machine and every night."""
    digest = hashlib.sha256(scope.key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def parse_shard(value: str) -> tuple[int, int]:
    k, sep, n = value.partition("/")
    if not sep or not k.isdigit() or not n.isdigit() or not 1 <= int(k) <= int(n):
        raise UsageError(f"--shard {value!r}: expected K/N with 1 <= K <= N (e.g. 2/3)")
    return int(k), int(n)
