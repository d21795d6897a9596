"""What every part of the Store shares: the connection, a write lock, and the clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aiosqlite

from bot.store.db import Clock, stamp


class StoreBase:
    def __init__(self, conn: aiosqlite.Connection, path: str, clock: Clock) -> None:
        self._conn = conn
        self.path = path
        self._clock = clock
        # One connection is shared by every coroutine; without the lock, another coroutine's
        # statements could land inside our transaction (and be committed or rolled back with it).
        self._write_lock = asyncio.Lock()

    def _now(self) -> str:
        return stamp(self._clock())

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Statements run inside are committed together, or not at all."""
        async with self._write_lock:
            # IMMEDIATE takes the write lock now, so a second process waits (busy timeout) at BEGIN
            # instead of failing half-way through.
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                await self._conn.commit()
            except BaseException:
                await self._conn.rollback()
                raise

    async def _fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def _fetchone(self, sql: str, params: tuple[object, ...] = ()) -> tuple[object, ...] | None:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    async def _fetch_for_sessions(self, sql: str, session_ids: Sequence[int]) -> list[tuple[object, ...]]:
        """Rows of `sql` for many sessions: its `{ids}` stands for the placeholders of
        `session_id IN (...)`, filled 500 ids per query (SQLite's limit on parameters)."""
        rows: list[tuple[object, ...]] = []
        ids = list(dict.fromkeys(session_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += await self._fetchall(sql.format(ids=", ".join("?" * len(chunk))), tuple(chunk))
        return rows
