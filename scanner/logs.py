"""Logging on stderr: plain lines for people, JSON lines (`--log-format json`) for collectors."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

from scanner.errors import UsageError
from scanner.redact import redact_text
from scanner.terminal import clean

_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, and any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str, ensure_ascii=False)


_current = LogFormat.TEXT

SDK_LOGGERS: dict[str, tuple[str, ...]] = {
    "botocore": ("botocore", "boto3", "s3transfer"),
    "urllib3": ("urllib3", "requests"),
    "azure": (
        "azure",
        "msal",
        "msgraph",
        "kiota_abstractions",
        "kiota_http",
        "kiota_authentication_azure",
    ),
    "httpx": ("httpx", "httpcore", "hpack", "h2"),
    "okta": ("okta", "okta-sdk-python", "aiohttp"),
    "google": ("google", "googleapiclient", "google_auth_httplib2"),
    "jira": ("jira",),
}
"""The SDKs whose debug output (request headers, response bodies) can hold secrets, by the
name `--debug-sdk` / POSTURE_DEBUG_SDK takes, and the loggers each one writes to."""
DEBUG_SDK_ENV = "POSTURE_DEBUG_SDK"


class TerminalTextFormatter(logging.Formatter):
    """`LEVEL logger: message`, made safe for a terminal (scanner.terminal.clean): a message
    may quote what an API returned. The whole formatted record is redacted, so a traceback
    (`exc_info=True`) that quotes a request cannot carry its secrets past RedactingFilter."""

    def format(self, record: logging.LogRecord) -> str:
        return clean(redact_text(super().format(record)))


class CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record is emitted, not when logging was set
    up: while the progress display runs, that is rich's proxy, which prints the line above
    the display on the one stderr console instead of through it."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        return None


class RetryNoise(logging.Filter):
    """urllib3 warns on every retry of a broken connection ("Retrying (Retry(total=3...)) after
    connection broken by ..."): the first one per run is shown as one line, the rest only at
    -vv; the call's own failure is reported as the collection's error."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Retrying"):
            return True
        if self.seen:
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        self.seen = True
        # The cause only: the request path of a webhook may hold its token.
        args = record.args if isinstance(record.args, tuple) else ()
        record.msg = "connection problem, retrying (each retry is logged at -vv): %s"
        record.args = (args[1] if len(args) > 1 else "",)
        return True


class RedactingFilter(logging.Filter):
    """Every line through the handler loses secret-looking values (`redact_text`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def sdk_debug_names(asked: Iterable[str] = (), environ: dict[str, str] | None = None) -> set[str]:
    """The SDK names asked for on the command line and in POSTURE_DEBUG_SDK (comma-separated);
    an unknown name is bad input."""
    env = os.environ if environ is None else environ
    names = {
        n.strip().lower() for n in (*asked, *env.get(DEBUG_SDK_ENV, "").split(",")) if n.strip()
    }
    unknown = sorted(names - set(SDK_LOGGERS) - {"all"})
    if unknown:
        raise UsageError(
            f"--debug-sdk {unknown[0]!r}: expected one of {', '.join(SDK_LOGGERS)} or all"
        )
    return set(SDK_LOGGERS) if "all" in names else names


def configure(
    level: int, fmt: LogFormat, stream: TextIO | None = None, debug_sdks: Iterable[str] = ()
) -> None:
    """Posture's own loggers at `level`; SDK loggers at WARNING at most unless named in
    `debug_sdks` (their debug lines carry bodies and headers), and everything redacted."""
    global _current
    _current = fmt
    handler: logging.Handler = (
        logging.StreamHandler(stream) if stream is not None else CurrentStderrHandler()
    )
    if fmt is LogFormat.JSON:
        handler.setFormatter(JsonLineFormatter())
    else:
        handler.setFormatter(TerminalTextFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    retries = logging.getLogger("urllib3.connectionpool")
    for old_filter in [f for f in retries.filters if isinstance(f, RetryNoise)]:
        retries.removeFilter(old_filter)
    retries.addFilter(RetryNoise())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    wanted = set(debug_sdks)
    for sdk, names in SDK_LOGGERS.items():
        for name in names:
            logging.getLogger(name).setLevel(
                level if sdk in wanted else max(level, logging.WARNING)
            )


def current_format() -> LogFormat:
    return _current


def notice(message: str, stream: TextIO | None = None) -> None:
    """A status line for the person or collector reading stderr (whatever the log level)."""
    out = stream or sys.stderr
    if _current is LogFormat.JSON:
        entry = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "info",
            "logger": "posture",
            "message": message,
        }
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    else:
        out.write(clean(message) + "\n")
    out.flush()


def error_line(message: str, code: int) -> str:
    """The last word of a failed command, in the log format in force."""
    if _current is LogFormat.JSON:
        entry = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "error",
            "logger": "posture",
            "message": message,
            "exit_code": code,
        }
        return json.dumps(entry, ensure_ascii=False)
    return f"posture: error: {message}"
