"""After a scan: waivers, history, output files, sinks, in that order.

Results (history and files) are written before any sink runs, so a failing Jira or webhook
never costs a scan; it turns the exit code into ExitCode.DELIVERY instead.
"""

from __future__ import annotations

import fnmatch
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from scanner.config import PostureConfig
from scanner.config.delivery import SinksConfig
from scanner.diff import FindingsDiff, diff
from scanner.document import Document
from scanner.endpoints import validate_endpoint
from scanner.errors import PostureError, UsageError
from scanner.history import HistoryStore, default_state_path
from scanner.history.location import StateLocation
from scanner.history.store import scope_of
from scanner.models.findings import FindingsDocument
from scanner.output import EVERY_FORMAT, Format, parse_format, write
from scanner.output.files import atomic_writer
from scanner.sinks import Sink, SinkFactory, SinkReport
from scanner.waivers import WaiverState, WaiverUse, apply_waivers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutputTarget:
    format: Format
    path: Path


EXTENSIONS: dict[str, Format] = {
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".csv": Format.CSV,
    ".sarif": Format.SARIF,
    ".md": Format.MARKDOWN,
    ".txt": Format.TABLE,
}
"""What a plain --output PATH is written as when --format is not given."""
_FORMAT_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def parse_output(value: str, default: Format | None) -> OutputTarget:
    """`FORMAT=PATH`, or a plain PATH in the --format format (without one: by its extension)."""
    name, sep, rest = value.partition("=")
    if sep and _FORMAT_PREFIX.match(name):
        if name.lower() not in {f.value for f in EVERY_FORMAT}:
            known = ", ".join(f.value for f in EVERY_FORMAT)
            raise UsageError(f"--output {value!r}: unknown format {name!r} (expected: {known})")
        if not rest:
            raise UsageError(f"--output {value!r}: no path after {name}=")
        return OutputTarget(parse_format(name), Path(rest))
    path = Path(value)
    if default is not None:
        return OutputTarget(default, path)
    by_extension = EXTENSIONS.get(path.suffix.lower())
    if by_extension is None:
        known = ", ".join(EXTENSIONS)
        raise UsageError(
            f"--output {value!r}: cannot tell the format from the file name (known endings: "
            f"{known}); write FORMAT=PATH or pass --format"
        )
    return OutputTarget(by_extension, path)


def output_targets(
    values: Sequence[str], default: Format | None, config: PostureConfig
) -> list[OutputTarget]:
    targets = [parse_output(v, default) for v in values]
    targets += [OutputTarget(o.format, o.path) for o in config.outputs]
    seen: set[Path] = set()
    for t in targets:
        if t.path in seen:
            raise UsageError(f"--output: {t.path} is given twice")
        seen.add(t.path)
        if t.path.is_dir():
            raise UsageError(f"--output {t.path} is a directory, not a file")
        parent = t.path.parent if str(t.path.parent) else Path()
        if not parent.is_dir():
            raise UsageError(f"--output {t.path}: directory {parent} does not exist")
    return targets


def check_suppressions(config: PostureConfig, known_check_ids: Sequence[str]) -> None:
    for i, s in enumerate(config.suppressions):
        if s.check is not None and not fnmatch.filter(known_check_ids, s.check):
            raise UsageError(
                f"suppressions.{i}.check: {s.check!r} names no check (see `posture checks list`)"
            )


def history_path(config: PostureConfig, override: StateLocation | None) -> StateLocation:
    return override or config.history.path or default_state_path()


def _jira(sinks: SinksConfig) -> SinkFactory:
    cfg = sinks.jira
    if cfg is None:
        raise UsageError("--ticket jira needs a sinks.jira section in the config")
    try:
        from scanner.sinks.jira import JiraSink
    except ModuleNotFoundError as exc:
        if exc.name != "jira":
            raise
        raise UsageError(
            "the Jira sink needs its client: pip install 'posture-scanner[jira]'"
        ) from None

    validate_endpoint(cfg.url, "sinks.jira.url")
    token = cfg.token.resolve("sinks.jira.token")

    def make() -> Sink:
        return JiraSink(cfg, token)

    return make


def _webhook(sinks: SinksConfig) -> SinkFactory:
    cfg = sinks.webhook
    if cfg is None:
        raise UsageError("--ticket webhook needs a sinks.webhook section in the config")
    from scanner.sinks.webhook import WebhookSink

    validate_endpoint(cfg.url, "sinks.webhook.url")
    secret = cfg.secret.resolve("sinks.webhook.secret")

    def make() -> Sink:
        return WebhookSink(cfg, secret)

    return make


