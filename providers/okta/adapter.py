"""The Okta provider adapter: one inventory per org, collected concurrently under asyncio.

The rest of posture is synchronous: each org's collection runs inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

from okta.client import Client as OktaClient

from providers.okta.api import OktaApi
from providers.okta.client import OrgTarget, build_client, orgs_to_scan, target
from providers.okta.collections import BY_NAME, COLLECTIONS, HOLDERS, OktaCollection, recorder
from providers.okta.collectors.users import fetch_factors, fetch_users_by_id
from providers.okta.errors import OktaAuthError
from providers.okta.permissions import needed
from scanner.collection import Collected, Deadline, Job, Recorder, run_jobs_async
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig
from scanner.errors import CredentialsError, UsageError
from scanner.inventory import okta as inv
from scanner.inventory.common import DirectoryUser
from scanner.models.inventory import Inventory
from scanner.progress import ProgressSink
from scanner.providers import CollectRequest

ClientFactory = Callable[[OrgTarget, OktaConfig, Mapping[str, str] | None], OktaClient]


class OktaProvider:
    def __init__(
        self,
        config: PostureConfig,
        client_factory: ClientFactory = build_client,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config.okta
        self.client_factory = client_factory
        self.environ = environ

    def collect(self, request: CollectRequest) -> list[Inventory]:
        targets = [target(org, self.environ) for org in orgs_to_scan(self.config, self.environ)]
        # Every org's credentials are checked before any org is scanned.
        clients = [self.client_factory(org, self.config, self.environ) for org in targets]
        inventories: list[Inventory] = []
        # One deadline for the whole scan: orgs scanned later get what the earlier ones left.
        deadline = Deadline(self.config.scan_timeout_seconds)
        for org, client in zip(targets, clients, strict=True):
            inventories.append(
                asyncio.run(
                    collect_org(
                        client,
                        org,
                        self.config,
                        request.collections,
                        request.progress,
                        deadline,
                    )
                )
            )
        return inventories


class UsersCompletion:
    """Reads, one by one, the users that roles or tokens name but the listing did not return.

    Deprovisioned users, or users created while the scan ran, can hold roles; no holder is
    judged without their account. Their factors are read too if they can sign in. Until this
    has finished the users (and their factors) are not complete: at the deadline they are
    forgotten and become errors like anything else unfinished.
    """

    def __init__(self, api: OktaApi, recorder: Recorder) -> None:
        self.api = api
        self.recorder = recorder
        self.finished = False

    async def run(self) -> None:
        await self._complete(self.recorder.result)
        self.finished = True

    async def _complete(self, got: Collected) -> None:
        if not got.ok(inv.USERS):
            return
        listed: tuple[DirectoryUser, ...] = got.value(inv.USERS)
        known = {u.uid for u in listed}
        missing = sorted(_holder_ids(got) - known)
        if not missing:
            return

        async def with_holders() -> tuple[DirectoryUser, ...]:
            extra = await fetch_users_by_id(self.api, missing)
            return tuple(sorted((*listed, *extra), key=lambda u: u.login))

        self.recorder.forget(inv.USERS)
        users = BY_NAME[inv.USERS]
        completed = await self.recorder.attempt_async(
            users, None, with_holders, f"{inv.USERS} (role and token holders)"
        )
        if completed is None or not got.ok(inv.FACTORS):
            return
        extra = tuple(u for u in completed if u.uid not in known)
        listed_factors: tuple[inv.Factor, ...] = got.value(inv.FACTORS)

        async def with_holders_factors() -> tuple[inv.Factor, ...]:
            return (*listed_factors, *await fetch_factors(self.api, extra))

        self.recorder.forget(inv.FACTORS)
        factors = BY_NAME[inv.FACTORS]
        await self.recorder.attempt_async(
            factors, None, with_holders_factors, f"{inv.FACTORS} (role and token holders)"
        )

    def past_deadline(self) -> None:
        if not self.finished:
            self.recorder.forget(inv.USERS)
            self.recorder.forget(inv.FACTORS)


def _holder_ids(got: Collected) -> set[str]:
    ids = {r.user_id for r in got.value(inv.ADMIN_ROLES, default=())}
    ids.update(m for g in got.value(inv.GROUP_ROLES, default=()) for m in g.member_ids)
    ids.update(t.user_id for t in got.value(inv.API_TOKENS, default=()) if t.user_id)
    return ids


async def collect_org(
    client: OktaClient,
    org: OrgTarget,
    settings: OktaConfig,
    wanted: frozenset[str],
    progress: ProgressSink | None = None,
    deadline: Deadline | None = None,
) -> inv.OktaInventory:
    """Collects one org. At the deadline (default: the configured scan_timeout_seconds from
    now) unfinished collections are cancelled and recorded as errors.
    """
    if deadline is None:
        deadline = Deadline(settings.scan_timeout_seconds)
    async with client:
        api = OktaApi(
            client.get_request_executor(),  # type: ignore[no-untyped-call]
            org.url,
            settings.max_requests_in_flight,
            settings.rate_limit_reserve,
            settings.max_attempts,
        )
        run = recorder(progress)
        selected = [BY_NAME[name] for name in needed(wanted)]
        jobs = [_job(c, api) for c in selected]
        # The users (and their factors) are complete once the role and token holders they
        # lack are read: that chain waits only for the collections naming those holders.
        chain = {inv.USERS, inv.FACTORS, *HOLDERS}
        completion = UsersCompletion(api, run)

        async def users_chain() -> None:
            await run_jobs_async([j for j in jobs if j.collection.name in chain], run)
            await completion.run()

        others = [j for j in jobs if j.collection.name not in chain]
        try:
            try:
                async with asyncio.timeout(deadline.remaining()):
                    async with asyncio.TaskGroup() as group:
                        group.create_task(users_chain())
                        group.create_task(run_jobs_async(others, run))
            except TimeoutError:
                completion.past_deadline()
                run.past_deadline(deadline, ((c, None) for c in selected))
            if api.requests and not api.answered:
                reason = api.unreachable_reason or "no answer"
                raise UsageError(f"cannot reach Okta org {org.url} ({reason})")
        except* OktaAuthError as grouped:
            first: BaseException = grouped.exceptions[0]
            while isinstance(first, BaseExceptionGroup):
                first = first.exceptions[0]
            detail = f" ({first})" if str(first) else ""
            raise CredentialsError(
                f"Okta org {org.host} rejected the credentials{detail}"
            ) from None
    order = {c.name: i for i, c in enumerate(COLLECTIONS)}
    outcomes = sorted(run.result.outcomes, key=lambda o: order.get(o.collection, len(order)))
    return inv.OktaInventory(
        account=org.host,
        account_name=org.org.name,
        org_url=org.url,
        outcomes=tuple(outcomes),
        **run.result.fields(),
    )


def _job(collection: OktaCollection, api: OktaApi) -> Job:
    return Job(collection, None, lambda got: collection.fetch(api, got))
