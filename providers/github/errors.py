"""Failures of GitHub calls, and how they become collection outcomes."""

from __future__ import annotations

from providers.github.permissions import Need
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome


class GithubCallError(Exception):
    """A GitHub REST call that did not give the data: the path, the status and GitHub's own
    `message`. Never holds a request header (the token) or a whole response body."""

    def __init__(self, path: str, status: int | None, message: str = "") -> None:
        self.path = path
        self.status = status
        self.github_message = message
        shown = " ".join(p for p in (f"HTTP {status}" if status else "", message) if p)
        super().__init__(f"{path}: {shown or 'no response'}")

    @property
    def denied(self) -> bool:
        """403, or a 404 GitHub gives to hide what the token may not see."""
        return self.status in (403, 404)


class GithubAuthError(GithubCallError):
    """GitHub rejected the credentials themselves (401 Bad credentials)."""


def outcome_for(collection: str, exc: Exception, need: Need) -> CollectionOutcome:
    """403/404 names the permission the collection needs; anything else is an error."""
    if isinstance(exc, GithubCallError) and exc.denied:
        return CollectionOutcome(
            collection=collection,
            outcome=Outcome.ACCESS_DENIED,
            missing=need.missing,
            message=str(exc),
        )
    return CollectionOutcome(
        collection=collection, outcome=Outcome.ERROR, message=str(exc) or type(exc).__name__
    )
