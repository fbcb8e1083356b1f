"""`posture history verify`: walk each scope's hash chain and read every stored row back.

A scan fails verification when its content no longer gives its `record_hash` (edited), when
its `prev_hash` is not the `record_hash` of the scan recorded before it in its scope (a scan
was deleted or inserted in between), when it has no hash after hashed scans (its hash was
wiped), or when its header or a finding row cannot be decoded (a corrupt row).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from scanner.history.chain import FindingRow, record_hash
from scanner.history.store import ChainLink, HistoryStore
from scanner.models.findings import Finding, ScanHeader


@dataclass(frozen=True)
class Problem:
    scan_id: int
    uid: str | None
    scope: str
    what: str
    unreadable: bool = False
    """Its stored rows cannot be decoded (nothing of it can be used)."""

    def __str__(self) -> str:
        uid = f" ({self.uid})" if self.uid else ""
        return f"scan {self.scan_id}{uid} of {self.scope or '(no accounts)'}: {self.what}"


@dataclass
class ScopeChain:
    scope: str
    scans: int = 0
    chained: int = 0
    unchained: int = 0
    """Recorded before the store had the chain (format 1): no hash to check."""
    head: str | None = None
    starts_after_pruning: bool = False


@dataclass
class ChainReport:
    scopes: dict[str, ScopeChain] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class UndecodableError(Exception):
    pass


def _decoded(rows: Iterator[FindingRow]) -> Iterator[FindingRow]:
    try:
        for row in rows:
            try:
                Finding.model_validate_json(row.body)
            except ValidationError:
                raise UndecodableError(f"finding {row.fingerprint} cannot be decoded") from None
            yield row
    except zlib.error:
        raise UndecodableError("a finding row cannot be decompressed") from None


def content_hash(store: HistoryStore, link: ChainLink) -> str:
    """The hash the scan's stored content gives; UndecodableError when a row is corrupt."""
    content = store.scan_content(link.id)
    try:
        ScanHeader.model_validate_json(content.header)
    except ValidationError:
        raise UndecodableError("its header cannot be decoded") from None
    return record_hash(link.prev_hash, content, _decoded(store.finding_rows(link.id)))


def verify_chain(store: HistoryStore, links: Sequence[ChainLink] | None = None) -> ChainReport:
    """Checks `links` (default: the whole store) scope by scope, in recording order."""
    report = ChainReport()
    previous: dict[str, ChainLink] = {}
    for link in store.chain() if links is None else links:
        scope = report.scopes.setdefault(link.scope, ScopeChain(link.scope))
        scope.scans += 1
        before = previous.get(link.scope)
        previous[link.scope] = link

        def problem(what: str, link: ChainLink = link, unreadable: bool = False) -> None:
            report.problems.append(Problem(link.id, link.uid, link.scope, what, unreadable))

        if link.record_hash is None:
            if scope.chained:
                problem("has no record hash after hashed scans (its hash was removed)")
            else:
                scope.unchained += 1
            continue
        try:
            actual = content_hash(store, link)
        except UndecodableError as exc:
            problem(f"its stored rows cannot be read: {exc}", unreadable=True)
            continue
        if actual != link.record_hash:
            problem("its content does not match its record hash (the scan was edited)")
        if before is not None and before.record_hash is not None:
            if link.prev_hash != before.record_hash:
                problem(
                    f"its previous hash is not scan {before.id}'s record hash "
                    "(a scan before it was removed, replaced or edited)"
                )
        elif before is None and link.prev_hash is not None:
            scope.starts_after_pruning = True
        elif before is not None and link.prev_hash is not None:
            problem("names a previous hash, but the scan before it has none")
        scope.chained += 1
        scope.head = link.record_hash
    return report
