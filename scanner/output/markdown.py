"""A Markdown report: summary, what fails, what could not be collected, what is waived."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scanner.models.enums import Status
from scanner.models.findings import FindingsDocument


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "\\`")


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(_esc(c) for c in row) + " |" for row in rows)
    return lines


def render(doc: FindingsDocument) -> str:
    h = doc.scan
    targets = ", ".join(f"{t.provider}:{t.account}" for t in h.targets) or "nothing"
    out = [
        "# posture scan report",
        "",
        f"- Scanned: {_esc(targets)}",
        f"- Started: {h.started_at.isoformat()}; finished: {h.finished_at.isoformat()}",
        f"- Tool: posture {h.tool_version}; findings schema {doc.schema_version}",
        f"- Checks run: {h.checks_run}",
    ]
    if h.partial:
        out.append("- **Partial scan**: some data could not be collected (see below).")
    out += ["", "## Summary", ""]
    out += _table(("status", "count"), ((s.value, str(n)) for s, n in h.summary.by_status.items()))
    out += [""]
    out += _table(
        ("severity", "failing"),
        ((s.value, str(n)) for s, n in h.summary.failed_by_severity.items()),
    )
    failing = [f for f in doc.findings if f.status is Status.FAIL]
    out += ["", f"## Failing findings ({len(failing)})", ""]
    if failing:
        out += _table(
            (
                "severity",
                "check",
                "resource",
                "account",
                "region",
                "SOC 2",
                "message",
                "first seen",
            ),
            (
                (
                    f.severity.value,
                    f.check_id,
                    f.resource.name,
                    f.account,
                    f.region or "-",
                    ", ".join(f.soc2),
                    f.message,
                    f.first_seen.date().isoformat(),
                )
                for f in failing
            ),
        )
    else:
        out.append("None.")
    if h.errors:
        out += ["", f"## Collection errors ({len(h.errors)})", ""]
        out += _table(
            ("provider", "account", "collection", "scope", "outcome", "missing"),
            (
                (e.provider, e.account, e.collection, e.scope or "-", e.outcome, e.missing or "-")
                for e in h.errors
            ),
        )
    muted = [f for f in doc.findings if f.status is Status.MUTED and f.waiver]
    if muted:
        out += ["", f"## Waived findings ({len(muted)})", ""]
        out += _table(
            ("check", "resource", "reason", "owner", "expires"),
            (
                (f.check_id, f.resource.name, w.reason, w.owner, w.expires.isoformat())
                for f in muted
                if (w := f.waiver)
            ),
        )
    return "\n".join(out) + "\n"
