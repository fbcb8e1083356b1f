"""Odd evidence files (policy front matter, CSV exports, YAML lists) never crash the reader.

Whatever the files hold, `read_evidence` returns an inventory and `all_problems` a list; every
problem found makes its collection an `error` outcome (never a silently shorter list).
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from providers.evidence import layout
from providers.evidence.adapter import all_problems, read_evidence
from scanner.inventory import evidence as ev
from scanner.models.enums import Outcome

cells = st.one_of(
    st.sampled_from(
        [
            "",
            "2025-01-31",
            "2025-13-45",
            "31/01/2025",
            "yesterday",
            "alice@acme.example",
            "not an email",
            "high",
            "critical",
            "12",
            "-3",
            "yes",
            "none",
            '"quoted, comma"',
            "=HYPERLINK()",
        ]
    ),
    st.text(alphabet=string.printable, max_size=12),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates().map(str),
    st.dates(),
    cells,
)
yaml_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(string.ascii_lowercase + "_", max_size=10), children, max_size=3)
    ),
    max_leaves=12,
)
FRONT_MATTER_KEYS = st.sampled_from(
    [
        "title",
        "owner",
        "approved_by",
        "approved_on",
        "approval_date",
        "review_interval",
        "review_cycle",
        "version",
        "id",
        "Approved On",
        "bogus",
    ]
)
front_matter = st.one_of(
    st.dictionaries(FRONT_MATTER_KEYS, yaml_values, max_size=7).map(
        lambda d: yaml.safe_dump(d, default_flow_style=False)
    ),
    st.text(alphabet=string.printable, max_size=200),
)

CSV_FILES = {
    layout.TRAINING_FILE: layout.TRAINING_COLUMNS,
    layout.ACCESS_REVIEWS_FILE: layout.ACCESS_REVIEW_COLUMNS,
    layout.LEAVERS_FILE: layout.LEAVER_COLUMNS,
    layout.RISK_REGISTER_FILE: layout.RISK_COLUMNS,
}
YAML_FILES = {
    layout.VENDORS_FILE: "vendors",
    layout.EXERCISES_FILE: "exercises",
    layout.IDENTITY_MAP_FILE: "people",
    layout.MANIFEST_FILE: None,
}


@st.composite
def csv_text(draw: st.DrawFn, columns: tuple[str, ...]) -> str:
    extra = draw(st.lists(st.sampled_from(["notes", "completed", "email", "", "x"]), max_size=2))
    header = [c for c in columns if draw(st.integers(0, 9)) > 0] + extra
    rows = draw(
        st.lists(st.lists(cells, min_size=0, max_size=len(header) + 1), min_size=0, max_size=4)
    )
    lines = [",".join(header), *(",".join(r) for r in rows)]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n", '\n"unclosed']))


@st.composite
def yaml_text(draw: st.DrawFn, key: str | None) -> str:
    body: Any = draw(
        st.lists(
            st.dictionaries(
                st.text(string.ascii_lowercase + "_", min_size=1, max_size=14), yaml_values
            ),
            max_size=3,
        )
        | yaml_values
    )
    data = {key: body} if key and draw(st.booleans()) else body
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(alphabet=string.printable, max_size=120))
    return yaml.safe_dump(data)


@st.composite
def evidence_tree(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for rel, columns in CSV_FILES.items():
        if draw(st.booleans()):
            files[rel] = draw(csv_text(columns))
    for rel, key in YAML_FILES.items():
        if draw(st.booleans()):
            files[rel] = draw(yaml_text(key))
    for i in range(draw(st.integers(0, 2))):
        body = draw(front_matter)
        opening = draw(st.sampled_from(["---\n", "---\r\n", "", "\ufeff---\n"]))
        closing = draw(st.sampled_from(["\n---\n", "\n---", "\n...\n", ""]))
        files[f"{layout.POLICIES_DIR}/policy-{i}.md"] = f"{opening}{body}{closing}# Policy\n"
    return files


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(evidence_tree())
def test_any_evidence_directory_reads_to_an_inventory_or_collection_errors(
    files: dict[str, str],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        inventory = read_evidence(root)
        problems = all_problems(root)
    failed = {o.collection for o in inventory.outcomes if o.outcome is not Outcome.OK}
    assert all(o.outcome in (Outcome.OK, Outcome.ERROR) for o in inventory.outcomes)
    if problems:
        assert failed, problems
    for outcome in inventory.outcomes:
        if outcome.outcome is Outcome.ERROR:
            assert outcome.message and outcome.missing
    if any(p.file.startswith(layout.POLICIES_DIR) for p in problems if p.file):
        assert ev.POLICIES in failed
