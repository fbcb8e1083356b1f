"""A scan's findings go through a spool on disk and are written one by one: the outputs are
the same as from the whole document, and memory does not grow with the number of findings."""

from __future__ import annotations

import io
import json
import random
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest

from scanner.document import SpooledDocument, ordered, spooled, summarise, with_findings
from scanner.history import HistoryStore
from scanner.models.enums import Severity, Status
from scanner.models.findings import Finding, FindingsDocument
from scanner.output import Format, render, write
from scanner.output.files import atomic_writer
from scanner.output.ocsf import to_ocsf
from scanner.output.sarif import every_status, to_sarif
from scanner.spool import FindingsSpool
from tests.nightly.documents import document, finding, golden_document

STATUSES = list(Status)
SEVERITIES = list(Severity)


def many(count: int, seed: int = 7) -> list[Finding]:
    rng = random.Random(seed)
    return [
        finding(
            f"aws.iam.check_{rng.randrange(30):02d}",
            f"user-{i:06d}",
            status=rng.choice(STATUSES),
            severity=rng.choice(SEVERITIES),
            region=rng.choice((None, "us-east-1", "eu-west-1")),
        )
        for i in range(count)
    ]


def as_spooled(doc: FindingsDocument) -> SpooledDocument:
    return spooled(doc.scan, reversed(doc.findings))


def test_the_spool_reads_back_in_the_document_order_and_counts_like_the_document() -> None:
    findings = many(1_200)
    spool = FindingsSpool(findings)
    assert len(spool) == 1_200
    assert tuple(spool) == ordered(findings)
    assert tuple(spool) == ordered(findings), "a spool can be read more than once"
    assert spool[0] == ordered(findings)[0]
    assert spool[-1] == ordered(findings)[-1]
    assert list(spool[3:6]) == list(ordered(findings)[3:6])
    assert spool.summary() == summarise(findings)
    with pytest.raises(IndexError):
        spool[1_200]
    with pytest.raises(RuntimeError, match="no longer be added"):
        spool.add(findings[0])


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_writes_the_same_text_from_a_spool_as_from_the_whole_document(
    fmt: Format,
) -> None:
    doc = golden_document()
    assert render(as_spooled(doc), fmt) == render(doc, fmt)


def test_streamed_json_is_exactly_the_documents_own_json() -> None:
    doc = document(many(300))
    assert render(as_spooled(doc), Format.JSON) == doc.model_dump_json(indent=2) + "\n"
    empty = document([])
    assert render(empty, Format.JSON) == empty.model_dump_json(indent=2) + "\n"


def test_streamed_sarif_and_ocsf_parse_to_the_whole_structures() -> None:
    doc = document(many(200))
    spooled_doc = as_spooled(doc)
    assert json.loads(render(spooled_doc, Format.SARIF_ALL)) == json.loads(
        json.dumps(to_sarif(doc, every_status))
    )
    assert json.loads(render(spooled_doc, Format.SARIF)) == json.loads(json.dumps(to_sarif(doc)))
    assert json.loads(render(spooled_doc, Format.OCSF)) == json.loads(json.dumps(to_ocsf(doc)))


def test_with_findings_keeps_the_documents_kind_and_recounts() -> None:
    doc = document(many(50))
    failing_only = [f for f in doc.findings if f.status is Status.FAIL]
    whole = with_findings(doc, failing_only)
    assert isinstance(whole, FindingsDocument)
    on_disk = with_findings(as_spooled(doc), failing_only)
    assert isinstance(on_disk, SpooledDocument)
    assert tuple(on_disk.findings) == tuple(whole.findings)
    assert on_disk.scan.summary == whole.scan.summary == summarise(failing_only)


def test_an_interrupted_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "findings.json"
    doc = as_spooled(document(many(100)))
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as out:
        write(doc, Format.JSON, out)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def _peak_bytes_writing(count: int) -> int:
    """Peak traced memory of spooling `count` findings and writing them out."""
    streamed = spooled(document([]).scan, many(count))
    tracemalloc.start()
    try:
        write(streamed, Format.JSON, _Discard())  # type: ignore[arg-type]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_writing_four_times_the_findings_takes_no_more_memory() -> None:
    # Both sizes fill pydantic's JSON string cache (16,384 strings: bounded, so flat beyond).
    small = _peak_bytes_writing(6_000)
    large = _peak_bytes_writing(24_000)
    # Held whole, 18,000 more findings would cost ~40 MB (about 2 KB each, plus their text).
    assert large - small < 500_000, (small, large)


def test_the_history_records_a_spooled_scan_in_batches_with_first_seen_carried_over(
    tmp_path: Path,
) -> None:
    findings = many(1_300)  # more than two of the store's batches
    day_two = document([]).scan.started_at + timedelta(days=1)
    with HistoryStore(tmp_path / "h.db") as store:
        first = store.record(as_spooled(document(findings)))
        assert isinstance(first.document, SpooledDocument)
        second_doc = document(findings, started=day_two)
        second = store.record(as_spooled(second_doc))
        assert isinstance(second.document, SpooledDocument)
        recorded = list(second.document.findings)
        assert [f.fingerprint for f in recorded] == [f.fingerprint for f in second_doc.findings]
        assert {f.first_seen for f in recorded} == {document([]).scan.started_at}
        assert {f.last_seen for f in recorded} == {day_two}
        open_count = sum(f.status in (Status.FAIL, Status.MUTED) for f in findings)
        assert len(second.diff.unchanged) == open_count and not second.diff.new
        assert second.previous is not None
        assert {f.status for f in second.previous.findings} <= {Status.FAIL, Status.MUTED}
        assert store.document(2).findings == tuple(second.document.findings)