SINKS: dict[str, Callable[[SinksConfig], SinkFactory]] = {"jira": _jira, "webhook": _webhook}
"""Every sink by name (`--ticket NAME`, the config's `sinks.NAME` section) and its builder."""


def build_sinks(
    config: PostureConfig, tickets: Sequence[str], demo: bool = False, dry_run: bool = False
) -> list[tuple[str, SinkFactory]]:
    """The sinks to run: those named by --ticket, else, when the config says `deliver: true`
    (cron), those it enables. A demo never delivers (a dry run of one may show what would go).

    Endpoints and secrets are checked here, before the scan, so a plain-http URL or a missing
    token fails fast (exit 2).
    """
    unknown = [t for t in tickets if t not in SINKS]
    if unknown:
        raise UsageError(f"unknown sink {unknown[0]!r} (expected one of: {', '.join(SINKS)})")
    if demo and not dry_run:
        if tickets:
            raise UsageError("--ticket with --demo: a demo's findings are never delivered")
        return []
    sinks = config.sinks
    names = list(dict.fromkeys(tickets))
    if not names and sinks.deliver:
        names = [n for n in SINKS if (c := getattr(sinks, n)) is not None and c.enabled]
    return [(name, SINKS[name](sinks)) for name in names]


@dataclass
class Prepared:
    document: Document
    changes: FindingsDiff
    waivers: list[WaiverUse]
    previous: FindingsDocument | None = None
    scan_id: int | None = None
    problems: list[str] = field(default_factory=list)
    """Delivery failures (history, sinks): results exist, but something did not get through."""


def warn_about_waivers(uses: Sequence[WaiverUse]) -> None:
    for u in uses:
        s = u.suppression
        where = f"suppressions.{u.index} ({s.describe()}; owner {s.owner})"
        if u.state is WaiverState.EXPIRED:
            log.warning(
                "%s expired on %s; %d failing finding(s) no longer muted",
                where,
                s.expires.isoformat(),
                u.matched,
            )
        elif u.state is WaiverState.STALE:
            log.warning("%s is stale: it matched no failing finding", where)


def prepare(
    doc: Document,
    config: PostureConfig,
    state: StateLocation | None,
    record: bool,
    dry_run: bool = False,
) -> Prepared:
    """Applies waivers, then records the scan (whole, one transaction) and diffs it.

    A dry run diffs with the history without recording: the next real run still sees as new
    what this one only previewed."""
    doc, uses = apply_waivers(doc, config.suppressions, doc.scan.started_at.date())
    warn_about_waivers(uses)
    path = history_path(config, state)
    if dry_run:
        previous = _last_recorded(path, doc) if record else None
        return Prepared(doc, diff(previous, doc), uses, previous)
    if not record:
        return Prepared(doc, diff(None, doc), uses)
    try:
        with HistoryStore(path) as store:
            recorded = store.record(doc, config.history.keep_scans)
    except PostureError as exc:
        log.error("history not recorded: %s", exc)
        return Prepared(doc, diff(None, doc), uses, problems=[f"history: {exc}"])
    except (SQLAlchemyError, OSError) as exc:  # locked past the busy timeout, disk full...
        log.error("history not recorded (%s: %s)", type(exc).__name__, exc)
        return Prepared(doc, diff(None, doc), uses, problems=[f"history: {type(exc).__name__}"])
    except Exception as exc:
        # A corrupted row (a body that is not zlib, JSON that no longer validates) must not
        # cost this scan its outputs: it is a history problem, exit 4, and every later scan
        # says the same until the store is repaired (`posture history` names the scans).
        log.error(
            "history not recorded: cannot read the previous scan of %s in %s (%s)",
            scope_of(doc),
            path,
            type(exc).__name__,
        )
        return Prepared(
            doc,
            diff(None, doc),
            uses,
            problems=[f"history: the previous scan in {path} does not read ({type(exc).__name__})"],
        )
    return Prepared(recorded.document, recorded.diff, uses, recorded.previous, recorded.scan_id)


def _last_recorded(path: StateLocation, doc: Document) -> FindingsDocument | None:
    if not path.is_file():
        return None
    try:
        with HistoryStore(path, read_only=True) as store:
            return store.latest(scope_of(doc))
    except (PostureError, SQLAlchemyError, OSError) as exc:
        log.warning("history not read for the dry run (%s): all open findings count as new", exc)
        return None


def write_outputs(doc: Document, targets: Sequence[OutputTarget]) -> None:
    for t in targets:
        with atomic_writer(t.path) as out:
            write(doc, t.format, out)


def sink_problems(reports: Sequence[SinkReport]) -> list[str]:
    return [r.describe() for r in reports if not r.ok]
