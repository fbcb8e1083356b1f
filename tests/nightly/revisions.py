"""A history store as an older posture left it: migrated up to `revision` only, with the
rows a test writes into it, for the upgrade tests of the later migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from scanner.history import database
from scanner.history.location import StateLocation


@contextmanager
def store_at(location: StateLocation, revision: str) -> Iterator[Connection]:
    """A transaction on the store at `location`, migrated to `revision` and no further."""
    engine = database.open_engine(location, 5000, read_only=False)
    config = Config()
    config.set_main_option("script_location", str(Path(database.__file__).with_name("migrations")))
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            yield conn
    finally:
        engine.dispose()
