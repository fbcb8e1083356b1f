"""Matching people across providers: by email, by login, and by the explicit identity map.

Pure: built from a `RunInventory`, no IO. Every comparison is case-insensitive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scanner.inventory.common import CloudIdentity, DirectoryUser
from scanner.inventory.evidence import Leaver, PersonMapping
from scanner.inventory.run import RunInventory
from scanner.models.inventory import Inventory

IDENTITY_MAP_FILE = "identity-map.yaml"
LEAVERS_FILE = "hr/leavers.csv"


def _norm(value: str | None) -> str | None:
    return value.strip().lower() if value and value.strip() else None


@dataclass(frozen=True)
class DirectoryEntry:
    """A user of one identity provider, with where they live."""

    provider: str
    account: str
    user: DirectoryUser

    @property
    def keys(self) -> tuple[str, ...]:
        found = (_norm(self.user.email), _norm(self.user.login))
        return tuple(dict.fromkeys(k for k in found if k))

    def describe(self) -> str:
        since = f" since {self.user.deactivated.date()}" if self.user.deactivated else ""
        return f"{self.user.login} in {self.provider} ({self.user.status}{since})"


@dataclass(frozen=True)
class IdentityMatch:
    """Who a cloud identity belongs to, and how we know."""

    identity: CloudIdentity
    entries: tuple[DirectoryEntry, ...]
    via: str | None
    """email, login, or the identity map line; None when nothing matched."""
    mapped_person: str | None = None

    @property
    def matched(self) -> bool:
        return bool(self.entries)

    @property
    def active(self) -> bool:
        return any(e.user.active for e in self.entries)

    @property
    def person_keys(self) -> frozenset[str]:
        keys = set(self.identity.names)
        for e in self.entries:
            keys.update(e.keys)
        if self.mapped_person:
            keys.add(self.mapped_person)
        return frozenset(keys)


class People:
    """The directory users of every identity provider in the run, indexed for matching."""

    def __init__(
        self,
        entries: Sequence[DirectoryEntry],
        mappings: Sequence[PersonMapping] = (),
        leavers: Sequence[Leaver] = (),
        local_part: bool = True,
    ) -> None:
        self.entries = tuple(entries)
        self.mappings = tuple(mappings)
        self.leavers = tuple(leavers)
        self.local_part = local_part
        self._by_key: dict[str, list[DirectoryEntry]] = {}
        self._by_local: dict[str, dict[str, list[DirectoryEntry]]] = {}
        """local part -> full email or login -> the entries known by it (one per directory)."""
        for entry in self.entries:
            for key in entry.keys:
                self._by_key.setdefault(key, []).append(entry)
                if "@" in key:
                    local = key.split("@", 1)[0]
                    self._by_local.setdefault(local, {}).setdefault(key, []).append(entry)
        self._aliases: dict[str, str] = {}
        for m in self.mappings:
            person = _norm(m.person)
            if person is None:
                continue
            for alias in m.aliases:
                alias_key = _norm(alias)
                if alias_key:
                    self._aliases[alias_key] = person

    @classmethod
    def from_run(cls, run: RunInventory, local_part: bool = True) -> People:
        evidence = run.evidence
        return cls(
            [DirectoryEntry(inv.provider, inv.account, u) for inv, u in run.directory_users()],
            evidence.identity_map if evidence else (),
            evidence.leavers if evidence else (),
            local_part,
        )

    @property
    def has_directory(self) -> bool:
        return bool(self.entries)

    def lookup(self, key: str) -> tuple[DirectoryEntry, ...]:
        """Directory users known by this email or login (or by a mapped alias of it)."""
        k = _norm(key)
        if k is None:
            return ()
        found = self._by_key.get(k) or self._by_key.get(self._aliases.get(k, ""), [])
        return tuple(found)

    def mapping_for(self, identity: CloudIdentity) -> PersonMapping | None:
        names = set(identity.names)
        for m in self.mappings:
            listed = m.identities.get(identity.provider, ())
            if any(_norm(x) in names for x in listed):
                return m
        return None

    def match(self, identity: CloudIdentity) -> IdentityMatch:
        mapping = self.mapping_for(identity)
        if mapping is not None:
            person = _norm(mapping.person)
            # The person's own account, else one known by an alias (the map may name the Okta
            # login while only Google Workspace, known by another address, is in the scan).
            found = self.lookup(mapping.person) or next(
                (hit for alias in mapping.aliases if (hit := self.lookup(alias))), ()
            )
            return IdentityMatch(
                identity, found, f"{IDENTITY_MAP_FILE} line {mapping.line}", mapped_person=person
            )
        for value, via in ((identity.email, "email"), (identity.login, "login")):
            if value and (found := self.lookup(value)):
                return IdentityMatch(identity, found, via)
        login = _norm(identity.login)
        if self.local_part and login and "@" not in login:
            candidates = self._by_local.get(login, {})
            if len(candidates) == 1:  # unambiguous only: never guess between two people
                (entries,) = candidates.values()
                return IdentityMatch(identity, tuple(entries), "email local part")
        return IdentityMatch(identity, (), None)

    def leaver_for(self, keys: Iterable[str]) -> Leaver | None:
        wanted = {k for k in (_norm(x) for x in keys) if k}
        wanted |= {self._aliases[k] for k in list(wanted) if k in self._aliases}
        wanted |= {
            _norm(a) or "" for m in self.mappings if _norm(m.person) in wanted for a in m.aliases
        }
        found = next((lv for lv in self.leavers if _norm(lv.email) in wanted), None)
        if found is not None or not self.local_part:
            return found
        bare = {k for k in wanted if "@" not in k and ":" not in k}
        by_local = [lv for lv in self.leavers if (_norm(lv.email) or "").split("@")[0] in bare]
        return by_local[0] if len({_norm(lv.email) for lv in by_local}) == 1 else None

    def keys_of(self, entry: DirectoryEntry) -> frozenset[str]:
        """A directory user's email, login and every name the identity map gives the same
        person (the map's `person` and `aliases` all name one person, whichever of them the
        directory knows the user by)."""
        keys = set(entry.keys)
        for m in self.mappings:
            known = {k for k in (_norm(x) for x in (m.person, *m.aliases)) if k}
            if known & set(entry.keys):
                keys.update(known)
        return frozenset(keys)


def directory_names(run: RunInventory) -> str:
    names = sorted({inv.provider for inv in run.directories})
    return ", ".join(names) if names else "no identity provider"


def member_label(inv: Inventory) -> str:
    return f"{inv.provider}:{inv.account}"
