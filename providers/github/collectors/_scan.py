"""What every GitHub fetch reads from: the API, the org, the settings, the clock, the pool."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from providers.github.api import FanOut, GithubApi
from providers.github.errors import GithubAuthError, GithubCallError
from providers.github.permissions import NEEDS
from scanner.collection import Collected, CollectionFailedError
from scanner.config.github import GithubConfig
from scanner.inventory import github as inv
from scanner.models.enums import Outcome
from scanner.timestamps import utc_timestamp

T = TypeVar("T")


@dataclass
class OrgScan:
    api: GithubApi
    org: str
    settings: GithubConfig
    now: datetime
    fan: FanOut


def repos_of(got: Collected, collection: str) -> tuple[inv.Repo, ...]:
    """The repositories in scope; a per-repository collection cannot run without them."""
    if not got.ok(inv.REPOS):
        raise CollectionFailedError(
            Outcome.ERROR,
            f"{collection} is read per repository and the repositories could not be listed",
            missing=NEEDS[inv.REPOS].missing,
        )
    repos: tuple[inv.Repo, ...] = got.value(inv.REPOS)
    return repos


DENIED_PREFIX = "needs "


def unreadable(collection: str, exc: GithubCallError) -> str:
    """Why a repository's data is missing: the permission when GitHub refused, else the error."""
    if exc.denied:
        return f"{DENIED_PREFIX}{NEEDS[collection].missing}: {exc}"
    return str(exc)


def per_repo(collection: str, read: Callable[[], T], failed: Callable[[str], T]) -> T:
    """One repository's read; a refusal or error becomes that repository's `unreadable`, and
    rejected credentials end the scan."""
    try:
        return read()
    except GithubAuthError:
        raise
    except GithubCallError as exc:
        return failed(unreadable(collection, exc))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return failed(f"unexpected answer from GitHub ({type(exc).__name__})")


def each_repo(
    scan: OrgScan,
    got: Collected,
    collection: str,
    read: Callable[[inv.Repo], T],
    failed: Callable[[inv.Repo, str], T],
) -> tuple[T, ...]:
    """`read` for every repository in scope on the org's pool, in the repositories' order; a
    repository GitHub refused becomes `failed(repo, why)`."""
    repos = repos_of(got, collection)

    def one(repo: inv.Repo) -> T:
        return per_repo(collection, lambda: read(repo), lambda why: failed(repo, why))

    return tuple(scan.fan.map(one, repos))


def flag(raw: Any, key: str, default: bool = False) -> bool:
    """A decisive boolean: absent is `default`, anything but a JSON boolean is a parse error
    (so an odd answer is an error, never the passing reading)."""
    value = raw.get(key, default) if isinstance(raw, dict) else default
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValueError(f"{key} is not a boolean")
    return value


def when(value: Any) -> datetime | None:
    return utc_timestamp(value) if isinstance(value, str) else None


def login_of(user: Any) -> str | None:
    if isinstance(user, dict) and isinstance(user.get("login"), str):
        return str(user["login"])
    return None
