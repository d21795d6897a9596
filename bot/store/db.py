"""Opening the SQLite file: connection settings, migrations, and the clock rows are stamped with."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.store.errors import StoreError
from bot.store.migrations import migrate

log = logging.getLogger(__name__)

DEFAULT_DB = "heard.db"
BUSY_TIMEOUT_MS = 5000

Clock = Callable[[], datetime]


def default_path() -> str:
    """The database file: HEARD_DB if set, else heard.db in the current folder."""
    return os.environ.get("HEARD_DB") or DEFAULT_DB


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds: sorts as text, reads as a time."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


async def connect(path: str | Path) -> aiosqlite.Connection:
    """Open (creating if needed) and migrate the database at `path`."""
    where = str(path)
    if where != ":memory:":
        folder = Path(where).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreError(
                f"cannot create the database {where}: the folder {folder} does not exist. "
                "Create it, or set HEARD_DB / --db to a file in an existing folder."
            )
    try:
        # Autocommit: a single statement is its own transaction; longer ones say BEGIN (see base.py).
        conn = await aiosqlite.connect(where, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {where}: {exc}. Check HEARD_DB / --db.") from exc
    try:
        # WAL lets the bot read while it writes; NORMAL is durable across app crashes under WAL
        # (only a power cut can lose the last commits) and saves an fsync per turn.
        await (await conn.execute("PRAGMA journal_mode = WAL")).close()  # close: the row keeps it open
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await migrate(conn, where)
    except sqlite3.DatabaseError as exc:
        await conn.close()
        raise StoreError(
            f"{where} is not a Heard database ({exc}). Point HEARD_DB / --db at another file."
        ) from exc
    except BaseException:
        await conn.close()
        raise
    return conn
