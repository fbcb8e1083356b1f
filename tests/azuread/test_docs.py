"""The permission table in docs/azuread.md stays in step with providers/azuread/permissions.py."""

from __future__ import annotations

from pathlib import Path

from checks.azuread import CHECKS
from providers.azuread.permissions import NEEDS, required_permissions
from scanner.inventory import azuread as inv

DOC = Path(__file__).resolve().parents[2] / "docs" / "azuread.md"


def test_every_permission_and_check_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for permission in required_permissions():
        assert f"`{permission}`" in text, permission
    for check in CHECKS:
        assert f"`{check.id}`" in text, check.id


def test_every_collection_a_check_reads_names_its_permission() -> None:
    for check in CHECKS:
        for collection in check.meta.requires:
            assert collection in NEEDS, (check.id, collection)
    assert set(NEEDS) == {
        v
        for k, v in vars(inv).items()
        if k.isupper() and isinstance(v, str) and v.startswith("azuread.")
    }
