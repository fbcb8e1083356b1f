"""Jira: one issue per failing fingerprint, found again by JQL on a label holding it.

No local bookkeeping: every run asks Jira, so a fresh machine (or a lost history) neither
duplicates issues nor forgets to close them. Per run:

* each failing finding (at or above `min_severity`) without an issue gets one; one whose issue is
  done gets a comment (and the reopen transition, if configured): the problem came back;
* each open posture issue whose finding is resolved (the diff with the last scan says so, or the
  finding now passes) gets a comment and the done transition. A finding that could not be
  evaluated this time is never resolved, so its issue stays open.

The `jira` client's own retries are off (it would repeat a create after a 429 without looking
first, opening a second issue). Reads are retried by urllib3 on throttling and 5xx answers,
honouring Retry-After; writes are retried here, and a create is repeated only after a search
by its fingerprint label found no issue. Should a duplicate exist anyway (another tool, an
older posture), the next run closes every issue but the oldest of a fingerprint, with a comment
naming the one kept. Every request has a total deadline (`deadline.py`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from jira import JIRA, JIRAError
from requests.exceptions import RequestException
from urllib3.util.retry import Retry

from scanner.config.delivery import JiraSinkConfig
from scanner.diff import FindingsDiff
from scanner.document import Document
from scanner.endpoints import origin, validate_endpoint
from scanner.models.enums import Status
from scanner.models.findings import Finding
from scanner.retries import BACKOFF_CAP_SECONDS, RETRY_AFTER_CAP_SECONDS, RETRYABLE_STATUSES
from scanner.sinks import SinkError, SinkReport
from scanner.sinks.deadline import DeadlineAdapter, DeliveryTimeoutError, mount, safe_reason

log = logging.getLogger(__name__)

MARKER_LABEL = "posture"
FINGERPRINT_LABEL_PREFIX = "posture-fp-"
JQL_CHUNK = 50
SUMMARY_MAX = 250
T = TypeVar("T")


def fingerprint_label(fingerprint: str) -> str:
    return FINGERPRINT_LABEL_PREFIX + fingerprint


def _jql_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class TrackedIssue:
    key: str
    fingerprint: str
    done: bool


def _tracked(raw: dict[str, Any]) -> TrackedIssue | None:
    fields = raw.get("fields") or {}
    labels = fields.get("labels") or []
    fp = next(
        (
            lb[len(FINGERPRINT_LABEL_PREFIX) :]
            for lb in labels
            if lb.startswith(FINGERPRINT_LABEL_PREFIX)
        ),
        None,
    )
    if fp is None:
        return None
    category = ((fields.get("status") or {}).get("statusCategory") or {}).get("key")
    return TrackedIssue(key=str(raw["key"]), fingerprint=fp, done=category == "done")


def _error_text(exc: JIRAError) -> str:
    """What Jira said, without the request headers that str(JIRAError) would include."""
    detail = ""
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            body = response.json()
            messages = list(body.get("errorMessages") or []) + [
                f"{k}: {v}" for k, v in (body.get("errors") or {}).items()
            ]
            detail = "; ".join(str(m) for m in messages)
        except ValueError:
            detail = ""
    return f"HTTP {exc.status_code}" + (f": {detail}" if detail else "")


def _backoff(attempt: int) -> float:
    return float(min(2.0**attempt * 0.1, 10.0))


def _wait(exc: JIRAError, attempt: int) -> float:
    """Jira's Retry-After (seconds) when it sent one, capped; else the exponential back-off."""
    response = getattr(exc, "response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    try:
        return (
            min(max(float(header), 0.0), RETRY_AFTER_CAP_SECONDS) if header else _backoff(attempt)
        )
    except ValueError:
        return _backoff(attempt)


def describe(f: Finding) -> str:
    evidence = json.dumps(f.evidence, indent=2, sort_keys=True)
    lines = [
        f"*{f.title}*",
        "",
        f.message,
        "",
        f"* Check: {f.check_id}",
        f"* Severity: {f.severity.value}",
        f"* SOC 2: {', '.join(f.soc2)}",
        f"* Provider/account: {f.provider} / {f.account}",
        f"* Region: {f.region or '-'}",
        f"* Resource: {f.resource.type} {f.resource.uid}",
        f"* First seen: {f.first_seen.isoformat()}",
        f"* Fingerprint: {f.fingerprint}",
        "",
        f"*Remediation:* {f.remediation}",
        "",
        "{noformat}",
        evidence.replace("{noformat}", "{ noformat}"),
        "{noformat}",
        "",
        "Opened by posture. Keep the posture-fp-… label: it links this issue to the finding.",
    ]
    return "\n".join(lines)


def summary(f: Finding) -> str:
    text = f"[posture] {f.title}: {f.resource.name}"
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


class JiraSink:
    name = "jira"

    def __init__(
        self,
        config: JiraSinkConfig,
        token: str,
        client_factory: Callable[[], JIRA] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        validate_endpoint(config.url, "jira url")
        self.config = config
        self.deadline_seconds = float(config.call_timeout_seconds * config.max_attempts)
        """Each request, its read retries included, ends within this."""
        self._token = token
        self._sleep = sleep
        self._factory = client_factory or self._connect

    def _connect(self) -> JIRA:
        auth: dict[str, Any]
        if self.config.auth == "basic":
            auth = {"basic_auth": (self.config.email or "", self._token)}
        else:
            auth = {"token_auth": self._token}
        # Retries are posture's, below: the client's would repeat a create blindly.
        reads = Retry(
            total=self.config.max_attempts - 1,
            status_forcelist=RETRYABLE_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=0.2,
            backoff_max=BACKOFF_CAP_SECONDS,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = DeadlineAdapter(self.deadline_seconds, max_retries=reads)
        client = JIRA(
            server=self.config.url,
            options={"check_update": False, "headers": {"User-Agent": "posture"}},
            max_retries=0,
            timeout=self.config.call_timeout_seconds,
            get_server_info=False,
            **auth,
        )
        mount(client._session, adapter)
        # What the constructor would have asked before the adapter was in place: the
        # deployment type decides Cloud's search API.
        info = client.server_info()
        client._version = tuple(info["versionNumbers"])
        client.deploymentType = info.get("deploymentType")
        return client

    # -- Jira reads -------------------------------------------------------------------------

    def _search(self, client: JIRA, jql: str) -> list[TrackedIssue]:
        found = client.search_issues(jql, maxResults=False, fields=["labels", "status"])
        issues = []
        for issue in found:
            tracked = _tracked(issue.raw) if hasattr(issue, "raw") else None
            if tracked is not None:
                issues.append(tracked)
        return issues

    def _project(self) -> str:
        return f"project = {_jql_string(self.config.project)}"

    def find(self, client: JIRA, fingerprints: Sequence[str]) -> dict[str, TrackedIssue]:
        """The issue of each fingerprint (the oldest, should there be several)."""
        return self._find_all(client, fingerprints)[0]

    def _find_all(
        self, client: JIRA, fingerprints: Sequence[str]
    ) -> tuple[dict[str, TrackedIssue], list[tuple[TrackedIssue, TrackedIssue]]]:
        """The oldest issue of each fingerprint, and every (newer duplicate, oldest) pair."""
        out: dict[str, TrackedIssue] = {}
        duplicates: list[tuple[TrackedIssue, TrackedIssue]] = []
        for start in range(0, len(fingerprints), JQL_CHUNK):
            chunk = fingerprints[start : start + JQL_CHUNK]
            labels = ", ".join(_jql_string(fingerprint_label(fp)) for fp in chunk)
            jql = f"{self._project()} AND labels in ({labels}) ORDER BY created ASC"
            for issue in self._search(client, jql):
                if issue.fingerprint in out:
                    duplicates.append((issue, out[issue.fingerprint]))
                    continue
                out[issue.fingerprint] = issue
        return out, duplicates

    def open_issues(self, client: JIRA) -> list[TrackedIssue]:
        jql = (
            f"{self._project()} AND labels = {_jql_string(MARKER_LABEL)}"
            " AND statusCategory != Done ORDER BY created ASC"
        )
        return self._search(client, jql)

    # -- Jira writes ------------------------------------------------------------------------

    def _retry_5xx(
        self, what: str, action: Callable[[], T], recheck: Callable[[], T | None] | None = None
    ) -> T:
        """`action`, retried on throttling, 5xx answers and lost connections; before each
        retry `recheck` may find that the first attempt did happen after all."""
        attempts = self.config.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                return action()
            except JIRAError as exc:
                retryable = exc.status_code in RETRYABLE_STATUSES
                if not retryable or attempt == attempts:
                    raise SinkError(f"jira: {what}: {_error_text(exc)}") from None
                self._sleep(_wait(exc, attempt))
            except DeliveryTimeoutError as exc:  # a slow server: another try would be as slow
                raise SinkError(f"jira {origin(self.config.url)}: {what}: {exc}") from None
            except RequestException as exc:
                if attempt == attempts:
                    raise SinkError(
                        f"jira {origin(self.config.url)}: {what}: {safe_reason(exc)}"
                    ) from None
                self._sleep(_backoff(attempt))
            if recheck is not None:
                already = recheck()
                if already is not None:
                    return already
        raise AssertionError("unreachable")

    def _create(self, client: JIRA, f: Finding) -> str:
        labels = list(
            dict.fromkeys((MARKER_LABEL, *self.config.labels, fingerprint_label(f.fingerprint)))
        )
        fields = {
            "project": {"key": self.config.project},
            "issuetype": {"name": self.config.issue_type},
            "summary": summary(f),
            "description": describe(f),
            "labels": labels,
        }

        def recheck() -> str | None:
            issue = self.find(client, [f.fingerprint]).get(f.fingerprint)
            return issue.key if issue else None

        def create() -> str:
            return str(client.create_issue(fields=fields, prefetch=False).key)

        return self._retry_5xx(f"create issue for {f.check_id}", create, recheck)

    def _transition(self, client: JIRA, key: str, name: str, comment: str) -> None:
        def run() -> None:
            available = {t["name"].lower(): t["id"] for t in client.transitions(key)}
            transition_id = available.get(name.lower())
            if transition_id is None:
                known = ", ".join(sorted(available)) or "none"
                raise SinkError(f"jira: {key} has no transition {name!r} (available: {known})")
            client.transition_issue(key, transition_id, comment=comment)

        self._retry_5xx(f"transition {key}", run)

    def _comment(self, client: JIRA, key: str, text: str) -> None:
        self._retry_5xx(f"comment on {key}", lambda: client.add_comment(key, text))

    # -- the run ----------------------------------------------------------------------------

    def preview(self, doc: Document, changes: FindingsDiff) -> SinkReport:
        """What `deliver` would do, judged from the history alone (`--dry-run`): Jira is not
        contacted, so an issue closed or deleted there by hand is not seen."""
        floor = self.config.min_severity.rank
        new = {f.fingerprint for f in changes.new}
        counts = {"would create": 0, "would resolve": 0, "already tracked": 0}
        for f in doc.findings:
            if f.status is Status.FAIL and f.severity.rank >= floor:
                counts["would create" if f.fingerprint in new else "already tracked"] += 1
        counts["would resolve"] = sum(1 for f in changes.resolved if f.severity.rank >= floor)
        return SinkReport(
            f"{self.name} project {self.config.project}",
            counts=counts,
            detail="judged from the scan history; Jira itself is not read on a dry run",
        )

    def deliver(self, doc: Document, changes: FindingsDiff) -> SinkReport:
        try:
            return self._deliver(doc, changes)
        except JIRAError as exc:
            raise SinkError(f"jira: {_error_text(exc)}") from None
        except RequestException as exc:
            raise SinkError(f"jira {origin(self.config.url)}: {safe_reason(exc)}") from None

    def _deliver(self, doc: Document, changes: FindingsDiff) -> SinkReport:
        client = self._factory()
        when = doc.scan.started_at.isoformat()
        failing = [
            f
            for f in doc.findings
            if f.status is Status.FAIL and f.severity.rank >= self.config.min_severity.rank
        ]
        counts = {"created": 0, "reopened": 0, "resolved": 0, "already open": 0}
        reappeared = {f.fingerprint for f in changes.new}
        existing, duplicates = self._find_all(client, [f.fingerprint for f in failing])
        for extra, kept in duplicates:
            if not extra.done:
                text = f"posture: a duplicate of {kept.key} (the same finding); closed here."
                self._transition(client, extra.key, self.config.done_transition, text)
                log.warning("jira: closed %s, a duplicate of %s", extra.key, kept.key)
                counts["duplicates closed"] = counts.get("duplicates closed", 0) + 1
        for f in failing:
            issue = existing.get(f.fingerprint)
            if issue is None:
                key = self._create(client, f)
                log.info("jira: opened %s for %s on %s", key, f.check_id, f.resource.uid)
                counts["created"] += 1
            elif issue.done and f.fingerprint not in reappeared:
                # Closed by hand while still failing: say so once here, not every night there.
                log.warning("jira: %s is done but %s still fails", issue.key, f.check_id)
                counts["done but failing"] = counts.get("done but failing", 0) + 1
            elif issue.done:
                text = f"posture saw this problem again in the scan of {when}: {f.message}"
                if self.config.reopen_transition:
                    self._transition(client, issue.key, self.config.reopen_transition, text)
                else:
                    self._comment(client, issue.key, text)
                counts["reopened"] += 1
            else:
                counts["already open"] += 1
        still_open = self.open_issues(client)
        resolved = _resolved_fingerprints(
            doc, changes.resolved, {i.fingerprint for i in still_open}
        )
        closed = {extra.key for extra, _ in duplicates}
        for issue in still_open:
            if issue.fingerprint in resolved and issue.key not in closed:
                text = f"posture found this resolved in the scan of {when}."
                self._transition(client, issue.key, self.config.done_transition, text)
                counts["resolved"] += 1
        return SinkReport(self.name, counts=counts)


def _resolved_fingerprints(
    doc: Document, resolved: Iterable[Finding], tracked: set[str]
) -> set[str]:
    """Of the `tracked` fingerprints, those resolved since the last scan or passing now (which
    also heals a lost history)."""
    passing = {
        f.fingerprint for f in doc.findings if f.status is Status.PASS and f.fingerprint in tracked
    }
    return passing | {f.fingerprint for f in resolved if f.fingerprint in tracked}
