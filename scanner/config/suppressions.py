"""Waivers: a failing finding a named owner accepted, for a reason, until a date."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from scanner.models.inventory import Frozen


class Suppression(Frozen):
    """Matches by check (id or glob), resource (glob on uid or name) and account (glob).

    Any matcher may be left out, but not all of check and resource: a waiver that mutes every
    finding of an account is never what an auditor wants to read.
    """

    check: str | None = Field(None, min_length=1)
    resource: str | None = Field(None, min_length=1)
    account: str | None = Field(None, min_length=1)
    reason: str = Field(min_length=3)
    owner: str = Field(min_length=1)
    expires: date
    approved_by: str | None = Field(None, min_length=1, description="Who approved the waiver")
    approved_on: date | None = Field(None, description="When it was approved")

    @model_validator(mode="after")
    def _narrow_enough(self) -> Suppression:
        if self.check is None and self.resource is None:
            raise ValueError("a suppression names a check or a resource (or both)")
        return self

    def describe(self) -> str:
        parts = [
            f"{k}={v}"
            for k, v in (
                ("check", self.check),
                ("resource", self.resource),
                ("account", self.account),
            )
            if v
        ]
        return " ".join(parts)
