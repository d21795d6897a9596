"""`Store`: Heard's SQLite database (sessions, transcripts, notes, scenario versions, guild settings)."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

from bot.store.db import Clock, connect, default_path, utc_now
from bot.store.guilds import Guilds
from bot.store.notes import Notes
from bot.store.sessions import Sessions

log = logging.getLogger(__name__)


class Store(Sessions, Notes, Guilds):
    """One open database. `store = await Store.open(path)`, or `async with await Store.open(...)`."""

    @classmethod
    async def open(cls, path: str | Path | None = None, *, clock: Clock = utc_now) -> Store:
        """Open (creating and migrating if needed) the database at `path` (default: HEARD_DB or heard.db)."""
        where = str(path) if path is not None else default_path()
        conn = await connect(where)
        log.debug("opened database %s", where)
        return cls(conn, where, clock)

    async def close(self) -> None:
        await self._conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
