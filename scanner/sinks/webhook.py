"""A generic webhook: POSTs new and resolved findings as JSON, signed with HMAC-SHA256.

Receivers verify ``X-Posture-Signature: sha256=<hex>``, the HMAC of
``<X-Posture-Timestamp>.<raw body>`` under the shared secret, and reject stale timestamps.
``X-Posture-Delivery`` is the same on every retry of one delivery, for de-duplication.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.util.retry import Retry

from scanner import __version__
from scanner.config.delivery import WebhookSinkConfig
from scanner.diff import FindingsDiff
from scanner.document import Document
from scanner.endpoints import origin, validate_endpoint
from scanner.models.enums import Status
from scanner.models.findings import Finding
from scanner.retries import BACKOFF_CAP_SECONDS, RETRYABLE_STATUSES
from scanner.sinks import SinkError, SinkReport
from scanner.sinks.deadline import DeadlineAdapter, mount, safe_reason

SIGNATURE_HEADER = "X-Posture-Signature"
TIMESTAMP_HEADER = "X-Posture-Timestamp"
DELIVERY_HEADER = "X-Posture-Delivery"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def payload(doc: Document, changes: FindingsDiff, config: WebhookSinkConfig) -> dict[str, Any]:
    def wanted(f: Finding) -> bool:
        return f.severity.rank >= config.min_severity.rank

    h = doc.scan
    return {
        "event": "posture.scan.changes",
        "schema_version": doc.schema_version,
        "scan": {
            "tool_version": h.tool_version,
            "started_at": h.started_at.isoformat(),
            "finished_at": h.finished_at.isoformat(),
            "partial": h.partial,
            "targets": [t.model_dump(mode="json") for t in h.targets],
            "summary": h.summary.model_dump(mode="json"),
        },
        "new": [
            f.model_dump(mode="json") for f in changes.new if f.status is Status.FAIL and wanted(f)
        ],
        "resolved": [f.model_dump(mode="json") for f in changes.resolved if wanted(f)],
    }


class _HideUrl(logging.Filter):
    """urllib3 logs the request path on retries; a hook's path or query may hold a token."""

    def __init__(self, secret_part: str) -> None:
        super().__init__()
        self.secret_part = secret_part

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret_part in message:
            record.msg, record.args = message.replace(self.secret_part, "/***"), ()
        return True


def _hide_in_logs(url: str) -> None:
    parts = urlsplit(url)
    secret_part = parts.path + (f"?{parts.query}" if parts.query else "")
    if secret_part in ("", "/"):
        return
    for name in ("urllib3.connectionpool", "urllib3.util.retry"):
        logger = logging.getLogger(name)
        if not any(
            isinstance(f, _HideUrl) and f.secret_part == secret_part for f in logger.filters
        ):
            logger.addFilter(_HideUrl(secret_part))


class WebhookSink:
    name = "webhook"

    def __init__(
        self,
        config: WebhookSinkConfig,
        secret: str,
        backoff_factor: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        validate_endpoint(config.url, "webhook url")
        _hide_in_logs(config.url)
        self.config = config
        self._secret = secret
        self._clock = clock
        retry = Retry(
            total=config.max_attempts - 1,
            status_forcelist=RETRYABLE_STATUSES,
            allowed_methods=None,  # POST too: receivers de-duplicate on the delivery id
            backoff_factor=backoff_factor,
            backoff_max=BACKOFF_CAP_SECONDS,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self._session = requests.Session()
        # One delivery (every attempt, each answer whole) ends within its total deadline.
        self.deadline_seconds = float(config.call_timeout_seconds * config.max_attempts)
        mount(self._session, DeadlineAdapter(self.deadline_seconds, max_retries=retry))

    def preview(self, doc: Document, changes: FindingsDiff) -> SinkReport:
        """What `deliver` would POST, without a connection (`--dry-run`)."""
        body_obj = payload(doc, changes, self.config)
        new, resolved = len(body_obj["new"]), len(body_obj["resolved"])
        if not (new or resolved or self.config.send_when_unchanged):
            return SinkReport(self.name, counts={"would skip (no change)": 1})
        size = len(json.dumps(body_obj, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        return SinkReport(
            f"{self.name} to {origin(self.config.url)}",
            counts={"would send new": new, "would send resolved": resolved},
            detail=f"one signed POST of {size:,} bytes",
        )

    def deliver(self, doc: Document, changes: FindingsDiff) -> SinkReport:
        body_obj = payload(doc, changes, self.config)
        counts = {"new": len(body_obj["new"]), "resolved": len(body_obj["resolved"])}
        if not (counts["new"] or counts["resolved"] or self.config.send_when_unchanged):
            return SinkReport(self.name, counts={"skipped (no change)": 1})
        body = json.dumps(body_obj, separators=(",", ":"), sort_keys=True).encode("utf-8")
        timestamp = str(int(self._clock()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"posture/{__version__}",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
            DELIVERY_HEADER: str(uuid.uuid4()),
        }
        try:
            response = self._session.post(
                self.config.url,
                data=body,
                headers=headers,
                timeout=self.config.call_timeout_seconds,
                # A redirect would carry the findings, the signature and the URL's token to
                # wherever the receiver points: never followed.
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise SinkError(f"webhook {origin(self.config.url)}: {safe_reason(exc)}") from None
        if response.is_redirect or 300 <= response.status_code < 400:
            raise SinkError(
                f"webhook {origin(self.config.url)}: HTTP {response.status_code} redirect, "
                "not followed (a sink delivers only to its configured URL)"
            )
        if not response.ok:
            raise SinkError(f"webhook {origin(self.config.url)}: HTTP {response.status_code}")
        return SinkReport(
            self.name, counts={"sent new": counts["new"], "sent resolved": counts["resolved"]}
        )
