"""The Okta provider adapter: one inventory per org, collected concurrently under asyncio.

The rest of posture is synchronous: each org's collection runs inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from okta.client import Client as OktaClient

from providers.okta import catalogue
from providers.okta.api import OktaApi
from providers.okta.catalogue import Collection
from providers.okta.client import OrgTarget, build_client, orgs_to_scan, target
from providers.okta.collectors.users import fetch_factors, fetch_users_by_id
from providers.okta.errors import OktaAuthError, outcome_for
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig
from scanner.errors import CredentialsError, UsageError
from scanner.inventory import okta as inv
from scanner.inventory.common import DirectoryUser
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.progress import NullProgress, ProgressSink
from scanner.providers import CollectRequest

log = logging.getLogger(__name__)

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
        ends_at = time.monotonic() + self.config.scan_timeout_seconds
        for org, client in zip(targets, clients, strict=True):
            inventories.append(
                asyncio.run(
                    collect_org(
                        client,
                        org,
                        self.config,
                        request.collections,
                        request.progress,
                        ends_at=ends_at,
                    )
                )
            )
        return inventories


class _Run:
    """Runs collections for one org and records how each ended."""

    def __init__(self, api: OktaApi, progress: ProgressSink) -> None:
        self.api = api
        self.progress = progress
        self.fields: dict[str, Any] = {}
        self.outcomes: list[CollectionOutcome] = []
        self.users_completed = False

    async def run(
        self, name: str, field: str, needs: str, feature: str, fetch: Callable[[], Awaitable[Any]]
    ) -> bool:
        self.progress.started(name)
        try:
            self.fields[field] = await fetch()
            self.outcomes.append(CollectionOutcome(collection=name))
            return True
        except OktaAuthError:
            raise
        except Exception as exc:
            outcome = outcome_for(name, exc, needs, feature)
            log.warning("%s", outcome.describe())
            self.outcomes.append(outcome)
            return False
        finally:
            self.progress.finished(name)

    async def collection(self, c: Collection) -> bool:
        return await self.run(c.name, c.field, c.needs, c.feature, lambda: c.fetch(self.api))

    async def users_then_factors(self, want_factors: bool) -> None:
        users_ok = await self.collection(catalogue.USERS)
        if not want_factors:
            return
        if not users_ok:
            self.outcomes.append(
                CollectionOutcome(
                    collection=inv.FACTORS,
                    outcome=Outcome.ERROR,
                    missing=catalogue.USERS.needs,
                    message="factors are read per user and the users could not be listed",
                )
            )
            return
        users = self.fields["directory_users"]
        await self.run(
            inv.FACTORS,
            "factors",
            catalogue.FACTORS_NEEDS,
            "the Factors API",
            lambda: fetch_factors(self.api, users),
        )

    def _referenced_user_ids(self) -> set[str]:
        ids = {r.user_id for r in self.fields.get("admin_roles", ())}
        ids.update(m for g in self.fields.get("group_roles", ()) for m in g.member_ids)
        ids.update(t.user_id for t in self.fields.get("api_tokens", ()) if t.user_id)
        return ids

    def _replace_with_failure(self, name: str, exc: Exception, needs: str, field: str) -> None:
        failed = outcome_for(name, exc, needs, "the Users API")
        log.warning("%s", failed.describe())
        self.outcomes = [o for o in self.outcomes if o.collection != name] + [failed]
        self.fields.pop(field, None)

    async def complete_users(self) -> None:
        """Reads, one by one, the users that roles or tokens name but the listing did not return.

        Deprovisioned users, or users created while the scan ran, can hold roles; no holder is
        judged without their account. Their factors are read too if they can sign in.
        """
        users: tuple[DirectoryUser, ...] | None = self.fields.get("directory_users")
        if users is None:
            self.users_completed = True
            return
        missing = sorted(self._referenced_user_ids() - {u.uid for u in users})
        if not missing:
            self.users_completed = True
            return
        await self._complete_users(users, missing)
        self.users_completed = True

    async def _complete_users(self, users: tuple[DirectoryUser, ...], missing: list[str]) -> None:
        try:
            extra = await fetch_users_by_id(self.api, missing)
        except OktaAuthError:
            raise
        except Exception as exc:
            self._replace_with_failure(inv.USERS, exc, catalogue.USERS.needs, "directory_users")
            return
        self.fields["directory_users"] = tuple(sorted((*users, *extra), key=lambda u: u.login))
        if "factors" not in self.fields:
            return
        try:
            self.fields["factors"] = (
                *self.fields["factors"],
                *await fetch_factors(self.api, extra),
            )
        except OktaAuthError:
            raise
        except Exception as exc:
            self._replace_with_failure(inv.FACTORS, exc, catalogue.FACTORS_NEEDS, "factors")

    def past_deadline(self, wanted: frozenset[str], seconds: float) -> None:
        """Every wanted collection without an outcome yet becomes an error; so do the users
        (and their factors) when the role holders missing from the listing were not yet read.
        """
        message = f"not finished within the scan deadline of {seconds:g} s"
        if not self.users_completed:
            for name, field in ((inv.USERS, "directory_users"), (inv.FACTORS, "factors")):
                self.outcomes = [o for o in self.outcomes if not (o.collection == name and o.ok)]
                self.fields.pop(field, None)
        done = {o.collection for o in self.outcomes}
        for name in _COLLECTION_ORDER:
            if name in wanted and name not in done:
                outcome = CollectionOutcome(collection=name, outcome=Outcome.ERROR, message=message)
                log.warning("%s", outcome.describe())
                self.outcomes.append(outcome)


async def collect_org(
    client: OktaClient,
    org: OrgTarget,
    settings: OktaConfig,
    wanted: frozenset[str],
    progress: ProgressSink | None = None,
    ends_at: float | None = None,
) -> inv.OktaInventory:
    """Collects one org. At `ends_at` (time.monotonic()) unfinished collections are
    cancelled and recorded as errors; default: the configured scan_timeout_seconds from now.
    """
    if ends_at is None:
        ends_at = time.monotonic() + settings.scan_timeout_seconds
    async with client:
        api = OktaApi(
            client.get_request_executor(),  # type: ignore[no-untyped-call]
            org.url,
            settings.max_requests_in_flight,
            settings.rate_limit_reserve,
            settings.max_attempts,
        )
        run = _Run(api, progress or NullProgress())
        # The users (and their factors) are complete once the role and token holders they
        # lack are read: that chain waits only for the collections naming those holders.
        feeders: list[Awaitable[Any]] = []
        others: list[Awaitable[Any]] = []
        for c in catalogue.INDEPENDENT:
            if c.name in wanted:
                (feeders if c.field in _NAMES_USERS else others).append(run.collection(c))
        if inv.USERS in wanted or inv.FACTORS in wanted:
            feeders.append(run.users_then_factors(inv.FACTORS in wanted))

        async def users_chain() -> None:
            async with asyncio.TaskGroup() as group:
                for job in feeders:
                    group.create_task(_await(job))
            await run.complete_users()

        try:
            try:
                async with asyncio.timeout(max(0.0, ends_at - time.monotonic())):
                    async with asyncio.TaskGroup() as group:
                        group.create_task(users_chain())
                        for job in others:
                            group.create_task(_await(job))
            except TimeoutError:
                run.past_deadline(wanted, settings.scan_timeout_seconds)
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
    order = {name: i for i, name in enumerate(_COLLECTION_ORDER)}
    outcomes = sorted(run.outcomes, key=lambda o: order.get(o.collection, len(order)))
    return inv.OktaInventory(
        account=org.host,
        account_name=org.org.name,
        org_url=org.url,
        outcomes=tuple(outcomes),
        **run.fields,
    )


async def _await(job: Awaitable[Any]) -> Any:
    return await job


_NAMES_USERS = frozenset({"admin_roles", "group_roles", "api_tokens"})
"""Inventory fields whose items name users (see _Run._referenced_user_ids)."""
_COLLECTION_ORDER = (inv.USERS, inv.FACTORS, *(c.name for c in catalogue.INDEPENDENT))
