"""The base of every provider's inventory: what was collected, and how each collection ended."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from scanner.models.enums import Outcome


class Frozen(BaseModel):
    """Base for immutable models that refuse unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CollectionOutcome(Frozen):
    """How one collection (one kind of data, for one scope) ended.

    `collection` is a dotted name such as ``aws.iam.credential_report``; `scope` is the region,
    project or org it was read for, or None when the data is global to the account.
    """

    collection: str
    scope: str | None = None
    outcome: Outcome = Outcome.OK
    missing: str | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    def describe(self) -> str:
        where = f" in {self.scope}" if self.scope else ""
        need = f" (needs {self.missing})" if self.missing else ""
        return f"{self.collection}{where}: {self.outcome.value}{need}: {self.message}".rstrip(": ")


class Inventory(Frozen):
    """What one provider adapter saw in one account, project, tenant or org.

    Providers subclass this with typed, frozen fields for their resources.
    """

    provider: str
    account: str
    account_name: str | None = None
    scopes: tuple[str, ...] = ()
    outcomes: tuple[CollectionOutcome, ...] = ()

    def failures(self, collections: Iterable[str]) -> list[CollectionOutcome]:
        """The collections' outcomes that leave a gap; a scope closed to the scan
        (out_of_scope) is no gap: nothing there is judged."""
        wanted = set(collections)
        return [
            o
            for o in self.outcomes
            if o.collection in wanted and not o.ok and o.outcome is not Outcome.OUT_OF_SCOPE
        ]

    def collected(self, collection: str, scope: str | None = None) -> bool:
        """True when the collection was attempted for the scope and ended ok."""
        return any(o.collection == collection and o.scope == scope and o.ok for o in self.outcomes)

    @property
    def errors(self) -> tuple[CollectionOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)
