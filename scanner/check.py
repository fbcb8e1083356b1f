"""What a check is: declarative metadata beside a pure function from inventory to results."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import Field, JsonValue, field_validator

from scanner.models.enums import Category, Severity, Status
from scanner.models.findings import Resource
from scanner.models.inventory import Frozen, Inventory
from scanner.models.soc2 import is_criterion

if TYPE_CHECKING:
    from scanner.config import PostureConfig

CHECK_ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class CheckMeta(Frozen):
    id: str = Field(description="provider.service.what_is_wrong, e.g. aws.iam.root_mfa_disabled")
    title: str
    severity: Severity
    category: Category
    soc2: tuple[str, ...]
    remediation: str
    requires: tuple[str, ...] = Field(
        description="The collections the check reads; if one failed the check says error."
    )
    optional: tuple[str, ...] = Field(
        default=(),
        description="Collections the check reads when they could be collected; their failure "
        "neither errors the check nor drops its verdicts (the evidence says what was not seen).",
    )
    description: str = ""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not CHECK_ID_PATTERN.match(v):
            raise ValueError(f"check id {v!r} is not provider.service.name in snake_case")
        return v

    @field_validator("soc2")
    @classmethod
    def _real_criteria(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("a check maps to at least one SOC 2 criterion")
        unknown = [c for c in v if not is_criterion(c)]
        if unknown:
            raise ValueError(f"not TSC 2017 criteria: {', '.join(unknown)}")
        return v

    @field_validator("requires")
    @classmethod
    def _requires_something(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("a check names the collections it reads")
        return v

    @property
    def provider(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def reads(self) -> tuple[str, ...]:
        """Every collection the check reads: the required ones, then the optional ones."""
        return (*self.requires, *self.optional)


class CheckResult(Frozen):
    """One verdict of one check on one resource (or sub-resource, via `sub_key`)."""

    status: Status
    resource: Resource
    message: str
    evidence: dict[str, JsonValue] = Field(default_factory=dict)
    region: str | None = None
    sub_key: str | None = None
    account: str | None = Field(
        default=None, description="Overrides the inventory's account (e.g. a Workspace customer)."
    )
    rests_on: tuple[str, ...] = Field(
        default=(),
        description="The required collections this verdict reads, when not all of them; a "
        "failure of another required collection then leaves it standing.",
    )


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may read besides the inventory. The clock is passed in."""

    now: datetime
    config: PostureConfig


InvT = TypeVar("InvT", bound=Inventory)

Evaluate = Callable[[InvT, CheckContext], Iterable[CheckResult]]


@dataclass(frozen=True)
class Check(Generic[InvT]):
    meta: CheckMeta
    inventory_type: type[InvT]
    evaluate: Callable[[InvT, CheckContext], Iterable[CheckResult]]
    enabled: Callable[[PostureConfig], bool] | None = None
    """For an opt-in check: whether the configuration switches it on. A check switched off is
    not run at all: its collections are not read and it reports nothing."""

    @property
    def id(self) -> str:
        return self.meta.id

    def runs_with(self, config: PostureConfig) -> bool:
        return self.enabled is None or self.enabled(config)


AnyCheck = Check[Any]


def fail(resource: Resource, message: str, **kw: Any) -> CheckResult:
    return CheckResult(status=Status.FAIL, resource=resource, message=message, **kw)


def passed(resource: Resource, message: str, **kw: Any) -> CheckResult:
    return CheckResult(status=Status.PASS, resource=resource, message=message, **kw)


def error(resource: Resource, message: str, **kw: Any) -> CheckResult:
    return CheckResult(status=Status.ERROR, resource=resource, message=message, **kw)


def pass_or_fail(
    resource: Resource,
    ok: bool,
    pass_message: str,
    fail_message: str,
    *,
    evidence: Mapping[str, object] | None = None,
    region: str | None = None,
    sub_key: str | None = None,
    account: str | None = None,
    rests_on: tuple[str, ...] = (),
) -> CheckResult:
    """The verdict of the common shape: PASS with `pass_message` when `ok`, else FAIL with
    `fail_message`; resource, evidence and placement are the same either way.

    Both messages are built before the call, so neither may depend on the other outcome's data
    (an index into a list that is empty when the resource passes, say).
    """
    return CheckResult(
        status=Status.PASS if ok else Status.FAIL,
        resource=resource,
        message=pass_message if ok else fail_message,
        evidence=dict(evidence or {}),
        region=region,
        sub_key=sub_key,
        account=account,
        rests_on=rests_on,
    )
