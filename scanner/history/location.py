"""Where the history lives: a SQLite file (the embedded default) or a PostgreSQL URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from scanner.errors import UsageError

_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


@dataclass(frozen=True)
class DatabaseUrl:
    """A PostgreSQL history. Prints without its password (it goes into logs and errors)."""

    url: URL

    def __str__(self) -> str:
        return self.url.render_as_string(hide_password=True)

    # The same questions callers ask of a history file: a server "exists" once named.
    def exists(self) -> bool:
        return True

    def is_file(self) -> bool:
        return True

    def is_dir(self) -> bool:
        return False


StateLocation = Path | DatabaseUrl


def parse_state(value: str | Path) -> StateLocation:
    """`--state`: a PostgreSQL URL (postgresql://user@host/db) or a SQLite file path."""
    text = str(value)
    if not text.startswith(_SCHEMES):
        if "://" in text:
            raise UsageError(
                f"--state {text.split('://')[0]}://...: expected a file path or postgresql://"
            )
        return Path(value)
    try:
        url = make_url(text)
    except ArgumentError:
        raise UsageError("--state: not a valid postgresql:// URL") from None
    # psycopg 3 is the driver we ship with; plain postgresql:// would ask for psycopg2.
    return DatabaseUrl(url.set(drivername="postgresql+psycopg"))
