"""Turns AWS exceptions into collection outcomes that name what is missing."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "AuthorizationError",
        "AuthFailure",
        "Forbidden",
        "403",
    }
)
NOT_AVAILABLE_CODES = frozenset(
    {
        "OptInRequired",
        "SubscriptionRequiredException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
    }
)


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def outcome_for(
    collection: str, scope: str | None, exc: Exception, action: str
) -> CollectionOutcome:
    """`action` is the IAM action the failed call needs, e.g. iam:GenerateCredentialReport."""
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if code in ACCESS_DENIED_CODES:
            return CollectionOutcome(
                collection=collection,
                scope=scope,
                outcome=Outcome.ACCESS_DENIED,
                missing=action,
                message=f"{code} on {action}",
            )
        if code in NOT_AVAILABLE_CODES:
            return CollectionOutcome(
                collection=collection,
                scope=scope,
                outcome=Outcome.NOT_AVAILABLE,
                missing=action,
                message=f"{code}: the service is not enabled for this account or region",
            )
        return CollectionOutcome(
            collection=collection,
            scope=scope,
            outcome=Outcome.ERROR,
            missing=action,
            message=f"{code or 'error'} on {action}",
        )
    if isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        message = f"timed out calling {action}"
    elif isinstance(exc, EndpointConnectionError):
        message = f"could not reach the endpoint for {action}"
    elif isinstance(exc, BotoCoreError):
        message = f"{type(exc).__name__} calling {action}"
    else:
        message = f"unexpected {type(exc).__name__} while reading the {action} response"
    return CollectionOutcome(
        collection=collection, scope=scope, outcome=Outcome.ERROR, missing=action, message=message
    )
