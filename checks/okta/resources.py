"""Resource references for Okta findings: uids are `<org host>/<kind>/<Okta id>`."""

from __future__ import annotations

from datetime import datetime

from scanner.inventory.common import DirectoryUser
from scanner.inventory.okta import OktaInventory
from scanner.models.findings import Resource


def missing(inv: OktaInventory, *collections: str) -> bool:
    """True when one of the collections failed: the engine reports it as `error`, and a check
    that would conclude from an *absence* (no factor, no log stream) must not run on it."""
    return bool(inv.failures(collections))


def user(inv: OktaInventory, u: DirectoryUser) -> Resource:
    return Resource(uid=f"{inv.account}/users/{u.uid}", type="Okta::User", name=u.login)


def unknown_user(inv: OktaInventory, user_id: str) -> Resource:
    return Resource(uid=f"{inv.account}/users/{user_id}", type="Okta::User", name=user_id)


def org(inv: OktaInventory, setting: str) -> Resource:
    return Resource(uid=f"{inv.account}/org/{setting}", type="Okta::Org", name=setting)


def obj(inv: OktaInventory, kind: str, type_name: str, object_id: str, name: str) -> Resource:
    return Resource(uid=f"{inv.account}/{kind}/{object_id}", type=type_name, name=name)


def days_since(moment: datetime | None, now: datetime) -> int | None:
    if moment is None:
        return None
    return (now - moment).days


def stamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
