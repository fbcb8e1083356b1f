"""Failures of Okta calls, and how they become collection outcomes."""

from __future__ import annotations

from typing import Any

from providers.okta.permissions import Need
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome


class OktaCallError(Exception):
    """An Okta API call that did not give the data: the status, Okta's errorCode and summary.

    The message never holds a request header or a response body, only Okta's own summary.
    """

    def __init__(
        self, path: str, status: int | None, code: str | None = None, summary: str = ""
    ) -> None:
        self.path = path
        self.status = status
        self.code = code
        self.summary = summary
        shown = " ".join(p for p in (f"HTTP {status}" if status else "", code or "", summary) if p)
        super().__init__(f"{path}: {shown or 'no response'}")


class OktaAuthError(OktaCallError):
    """The org rejected the credentials themselves (401, or no OAuth access token)."""


class OktaNotAvailableError(Exception):
    """The org does not offer what a collection reads (e.g. a Classic Engine org)."""


def from_sdk_error(path: str, error: Any) -> OktaCallError:
    """Builds an OktaCallError from what the SDK's request executor returned as `error`."""
    status = getattr(error, "status", None)
    code = getattr(error, "error_code", None)
    summary = str(getattr(error, "error_summary", "") or "")
    if not isinstance(status, int):
        status = None
        summary = summary or type(error).__name__
    if status == 401:
        return OktaAuthError(path, status, code, summary)
    return OktaCallError(path, status, code, summary)


def outcome_for(collection: str, exc: Exception, need: Need) -> CollectionOutcome:
    """403 names the admin role and OAuth scope; 404 the feature; anything else is an error."""
    if isinstance(exc, OktaNotAvailableError) or (
        isinstance(exc, OktaCallError) and exc.status == 404
    ):
        return CollectionOutcome(
            collection=collection,
            outcome=Outcome.NOT_AVAILABLE,
            missing=need.feature,
            message=str(exc),
        )
    if isinstance(exc, OktaCallError) and exc.status == 403:
        return CollectionOutcome(
            collection=collection,
            outcome=Outcome.ACCESS_DENIED,
            missing=need.missing,
            message=str(exc),
        )
    return CollectionOutcome(
        collection=collection, outcome=Outcome.ERROR, message=str(exc) or type(exc).__name__
    )
