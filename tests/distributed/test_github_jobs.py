"""GitHub in a distributed run: one job per organisation. Two organisations (one the token
cannot see) in three shards + finalize give exactly the in-process scan."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from providers.demo.fakes.github import FakeGithub
from scanner.distributed.runs import RunStore
from scanner.history.location import parse_state
from tests.distributed.support import comparable, posture
from tests.github.conftest import serving

pytestmark = pytest.mark.slow


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGithub]:
    with serving(monkeypatch) as server:
        yield server


def test_each_organisation_is_a_job_and_the_run_equals_the_in_process_scan(
    fake: FakeGithub, pg_url: str, tmp_path: Path
) -> None:
    args = ["scan", "--provider", "github", "--github-api-url", fake.url]
    args += ["--github-org", fake.org, "--github-org", "unseen-org"]
    inproc = tmp_path / "inproc.json"
    expected = posture(*args, "--state", str(tmp_path / "h.db"), "--output", f"json={inproc}")
    for k in (1, 2, 3):
        code = posture(*args, "--shard", f"{k}/3", "--run-id", "gh", "--state", pg_url, "-q")
        assert code == 0
    merged = tmp_path / "merged.json"
    code = posture("finalize", "--run-id", "gh", "--state", pg_url, "--output", f"json={merged}")
    assert code == expected == 3  # the unseen organisation's collections failed: partial
    assert comparable(merged) == comparable(inproc)
    doc = json.loads(merged.read_text())
    assert [t["account"] for t in doc["scan"]["targets"]] == [fake.org, "unseen-org"]
    with RunStore(parse_state(pg_url)) as store:
        assert [j.scope.scope for j in store.jobs("gh")] == [fake.org, "unseen-org"]
