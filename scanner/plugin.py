"""What a provider plugin declares: everything the core needs to know of a provider.

Each provider package has a `plugin.py` with one `PLUGIN`; `scanner.providers` lists them.
A plugin module imports no SDK: its adapter, collection table, demo and permissions are named
as `module:attribute` and imported only when the provider runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True)
class ScanOption:
    """A `posture scan` option that sets one field of the provider's config section."""

    flag: str
    field: str
    help: str
    multiple: bool = False
    envvar: str | None = None
    directory: bool = False
    """The value is a directory path."""
    file: bool = False
    """The value is the path of a file that must exist."""
    switch: bool = False
    """An on/off flag that sets the field to True (absent: the config's value stands)."""


@dataclass(frozen=True)
class IdentityRole:
    """How the provider takes part in the cross-provider identity checks."""

    directory: str | None = None
    """The collection that fills `directory_users` (an identity provider's people)."""
    cloud: str | None = None
    """The collection cloud principals are projected from (scanner.identity.projection)."""
    evidence: bool = False
    """The evidence register (training, leavers, identity map): it always brings the
    cross-provider checks into the run."""

    @property
    def source(self) -> bool:
        """Scanned with another provider, it brings the cross-provider checks into the run."""
        return self.evidence or self.directory is not None


AFTER = "after"
"""The key of a PlannedScope's detail that names the scopes to wait for."""


class PlannedScope(NamedTuple):
    """One job of a distributed run, as a provider's scope module lists it."""

    scope: str
    """The account, project, tenant or org; "*" for everything the config names."""
    name: str | None = None
    """Its display name, where the listing gives one."""
    detail: Mapping[str, Any] | None = None
    """JSON data the job gets back (CollectRequest.job): what the listing learnt of the scope,
    and under "after" the scopes of the same provider whose jobs must end before it starts."""


@dataclass(frozen=True)
class ProviderPlugin:
    name: str
    extra: str
    """The distribution extra that installs the provider's SDK ("" when it needs none)."""
    adapter: str
    """module:attribute of a callable taking a PostureConfig and returning a ProviderAdapter."""
    collections: str
    """module:attribute of the provider's tuple of `scanner.collection.Collection`."""
    config_section: str
    """The PostureConfig field that holds the provider's settings."""
    options: tuple[ScanOption, ...] = ()
    demo: str | None = None
    """module:attribute of a DemoFactory that sets up an embedded environment."""
    permissions: str | None = None
    """module:attribute of `(collections) -> str`: the least privilege the collections need."""
    identity: IdentityRole = IdentityRole()
    waits_for: str = "its first answer"
    """What the provider's first, possibly slow, step waits for: the progress display says it
    while nothing else runs yet (a sign-in, an identity call, the list of what to scan)."""
    scopes: str | None = None
    """Module with `list_scopes(config) -> list[PlannedScope]` and `narrow(config, scope) ->
    PostureConfig`: a distributed run makes one job per listed scope. None: one job for
    everything the provider is configured to scan."""
    reads_run: bool = False
    """Reads what the other providers of the run collected (`CollectRequest.inventories`), so
    it runs after them."""
    preflight: str | None = None
    """module:attribute of `(config) -> None` raising UsageError for bad input a distributed run
    would otherwise meet only at finalize (a reads_run provider collects there), when the plan
    it stored can no longer be changed."""
