"""Failures of Okta calls, and how they become collection outcomes."""

from __future__ import annotations

from typing import Any

from providers.okta.http import AnswerRefusedError
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


FEATURE_NOT_ENABLED = "E0000015"
"""401 "You do not have permission to access the feature you are requesting" (Okta's spec:
Error-FF-NotEnabled-Response-401): the org lacks the feature; the credentials are fine."""


def from_sdk_error(path: str, error: Any) -> OktaCallError:
    """Builds an OktaCallError from what the SDK's request executor returned as `error`."""
    status = getattr(error, "status", None)
    code = getattr(error, "error_code", None)
    summary = str(getattr(error, "error_summary", "") or "")
    if not isinstance(status, int):
        status = None
        refused = isinstance(error, AnswerRefusedError)
        summary = summary or (str(error) if refused else type(error).__name__)
    # Only a 401 for the credentials ends the scan; a feature the org lacks ends one collection.
    if status == 401 and code != FEATURE_NOT_ENABLED:
        return OktaAuthError(path, status, code, summary)
    return OktaCallError(path, status, code, summary)


def outcome_for(collection: str, exc: Exception, need: Need) -> CollectionOutcome:
    """403 names the admin role and OAuth scope; 404 or E0000015 the feature; else an error."""
    if isinstance(exc, OktaNotAvailableError) or (
        isinstance(exc, OktaCallError) and (exc.status == 404 or exc.code == FEATURE_NOT_ENABLED)
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
