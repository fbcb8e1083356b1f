"""Turns Google API errors (discovery HttpError and google-api-core exceptions) into data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from google.api_core import exceptions as core_exceptions
from googleapiclient.errors import HttpError

from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.payload import OddPayloadError

RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "quotaExceeded"}
)
DISABLED_REASONS = frozenset({"SERVICE_DISABLED", "accessNotConfigured"})
# A request stopped at a VPC Service Controls perimeter: ErrorInfo reason
# SECURITY_POLICY_VIOLATED (domain googleapis.com) beside a PreconditionFailure violation of
# type VPC_SERVICE_CONTROLS; the JSON APIs' errors[] say vpcServiceControls. The message reads
# "Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: …".
VPC_SC_REASONS = frozenset(
    {"SECURITY_POLICY_VIOLATED", "vpcServiceControls", "VPC_SERVICE_CONTROLS"}
)
VPC_SC_MISSING = (
    "access through the VPC Service Controls perimeter (an ingress rule or access level "
    "for the scanning identity)"
)
_MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class ApiFailure:
    """What a failed call said: HTTP status, reason words, the API named, the message."""

    status: int | None
    reasons: frozenset[str] = field(default_factory=frozenset)
    service: str | None = None
    message: str = ""
    consumer: str | None = None
    """ErrorInfo metadata `consumer`: the project ("projects/<number>") the API was called for."""


def _from_error_body(status: int | None, body: Any) -> ApiFailure:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ApiFailure(status=status)
    reasons: set[str] = set()
    service = consumer = None
    for item in error.get("errors") or ():
        if isinstance(item, dict) and item.get("reason"):
            reasons.add(str(item["reason"]))
    for detail in error.get("details") or ():
        for violation in (detail.get("violations") or ()) if isinstance(detail, dict) else ():
            if isinstance(violation, dict) and violation.get("type"):
                reasons.add(str(violation["type"]))
        if isinstance(detail, dict) and detail.get("reason"):
            reasons.add(str(detail["reason"]))
            metadata = detail.get("metadata") or {}
            service = metadata.get("service") or service
            consumer = metadata.get("consumer") or consumer
    if error.get("status"):
        reasons.add(str(error["status"]))
    return ApiFailure(
        status=status,
        reasons=frozenset(reasons),
        service=service,
        message=str(error.get("message", ""))[:_MESSAGE_LIMIT],
        consumer=consumer,
    )


def describe(exc: BaseException) -> ApiFailure | None:
    """The failure an API call reported, or None when the exception is not an API answer."""
    if isinstance(exc, HttpError):
        try:
            body = json.loads(exc.content.decode("utf-8", "replace"))
        except ValueError:
            body = None
        failure = _from_error_body(exc.resp.status, body)
        return failure if failure.message else ApiFailure(status=exc.resp.status)
    if isinstance(exc, core_exceptions.GoogleAPICallError):
        reasons = {
            str(e["reason"]) for e in exc.errors or () if isinstance(e, dict) and "reason" in e
        }
        if exc.reason:
            reasons.add(exc.reason)
        for detail in exc.details or ():  # parsed messages (gRPC) or dicts (REST)
            found = detail.get("violations") if isinstance(detail, dict) else None
            for violation in found or getattr(detail, "violations", ()) or ():
                kind = violation.get("type") if isinstance(violation, dict) else None
                reasons.add(str(kind or getattr(violation, "type", "")))
        status = exc.code if isinstance(exc.code, int) else None
        # api-core keeps the ErrorInfo's metadata (service, consumer) on the exception.
        metadata = exc.metadata or {}
        return ApiFailure(
            status=status,
            reasons=frozenset(reasons),
            service=metadata.get("service"),
            message=str(exc.message or "")[:_MESSAGE_LIMIT],
            consumer=metadata.get("consumer"),
        )
    return None


def disabled_api(exc: BaseException) -> ApiFailure | None:
    """The failure when the call was refused because an API is disabled, else None."""
    failure = describe(exc)
    return failure if failure is not None and failure.reasons & DISABLED_REASONS else None


def is_vpc_sc_denial(failure: ApiFailure) -> bool:
    return bool(failure.reasons & VPC_SC_REASONS) or (
        "vpcServiceControlsUniqueIdentifier" in failure.message
    )


def is_rate_limited(failure: ApiFailure) -> bool:
    return failure.status == 429 or (
        failure.status == 403 and bool(failure.reasons & RATE_LIMIT_REASONS)
    )


def outcome_for(
    collection: str, exc: BaseException, api: str, permission: str, scope: str | None = None
) -> CollectionOutcome:
    """`api` is the service (e.g. sqladmin.googleapis.com); `permission` what the call needs."""

    def ended(
        outcome: Outcome, message: str, missing: str | None = permission
    ) -> CollectionOutcome:
        return CollectionOutcome(
            collection=collection, scope=scope, outcome=outcome, missing=missing, message=message
        )

    failure = describe(exc)
    if isinstance(exc, OddPayloadError):
        return ended(Outcome.ERROR, f"unexpected answer from {api}: {exc}", None)
    if failure is None:
        return ended(Outcome.ERROR, f"{type(exc).__name__} calling {api}")
    if failure.reasons & DISABLED_REASONS:
        service = failure.service or api
        return ended(Outcome.API_DISABLED, f"the {service} API is disabled in the project", service)
    status = failure.status
    detail = f"HTTP {status}" + (f": {failure.message}" if failure.message else "")
    if is_vpc_sc_denial(failure):
        blocked = f"blocked by a VPC Service Controls perimeter, not by IAM ({detail})"
        return ended(Outcome.ACCESS_DENIED, blocked, VPC_SC_MISSING)
    if status == 403:
        return ended(Outcome.ACCESS_DENIED, detail)
    return ended(Outcome.NOT_AVAILABLE if status == 404 else Outcome.ERROR, detail)
