"""The GitHub provider adapter: one inventory per organisation.

The collections of an org run on threads (`run_jobs`); the per-repository ones fan out over one
bounded pool, and every request goes through the org's `GithubApi` (its request slots and rate
limit waits).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from providers.github.api import FanOut, GithubApi
from providers.github.client import api_root, build_api, orgs_to_scan
from providers.github.collections import BY_NAME, COLLECTIONS, GithubCollection, recorder
from providers.github.collectors._scan import DENIED_PREFIX, OrgScan
from providers.github.errors import GithubAuthError
from providers.github.permissions import NEEDS, needed
from scanner.collection import Collected, Deadline, Job, run_jobs
from scanner.config import PostureConfig
from scanner.config.github import GithubConfig
from scanner.errors import CredentialsError, UsageError
from scanner.inventory import github as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.progress import ProgressSink
from scanner.providers import CollectRequest

ApiFactory = Callable[[GithubConfig, Mapping[str, str] | None], GithubApi]


def _default_factory(config: GithubConfig, environ: Mapping[str, str] | None) -> GithubApi:
    return build_api(config, environ)


class GithubProvider:
    def __init__(
        self,
        config: PostureConfig,
        api_factory: ApiFactory = _default_factory,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config.github
        self.api_factory = api_factory
        self.environ = environ

    def collect(self, request: CollectRequest) -> list[Inventory]:
        orgs = orgs_to_scan(self.config)
        api_root(self.config, self.environ)  # a bad URL is one line before any credential
        api = self.api_factory(self.config, self.environ)
        deadline = Deadline(self.config.scan_timeout_seconds)
        try:
            return [
                collect_org(
                    api,
                    org,
                    self.config,
                    request.collections,
                    request.now,
                    request.progress,
                    deadline,
                )
                for org in orgs
            ]
        finally:
            api.close()


def collect_org(
    api: GithubApi,
    org: str,
    settings: GithubConfig,
    wanted: frozenset[str],
    now: datetime,
    progress: ProgressSink | None = None,
    deadline: Deadline | None = None,
) -> inv.GithubInventory:
    deadline = deadline or Deadline(settings.scan_timeout_seconds)
    selected = [BY_NAME[name] for name in needed(wanted | {inv.ORG})]
    # More repository workers than request slots: a worker waiting out a rate limit holds
    # no slot, and the others keep the slots busy.
    fan = FanOut(4 * settings.max_requests_in_flight)
    scan = OrgScan(api=api, org=org, settings=settings, now=now, fan=fan)
    run = recorder(progress)
    pool = ThreadPoolExecutor(max_workers=len(selected), thread_name_prefix="github")

    def submit(job: Job, work: Callable[[], Any]) -> Future[Any]:
        return pool.submit(work)

    try:
        run_jobs([_job(c, scan) for c in selected], submit, run, deadline)
    except GithubAuthError as exc:
        detail = f": {exc.github_message}" if exc.github_message else ""
        raise CredentialsError(
            f"GitHub ({api.api_url}) rejected the credentials for org {org} (HTTP 401{detail})"
        ) from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        fan.close()
    if api.requests and not api.answered:
        reason = api.unreachable_reason or "no answer"
        raise UsageError(f"cannot reach the GitHub API at {api.api_url} ({reason})")
    order = {c.name: i for i, c in enumerate(COLLECTIONS)}
    outcomes = sorted(run.result.outcomes, key=lambda o: order.get(o.collection, len(order)))
    fields = run.result.fields()
    outcomes.extend(repository_refusals(run.result))
    found: inv.Org | None = fields.get("org")
    return inv.GithubInventory(
        account=found.login if found else org,
        account_name=found.name if found else None,
        api_url=api.api_url,
        org_url=found.url if found else f"{api.api_url}/orgs/{org}",
        outcomes=tuple(outcomes),
        **fields,
    )


def repository_refusals(got: Collected) -> list[CollectionOutcome]:
    """One outcome per repository whose part of a collection GitHub refused or failed.

    The checks already report those repositories as errors; these outcomes put them in the scan
    header and make the scan partial. They are named `<collection>.repository` so that the
    verdicts on the other repositories stand (an outcome of the collection itself would void
    them all).
    """
    found: dict[tuple[str, str | None, str], CollectionOutcome] = {}
    for (name, _scope), value in got.values.items():
        for item in value if isinstance(value, tuple) else ():
            reasons = getattr(item, "unreadable", None)
            for reason in (reasons,) if isinstance(reasons, str) else reasons or ():
                repo = getattr(item, "repo", None) if name != inv.OUTSIDE_COLLABORATORS else None
                denied = DENIED_PREFIX in reason
                found.setdefault(
                    (name, repo, reason),
                    CollectionOutcome(
                        collection=f"{name}.repository",
                        scope=repo,
                        outcome=Outcome.ACCESS_DENIED if denied else Outcome.ERROR,
                        missing=NEEDS[name].missing if denied else None,
                        message=reason,
                    ),
                )
    return list(found.values())


def _job(collection: GithubCollection, scan: OrgScan) -> Job:
    return Job(collection, None, lambda got: collection.fetch(scan, got))
