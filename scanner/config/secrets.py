"""Secrets in the config are references (an environment variable or a file), never values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, model_validator

from scanner.errors import ConfigError
from scanner.models.inventory import Frozen


class SecretRef(Frozen):
    """Where a secret is read from at the moment it is needed: `env: NAME` or `file: PATH`."""

    env: str | None = Field(None, min_length=1, description="Environment variable holding it")
    file: Path | None = Field(None, description="File holding it (trailing newline stripped)")

    @model_validator(mode="before")
    @classmethod
    def _not_inline(cls, data: object) -> object:
        if not isinstance(data, dict):
            raise ValueError("expected {env: NAME} or {file: PATH}: secrets are never inline")
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.env is None) == (self.file is None):
            raise ValueError("give exactly one of env or file (secrets are never inline)")
        return self

    def describe(self) -> str:
        return f"env {self.env}" if self.env else f"file {self.file}"

    def resolve(self, what: str, environ: Mapping[str, str] | None = None) -> str:
        """The secret's value; a missing or empty one is a ConfigError that never shows it."""
        if self.env is not None:
            value = (os.environ if environ is None else environ).get(self.env, "")
            if not value:
                raise ConfigError(f"{what}: environment variable {self.env} is not set")
            return value
        assert self.file is not None
        try:
            value = self.file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{what}: cannot read {self.file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{what}: {self.file} is not UTF-8 text") from None
        if not value:
            raise ConfigError(f"{what}: {self.file} is empty")
        return value
