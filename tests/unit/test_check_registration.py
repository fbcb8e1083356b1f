"""Every check module under checks/ is in the catalogue, once: a check cannot be written and
then silently left out of a scan."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter

import pytest

import checks
from checks.registry import all_checks, checks_of
from scanner.check import AnyCheck, Check


def _modules_defining_a_check() -> dict[str, AnyCheck]:
    found: dict[str, AnyCheck] = {}
    for info in pkgutil.walk_packages(checks.__path__, prefix="checks."):
        module = importlib.import_module(info.name)
        check = getattr(module, "CHECK", None)
        if isinstance(check, Check):
            found[info.name] = check
    return found


def test_every_module_defining_a_check_is_registered() -> None:
    registered = {id(c) for c in all_checks()}
    missing = sorted(
        name for name, check in _modules_defining_a_check().items() if id(check) not in registered
    )
    assert not missing, f"check modules missing from checks/<provider>/__init__.py: {missing}"


def test_no_check_is_registered_twice() -> None:
    counts = Counter(c.id for c in all_checks())
    assert not [i for i, n in counts.items() if n > 1]


def test_the_walk_sees_the_whole_catalogue() -> None:
    # Guards the test above: a walk that found nothing would pass it vacuously.
    assert len(_modules_defining_a_check()) == len(all_checks())


def test_registering_a_module_without_a_check_is_refused() -> None:
    with pytest.raises(TypeError, match=r"checks\.aws\.resources defines no CHECK"):
        checks_of("checks.aws", "resources")
