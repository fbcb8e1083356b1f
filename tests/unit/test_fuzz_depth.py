"""Depth and size, fuzzed: however deep or long a file is, the evidence readers and the
findings-document reader give a value or one clear problem, never a RecursionError, a csv
traceback or a hang."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from providers.evidence.adapter import read_evidence
from providers.evidence.problems import YamlSyntaxError, load_yaml
from scanner.commands.diff import read_document
from scanner.errors import UsageError
from scanner.models.enums import Outcome
from tests.nightly.documents import golden_document

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OPENERS = {"flow list": ("[", "]"), "flow map": ("{a: ", "}"), "mixed": ("[{b: ", "}]")}


@st.composite
def nested_yaml(draw: st.DrawFn) -> str:
    opener, closer = OPENERS[draw(st.sampled_from(sorted(OPENERS)))]
    depth = draw(st.integers(0, 3000))
    inner = draw(st.sampled_from(["1", "x", "&a 1", "*a", "[*a, *a]", ""]))
    text = opener * depth + inner + closer * depth
    if draw(st.booleans()):  # block style too: indentation as nesting
        levels = draw(st.integers(0, 400))
        text = "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + "  " * levels + text
    return f"vendors: {text}\n" if draw(st.booleans()) else text


@FAST
@given(nested_yaml())
def test_any_nesting_in_evidence_yaml_loads_or_is_one_syntax_problem(text: str) -> None:
    try:
        load_yaml(text)
    except YamlSyntaxError as exc:
        assert exc.message.startswith("not valid YAML")


@FAST
@given(nested_yaml())
def test_any_nesting_in_an_evidence_file_fails_only_that_collection(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "vendors.yaml").write_text(text, encoding="utf-8")
        inventory = read_evidence(Path(tmp))
    failed = [o for o in inventory.outcomes if o.outcome is not Outcome.OK]
    assert all(o.collection == "evidence.vendors" and o.message for o in failed)


@FAST
@given(
    st.integers(0, 300_000),
    st.integers(1, 3000),
    st.sampled_from(["email", "course", "completed_on", "x"]),
    st.sampled_from(['"', "", "\r\n"]),
)
def test_long_cells_and_wide_headers_in_evidence_csv_are_one_problem_at_most(
    cell_length: int, columns: int, name: str, quote: str
) -> None:
    header = ",".join([name] * min(columns, 3) + [f"c{i}" for i in range(columns)])
    text = f"{header}\n{quote}{'v' * cell_length}{quote},2026-01-01\n"
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "training.csv").write_text(text, encoding="utf-8")
        inventory = read_evidence(Path(tmp))
    failed = [o for o in inventory.outcomes if o.outcome is not Outcome.OK]
    assert all(o.collection == "evidence.training" and o.message for o in failed)


def _nest(depth: int, kind: str) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value] if kind == "list" else {"k": value}
    return value


@FAST
@given(
    st.integers(0, 5000),
    st.sampled_from(["list", "dict"]),
    st.sampled_from(["evidence", "scan", "top"]),
    st.integers(0, 200_000),
)
def test_any_depth_or_size_in_a_findings_document_reads_or_is_one_usage_error(
    depth: int, kind: str, where: str, padding: int
) -> None:
    raw = golden_document().model_dump(mode="json")
    deep = _nest(depth, kind)
    if where == "evidence":
        raw["findings"][0]["evidence"] = {"deep": deep, "pad": "p" * padding}
    elif where == "scan":
        raw["scan"]["deep"] = deep
    else:
        raw = {"schema_version": raw["schema_version"], "findings": deep}
    try:
        text = json.dumps(raw)
    except RecursionError:  # deeper than Python's own encoder goes: write it by hand
        text = '{"schema_version": "1.1.0", "findings": ' + "[" * depth + "]" * depth + "}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "doc.json")
        path.write_text(text, encoding="utf-8")
        try:
            read_document(path)
        except UsageError as exc:
            assert str(exc).startswith(str(path)) and "\n" not in str(exc)
