"""The explicit catalogue of checks. Nothing registers itself on import: each provider package
names its check modules in one list, and that list is the catalogue."""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Iterable

from scanner.check import AnyCheck, Check
from scanner.errors import UsageError


def checks_of(package: str, *modules: str) -> tuple[AnyCheck, ...]:
    """The `CHECK` of each named module of `package` (e.g. "iam.root_mfa_disabled"), in the
    order given; registering a check is adding its module to a provider's list."""
    found: list[AnyCheck] = []
    for name in modules:
        module = importlib.import_module(f"{package}.{name}")
        check = getattr(module, "CHECK", None)
        if not isinstance(check, Check):
            raise TypeError(f"{module.__name__} defines no CHECK")
        found.append(check)
    return tuple(found)


def all_checks() -> tuple[AnyCheck, ...]:
    from checks.aws import CHECKS as AWS_CHECKS
    from checks.azuread import CHECKS as AZUREAD_CHECKS
    from checks.evidence import CHECKS as EVIDENCE_CHECKS
    from checks.gcp import CHECKS as GCP_CHECKS
    from checks.github import CHECKS as GITHUB_CHECKS
    from checks.identity import CHECKS as IDENTITY_CHECKS
    from checks.okta import CHECKS as OKTA_CHECKS
    from checks.tls import CHECKS as TLS_CHECKS

    return (
        *AWS_CHECKS,
        *GCP_CHECKS,
        *AZUREAD_CHECKS,
        *OKTA_CHECKS,
        *TLS_CHECKS,
        *GITHUB_CHECKS,
        *EVIDENCE_CHECKS,
        *IDENTITY_CHECKS,
    )


def _is_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def select_checks(
    catalogue: Iterable[AnyCheck],
    providers: Iterable[str] = (),
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> tuple[AnyCheck, ...]:
    """Narrows the catalogue; an id or glob that names no check is bad input."""
    checks = tuple(catalogue)
    ids = [c.id for c in checks]
    for pattern in (*include, *exclude):
        if not fnmatch.filter(ids, pattern):
            kind = "pattern" if _is_glob(pattern) else "check id"
            raise UsageError(f"unknown {kind} {pattern!r} (see `posture checks list`)")
    wanted_providers = set(providers)
    include = tuple(include)
    exclude = tuple(exclude)
    return tuple(
        c
        for c in checks
        if (not wanted_providers or c.meta.provider in wanted_providers)
        and (not include or any(fnmatch.fnmatchcase(c.id, p) for p in include))
        and not any(fnmatch.fnmatchcase(c.id, p) for p in exclude)
    )
