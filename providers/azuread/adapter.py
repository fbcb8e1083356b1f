"""The Azure AD provider adapter: one tenant, every collection, one inventory."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from providers.azuread import parse
from providers.azuread.client import GraphSession, build_session
from providers.azuread.collect import outcome_for
from providers.azuread.collections import ORGANIZATION, collect_tenant, past_deadline, recorder
from providers.azuread.graph import GraphApi, GraphCallError, TokenError
from scanner.collection import Collected, Deadline
from scanner.config import PostureConfig
from scanner.errors import CredentialsError
from scanner.inventory import azuread as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest

UNKNOWN_TENANT = "unknown-tenant"


class AzureAdProvider:
    def __init__(self, config: PostureConfig, environ: Mapping[str, str] | None = None) -> None:
        self.config = config.azuread
        self.environ = os.environ if environ is None else environ

    def collect(self, request: CollectRequest) -> list[Inventory]:
        session = build_session(self.config, self.environ)
        return [asyncio.run(self._collect(session, request))]

    async def _tenant(self, graph: GraphApi) -> tuple[str, str | None, CollectionOutcome]:
        """Reads /organization first: it names the tenant and proves the credential works."""
        configured = self.config.tenant_id or self.environ.get("AZURE_TENANT_ID")
        try:
            body = await ORGANIZATION.fetch(graph)
        except TokenError as exc:
            raise CredentialsError(f"Azure AD sign-in failed: {exc}") from None
        except GraphCallError as exc:
            if exc.status == 401:
                raise CredentialsError(
                    f"Microsoft Graph rejected the credential (HTTP 401 {exc.code})"
                ) from None
            if exc.status is None and exc.code in {"ConnectError", "ConnectTimeout"}:
                raise CredentialsError(
                    f"cannot reach Microsoft Graph at {graph.base_url} ({exc.code})"
                ) from None
            return configured or UNKNOWN_TENANT, None, outcome_for(inv.ORGANIZATION, exc)
        orgs = [o for o in body.get("value") or [] if isinstance(o, dict)]
        if not orgs:
            return (
                configured or UNKNOWN_TENANT,
                None,
                CollectionOutcome(
                    collection=inv.ORGANIZATION,
                    outcome=Outcome.ERROR,
                    message="/organization returned no tenant",
                ),
            )
        org = orgs[0]
        return (
            str(org.get("id") or configured or UNKNOWN_TENANT),
            org.get("displayName"),
            CollectionOutcome(collection=inv.ORGANIZATION),
        )

    async def _collect(
        self, session: GraphSession, request: CollectRequest
    ) -> inv.AzureAdInventory:
        deadline = Deadline(self.config.scan_timeout_seconds)
        pim = self.config.collect_pim_eligibility
        configured = self.config.tenant_id or self.environ.get("AZURE_TENANT_ID")
        tenant, name = configured or UNKNOWN_TENANT, None
        org_outcome = deadline.outcome(
            ORGANIZATION.name, missing=ORGANIZATION.needs.permission
        )
        graph = GraphApi(session.client, session.base_url)
        rec = recorder(request.progress)
        try:
            async with asyncio.timeout(deadline.remaining()):
                tenant, name, org_outcome = await self._tenant(graph)
                try:
                    await collect_tenant(graph, rec, request.collections, pim)
                except* TokenError as grouped:
                    raise CredentialsError(
                        f"Azure AD sign-in failed: {_first(grouped)}"
                    ) from None
        except TimeoutError:
            # Unfinished requests were cancelled; what did not finish is an error.
            past_deadline(rec, deadline, request.collections, pim)
        finally:
            await session.close()
        return build_inventory(tenant, name, session.endpoint, org_outcome, rec.result)


def _first(group: BaseExceptionGroup[TokenError]) -> BaseException:
    first: BaseException = group
    while isinstance(first, BaseExceptionGroup):
        first = first.exceptions[0]
    return first


def resolve_principals(
    assignments: tuple[inv.RoleAssignment, ...],
    users: tuple[inv.AzureUser, ...],
    service_principals: tuple[inv.AzureServicePrincipal, ...],
    groups: tuple[inv.AzureGroup, ...],
) -> tuple[inv.RoleAssignment, ...]:
    """Types principals that Graph returned without `$expand=principal`, from what we know."""
    kinds: dict[str, tuple[inv.PrincipalType, str | None]] = {}
    kinds.update({u.id: ("user", u.user_principal_name) for u in users})
    kinds.update({s.id: ("servicePrincipal", s.display_name) for s in service_principals})
    kinds.update({g.id: ("group", g.display_name) for g in groups})
    resolved = []
    for a in assignments:
        if a.principal_type == "other" and a.principal_id in kinds:
            kind, name = kinds[a.principal_id]
            a = a.model_copy(
                update={"principal_type": kind, "principal_name": a.principal_name or name}
            )
        resolved.append(a)
    return tuple(resolved)


def build_inventory(
    tenant: str,
    name: str | None,
    endpoint: str,
    org_outcome: CollectionOutcome,
    collected: Collected,
) -> inv.AzureAdInventory:
    fields = collected.fields()
    users: tuple[inv.AzureUser, ...] = fields.get("users", ())
    for field_name in ("role_assignments", "role_eligibilities"):
        if field_name in fields:
            fields[field_name] = resolve_principals(
                fields[field_name],
                users,
                fields.get("service_principals", ()),
                fields.get("groups", ()),
            )
    return inv.AzureAdInventory(
        account=tenant,
        account_name=name,
        graph_endpoint=endpoint,
        outcomes=(org_outcome, *collected.outcomes),
        directory_users=tuple(parse.directory_user(u) for u in users if not u.is_guest),
        **fields,
    )
