"""Hostile evidence directories: every bad file is one problem for that file (its collection
an error, the scan partial, exit 3), never a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from providers.evidence.adapter import read_evidence
from providers.evidence.loaders import MAX_FILE_BYTES
from providers.evidence.problems import MAX_DEPTH
from scanner.models.enums import Outcome
from tests.limits import run_with_memory_limit


def _errors(root: Path) -> dict[str | None, str]:
    """Collection (or policy scope) -> message, for the collections that failed."""
    inv = read_evidence(root)
    return {
        (o.scope or o.collection): o.message for o in inv.outcomes if o.outcome is Outcome.ERROR
    }


def _alias_bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    return "vendors:\n  - name: x\n" + "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_under_a_memory_limit(tmp_path: Path) -> None:
    """9^9 strings if expanded; refused while parsing, inside a 1 GiB address space."""
    (tmp_path / "vendors.yaml").write_text(_alias_bomb(), encoding="utf-8")
    done = run_with_memory_limit(
        f"""
        import sys
        from scanner.cli import _run
        sys.exit(int(_run(["scan", "--provider", "evidence", "--evidence", {str(tmp_path)!r},
                           "--output", {str(tmp_path / "out.json")!r}])))
        """,
        limit_bytes=1 << 30,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "aliases (*name) are not allowed" in done.stderr


def test_deep_nesting_in_evidence_yaml_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "vendors.yaml").write_text("vendors: " + "[" * 5000 + "]" * 5000)
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "deep.md").write_text("---\ntitle: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n---\n")
    errors = _errors(tmp_path)
    assert f"nested more than {MAX_DEPTH} levels deep" in errors["evidence.vendors"]
    assert "nested more than" in errors["policies/deep.md"]


def test_nesting_within_the_bound_still_loads(tmp_path: Path) -> None:
    nested = "[" * (MAX_DEPTH - 4) + "1" + "]" * (MAX_DEPTH - 4)
    (tmp_path / "vendors.yaml").write_text(
        f"vendors:\n  - name: Stripe\n    criticality: low\n    data_access: none\n"
        f"    notes: {nested}\n"
    )
    assert "not valid YAML" not in _errors(tmp_path).get("evidence.vendors", "")


def test_a_fifo_does_not_hang_the_scan(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "training.csv")
    os.mkfifo(tmp_path / "policies")  # not even a directory: no policies, no hang
    errors = _errors(tmp_path)
    assert "refused: not a regular file" in errors["evidence.training"]


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "risk-register.csv").symlink_to("/dev/zero")
    errors = _errors(tmp_path)
    assert "refused" in errors["policies/zero.md"]
    assert "refused" in errors["evidence.risk_register"]


def test_a_link_outside_the_evidence_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("email,left_on\nroot@acme.example,2026-01-01\n")
    root = tmp_path / "evidence"
    (root / "hr").mkdir(parents=True)
    (root / "hr" / "leavers.csv").symlink_to(outside)
    (root / "hr" / "extra.csv").symlink_to("../../secret.csv")
    assert "points outside the evidence directory" in _errors(root)["evidence.leavers"]


def test_a_link_inside_the_evidence_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "leavers-2026.csv").write_text(
        "email,left_on\na@acme.example,2026-01-01\n"
    )
    (tmp_path / "hr").mkdir()
    (tmp_path / "hr" / "leavers.csv").symlink_to("../exports/leavers-2026.csv")
    inv = read_evidence(tmp_path)
    assert [leaver.email for leaver in inv.leavers] == ["a@acme.example"]


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    with (tmp_path / "training.csv").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    assert "larger than 16 MiB" in _errors(tmp_path)["evidence.training"]


def test_a_csv_header_cell_over_the_field_limit_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "training.csv").write_text("email,course," + "c" * 200_000 + "\n")
    assert "not valid CSV (field larger than field limit" in _errors(tmp_path)["evidence.training"]


@pytest.mark.parametrize("name", ["vendors.yaml", "training.csv"])
def test_a_hostile_evidence_file_fails_only_its_collection(tmp_path: Path, name: str) -> None:
    (tmp_path / name).symlink_to("/dev/urandom")
    (tmp_path / "evidence.yaml").write_text("organisation: Acme\n")
    inv = read_evidence(tmp_path)
    failed = [o.collection for o in inv.outcomes if o.outcome is Outcome.ERROR]
    assert len(failed) == 1 and inv.account == "Acme"


def test_unprintable_characters_in_evidence_yaml_are_one_problem(tmp_path: Path) -> None:
    (tmp_path / "identity-map.yaml").write_text("people:\n  - person: a\x07b\n")
    assert "not valid YAML" in _errors(tmp_path)["evidence.identity_map"]
