"""The whole run as one inventory, for checks that look across providers.

The scan builds one `RunInventory` after collection: it holds every inventory collected in
the run (identity providers, clouds, evidence), so a check that declares this type can match
people across them. Its outcomes are the union of its members', so a check whose input failed
to collect says `error`, as for any other inventory.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from scanner.inventory.common import CloudIdentity, DirectoryUser, TlsEndpoint
from scanner.inventory.evidence import EvidenceInventory
from scanner.models.inventory import Inventory
from scanner.providers import PROVIDERS, plugins

RUN_PROVIDER = "identity"
"""The provider name of cross-provider checks and of their findings."""

IDENTITY_SOURCES: tuple[str, ...] = tuple(p.name for p in plugins() if p.identity.source)
"""When one of these providers is scanned, the cross-provider checks join the run."""


def with_cross_provider(providers: Sequence[str]) -> tuple[str, ...]:
    """The providers to select checks for. The cross-provider checks join a run that reads the
    evidence directory, or that scans an identity source together with another provider; a
    lone Okta or AWS scan stays free of checks it could not evaluate."""
    chosen = tuple(dict.fromkeys(providers))
    always = any(p in PROVIDERS and PROVIDERS[p].identity.evidence for p in chosen)
    if always or (len(chosen) > 1 and any(p in IDENTITY_SOURCES for p in chosen)):
        return (*chosen, RUN_PROVIDER)
    return chosen


DIRECTORY_COLLECTIONS: tuple[str, ...] = tuple(
    p.identity.directory for p in plugins() if p.identity.directory
)
"""The collections that fill `directory_users` (each plugin names its own); cross-provider checks
require them, so a failed directory read makes them say error, and the scan asks the adapters
for them."""

CLOUD_IDENTITY_COLLECTIONS: tuple[str, ...] = tuple(
    p.identity.cloud for p in plugins() if p.identity.cloud
)
"""The collections cloud identities are projected from (see scanner.identity.projection)."""


class RunInventory(Inventory):
    provider: str = RUN_PROVIDER
    account: str = "run"
    members: tuple[Inventory, ...] = ()
    cloud_identities: tuple[CloudIdentity, ...] = ()
    cloud_accounts: tuple[str, ...] = Field(
        (), description="provider:account of every cloud inventory projected, users or not"
    )

    @property
    def directories(self) -> tuple[Inventory, ...]:
        """Members that carry `directory_users` (Okta, Azure AD, Google Workspace, ...)."""
        return tuple(m for m in self.members if hasattr(m, "directory_users"))

    def directory_users(self) -> tuple[tuple[Inventory, DirectoryUser], ...]:
        return tuple(
            (inv, user)
            for inv in self.directories
            for user in getattr(inv, "directory_users", ())
            if isinstance(user, DirectoryUser)
        )

    @property
    def evidence(self) -> EvidenceInventory | None:
        return next((m for m in self.members if isinstance(m, EvidenceInventory)), None)


class RunMember(Inventory):
    """A cloud inventory as a distributed run keeps it once its job is done
    (scanner.distributed.parts): who it is, the outcomes of the collections the run checks
    read, and the TLS endpoints it found (what `--probe-tls` probes)."""

    tls_endpoints: tuple[TlsEndpoint, ...] = ()


def build_run_inventory(
    members: Sequence[Inventory],
    cloud_identities: Sequence[CloudIdentity],
    cloud_accounts: Sequence[str] = (),
) -> RunInventory:
    return RunInventory(
        members=tuple(members),
        cloud_identities=tuple(cloud_identities),
        cloud_accounts=tuple(cloud_accounts),
        scopes=tuple(dict.fromkeys(f"{m.provider}:{m.account}" for m in members)),
        outcomes=tuple(o for m in members for o in m.outcomes),
    )
