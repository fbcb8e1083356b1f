"""Logging on stderr: plain lines for people, JSON lines (`--log-format json`) for collectors."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

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


def configure(level: int, fmt: LogFormat, stream: TextIO | None = None) -> None:
    global _current
    _current = fmt
    handler = logging.StreamHandler(stream or sys.stderr)
    if fmt is LogFormat.JSON:
        handler.setFormatter(JsonLineFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


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
        out.write(message + "\n")
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
