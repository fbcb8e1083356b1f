"""Turns AWS exceptions into collection outcomes that name what is missing."""

from __future__ import annotations

import re

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

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
    }
)


AWS_CALL_ERRORS: tuple[type[Exception], ...] = (ClientError, BotoCoreError, ResponseParserError)
"""What one AWS call can raise: an error answer, a transport failure, or an answer botocore
cannot parse (ResponseParserError is not a BotoCoreError; an HTML 500 page raises it)."""

TOKEN_REJECTED_CODES = frozenset({"InvalidClientTokenId", "UnrecognizedClientException"})

_SCP_DENIAL = re.compile(
    r"explicit deny in a service control policy|because no service control policy allows",
    re.IGNORECASE,
)
"""How AWS words a denial by an Organizations SCP in the error message (IAM User Guide,
"Troubleshooting access denied error messages"): "User: <arn> is not authorized to perform:
<action> on resource: <arn> with an explicit deny in a service control policy[: <policy arn>]",
or "... because no service control policy allows the <action> action" (an SCP allow-list).
EC2 wraps the same sentence in UnauthorizedOperation."""


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def error_message(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Message", ""))


def denied_by_scp(exc: ClientError) -> bool:
    return error_code(exc) in ACCESS_DENIED_CODES and bool(_SCP_DENIAL.search(error_message(exc)))


def token_rejected_reason(region: str | None) -> str:
    """What InvalidClientTokenId means where the same credentials work elsewhere."""
    where = f"in {region}" if region else "in this region"
    return (
        f"the security token is not valid {where}: either the region is an opt-in region not "
        "enabled for the account, or the session token came from the global STS endpoint "
        "(such tokens work only in regions enabled by default; get them from a regional STS "
        "endpoint)"
    )


def _client_error_outcome(code: str, scope: str | None, action: str) -> tuple[Outcome, str]:
    if code in TOKEN_REJECTED_CODES:
        return Outcome.NOT_AVAILABLE, f"{code}: {token_rejected_reason(scope)}"
    if code in ACCESS_DENIED_CODES:
        return Outcome.ACCESS_DENIED, f"{code} on {action}"
    if code in NOT_AVAILABLE_CODES:
        return (
            Outcome.NOT_AVAILABLE,
            f"{code}: the service is not enabled for this account or region",
        )
    return Outcome.ERROR, f"{code or 'error'} on {action}"


def outcome_for(
    collection: str, scope: str | None, exc: Exception, action: str
) -> CollectionOutcome:
    """`action` is the IAM action the failed call needs, e.g. iam:GenerateCredentialReport."""
    outcome = Outcome.ERROR
    missing: str | None = action
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if denied_by_scp(exc):
            outcome, missing, message = _scp_outcome(scope, code, action)
        else:
            outcome, message = _client_error_outcome(code, scope, action)
    elif isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        message = f"timed out calling {action}"
    elif isinstance(exc, EndpointConnectionError):
        message = f"could not reach the endpoint for {action}"
    elif isinstance(exc, BotoCoreError):
        message = f"{type(exc).__name__} calling {action}"
    elif isinstance(exc, ResponseParserError):
        message = (
            f"the answer to {action} is not an AWS response (ResponseParserError): the endpoint "
            "may not implement the call (an emulator's HTML error page?)"
        )
    else:
        message = f"unexpected {type(exc).__name__} while reading the {action} response"
    return CollectionOutcome(
        collection=collection, scope=scope, outcome=outcome, missing=missing, message=message
    )


def _scp_outcome(scope: str | None, code: str, action: str) -> tuple[Outcome, str | None, str]:
    """A region an SCP closes is out of scope, not a permission to add; an SCP denying an
    account-wide read is still a gap, but no IAM policy of the scanner can fill it."""
    if scope is not None:
        return (
            Outcome.OUT_OF_SCOPE,
            None,
            f"{code}: a service control policy denies {action} in {scope}; the region is out "
            "of scope",
        )
    return (
        Outcome.ACCESS_DENIED,
        f"{action} (denied by a service control policy)",
        f"{code}: a service control policy denies {action}; an IAM policy cannot grant it",
    )
