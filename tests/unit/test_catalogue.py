"""The check catalogue keeps its promises: unique ids, one naming scheme, real SOC 2 criteria."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from checks.registry import all_checks, select_checks
from scanner.check import CHECK_ID_PATTERN, CheckMeta
from scanner.errors import UsageError
from scanner.models.enums import Category, Severity
from scanner.models.soc2 import CRITERIA
from scanner.providers import PROVIDERS

CHECKS = all_checks()


def test_ids_are_unique() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_check_metadata_is_complete_and_honest(check: object) -> None:
    meta: CheckMeta = check.meta  # type: ignore[attr-defined]
    assert CHECK_ID_PATTERN.match(meta.id)
    assert meta.provider in PROVIDERS or meta.provider == "identity"
    assert meta.soc2 and all(c in CRITERIA for c in meta.soc2)
    assert meta.title and meta.remediation and meta.requires
    assert all(
        r.split(".")[0] == meta.provider or meta.provider == "identity" for r in meta.requires
    )


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_one_module_per_check_named_after_it(check: object) -> None:
    module = inspect.getmodule(check.evaluate)  # type: ignore[attr-defined]
    assert module is not None
    assert module.__name__.rsplit(".", 1)[-1] == check.id.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
    assert importlib.import_module(module.__name__).CHECK is check  # type: ignore[attr-defined]


def test_checks_never_import_an_sdk() -> None:
    root = Path(__file__).resolve().parents[2] / "checks"
    sdk = ("boto3", "botocore", "google", "msgraph", "okta", "azure", "kiota", "requests")
    for path in root.rglob("*.py"):
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")):
                module = stripped.split()[1]
                assert not module.startswith(sdk), f"{path} imports {module}"


def test_metadata_rejects_unknown_criteria_and_bad_ids() -> None:
    base = dict(
        title="t",
        severity=Severity.LOW,
        category=Category.LOGGING,
        remediation="r",
        requires=("aws.x.y",),
    )
    with pytest.raises(ValueError, match="not TSC 2017"):
        CheckMeta(id="aws.x.y", soc2=("CC6.9",), **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="snake_case"):
        CheckMeta(id="AWS-IAM-thing", soc2=("CC6.1",), **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        CheckMeta(id="aws.x.y", soc2=(), **base)  # type: ignore[arg-type]


def test_selection_by_id_glob_and_provider() -> None:
    assert [c.id for c in select_checks(CHECKS, include=["aws.iam.root_mfa_disabled"])] == [
        "aws.iam.root_mfa_disabled"
    ]
    roots = select_checks(CHECKS, include=["aws.iam.root_*"])
    assert {c.id for c in roots} >= {
        "aws.iam.root_mfa_disabled",
        "aws.iam.root_access_keys_present",
    }
    rest = select_checks(CHECKS, providers=["aws"], exclude=["aws.iam.root_*"])
    assert not {c.id for c in rest} & {c.id for c in roots}
    with pytest.raises(UsageError, match=r"unknown check id 'aws\.iam\.nope'"):
        select_checks(CHECKS, include=["aws.iam.nope"])
