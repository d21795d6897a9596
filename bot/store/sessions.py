"""Sessions and their transcripts: create, record a turn, end, find, list.

A learner turn, the client's answer and the new engine state are committed in one transaction, before
the answer is shown: a crash never loses a turn that was answered, and the session resumes from the
stored state.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.debrief.records import SessionRecord, TurnRecord
from bot.engine import TurnResult
from bot.scenario.model import Scenario
from bot.store.base import StoreBase
from bot.store.db import stamp
from bot.store.errors import SessionNotFound
from bot.store.rows import SESSION_COLUMNS, TURN_COLUMNS, dumps, session_record, turn_record

log = logging.getLogger(__name__)

STATUSES = ("active", "paused", "finished", "abandoned")
OPEN_STATUSES = ("active", "paused")
ANY: Any = object()  # "do not filter on this" (None is a real value: terminal sessions have no guild)

# Client lines outside a learner turn: row `offset` (1, 2...) of a batch that ends with _COUNT_LINES.
_INSERT_LINE = (
    "INSERT INTO turns (session_id, seq, speaker, text, detection, node, branch, vars, at) "
    "SELECT id, lines + ?9, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM sessions WHERE id = ?1"
)
_COUNT_LINES = "UPDATE sessions SET lines = lines + ? WHERE id = ?"
# One statement, one round trip: the trigger behind the view writes the rows and the state (migration 2).
_RECORD_TURN = (
    "INSERT INTO turn_writes (session_id, reply, detection, from_node, branch, lines, to_node, vars, state, "
    "at, status, outcome, ending, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SAVE_STATE = "UPDATE sessions SET state = ?, updated_at = ? WHERE id = ?"


class Sessions(StoreBase):
    async def _add_client_lines(
        self, db: Any, session_id: int, lines: Sequence[str], node: str | None, vars_: str, now: str
    ) -> None:
        """Inside a transaction: the client's lines as the next transcript rows."""
        if not lines:
            return
        await db.executemany(
            _INSERT_LINE,
            [
                (session_id, "client", line, None, node, None, vars_, now, i)
                for i, line in enumerate(lines, 1)
            ],
        )
        await db.execute(_COUNT_LINES, (len(lines), session_id))

    async def save_scenario_version(self, scenario: Scenario) -> str:
        """Keep the exact YAML a session is played with; returns its content hash."""
        async with self._transaction() as db:
            await self._insert_version(db, scenario)
        return scenario.content_hash

    async def _insert_version(self, db: Any, scenario: Scenario) -> None:
        if not scenario.content_hash or not scenario.source:
            raise ValueError(f"scenario {scenario.id!r} has no source/content hash; load it from YAML")
        await db.execute(
            "INSERT OR IGNORE INTO scenario_versions (hash, scenario_id, source, path, added_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (scenario.content_hash, scenario.id, scenario.source, scenario.path, self._now()),
        )

    async def scenario_version(self, content_hash: str) -> tuple[str, str, str] | None:
        """(scenario id, YAML source, original path) of a stored version, or None."""
        row = await self._fetchone(
            "SELECT scenario_id, source, path FROM scenario_versions WHERE hash = ?", (content_hash,)
        )
        return (str(row[0]), str(row[1]), str(row[2])) if row else None

    async def create_session(
        self,
        scenario: Scenario,
        state: dict[str, Any],
        opening: Sequence[str],
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        thread_id: int | None = None,
        learner_id: int | None = None,
        learner_name: str = "",
        facilitator_id: int | None = None,
    ) -> SessionRecord:
        """A new active session with the client's opening line(s) as the first transcript rows."""
        now = self._now()
        async with self._transaction() as db:
            await self._insert_version(db, scenario)
            cur = await db.execute(
                "INSERT INTO sessions (guild_id, channel_id, thread_id, learner_id, learner_name, "
                "facilitator_id, scenario_id, scenario_hash, state, started_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, channel_id, thread_id, learner_id, learner_name, facilitator_id, scenario.id,
                 scenario.content_hash, dumps(state), now, now),
            )  # fmt: skip
            session_id = int(cur.lastrowid or 0)
            node, vars_ = state.get("node"), dumps(state.get("vars", {}))
            await self._add_client_lines(db, session_id, opening, node, vars_, now)
        record = await self.get_session(session_id)
        assert record is not None
        return record

    async def record_turn(self, session_id: int, result: TurnResult, state: dict[str, Any]) -> None:
        """Commit one learner turn: their reply, the client's line(s), the new state (and the ending)."""
        ended = (
            ("finished", result.outcome, result.ending, result.end_reason)
            if result.ended
            else (None, None, None, None)
        )
        params = (
            session_id, result.reply, dumps(result.detection.to_dict()), result.from_node, result.branch,
            dumps(result.lines), result.to_node, dumps(result.vars), dumps(state), self._now(), *ended,
        )  # fmt: skip
        try:
            async with self._write_lock:
                await self._conn.execute(_RECORD_TURN, params)
        except sqlite3.IntegrityError as exc:  # raised by the trigger: no such session
            raise SessionNotFound(f"no session {session_id} to record a turn in") from exc

    async def add_client_lines(
        self, session_id: int, lines: Iterable[str], state: dict[str, Any] | None = None
    ) -> None:
        """Client lines outside a learner turn (an idle nudge), with the state if it changed."""
        now = self._now()
        async with self._transaction() as db:
            row = await (
                await db.execute("SELECT state FROM sessions WHERE id = ?", (session_id,))
            ).fetchone()
            if row is None:
                raise SessionNotFound(f"no session {session_id}")
            current = state if state is not None else json.loads(row[0])
            node, vars_ = current.get("node"), dumps(current.get("vars", {}))
            await self._add_client_lines(db, session_id, list(lines), node, vars_, now)
            await db.execute(_SAVE_STATE, (dumps(current), now, session_id))

    async def end_session(
        self,
        session_id: int,
        state: dict[str, Any],
        closing: Sequence[str] = (),
        *,
        status: str | None = None,
    ) -> SessionRecord:
        """End early (learner, facilitator, idle, abandoned): the closing line(s) and final state.

        Outcome, ending and end reason come from the engine state; status is "abandoned" when the
        reason is "abandoned" (a deleted thread), else "finished".
        """
        reason = state.get("end_reason") or "learner"
        status = status or ("abandoned" if reason == "abandoned" else "finished")
        if status not in ("finished", "abandoned"):
            raise ValueError(f"an ended session is 'finished' or 'abandoned', not {status!r}")
        now = self._now()
        node, vars_ = state.get("node"), dumps(state.get("vars", {}))
        try:
            async with self._transaction() as db:
                await self._add_client_lines(db, session_id, closing, node, vars_, now)
                cur = await db.execute(
                    "UPDATE sessions SET state = ?, updated_at = ?, ended_at = ?, status = ?, outcome = ?, "
                    "ending = ?, end_reason = ? WHERE id = ?",
                    (dumps(state), now, now, status, state.get("outcome"), state.get("ending"), reason,
                     session_id),
                )  # fmt: skip
                if cur.rowcount != 1:
                    raise SessionNotFound(f"no session {session_id}")
        except sqlite3.IntegrityError as exc:
            raise SessionNotFound(f"no session {session_id} to end") from exc
        record = await self.get_session(session_id)
        assert record is not None
        return record

    async def set_status(self, session_id: int, status: str) -> None:
        """Pause or resume a running session ("paused" / "active")."""
        if status not in OPEN_STATUSES:
            raise ValueError(f"use end_session to finish a session; status {status!r} is not one of "
                             f"{', '.join(OPEN_STATUSES)}")  # fmt: skip
        async with self._transaction() as db:
            await db.execute(
                "UPDATE sessions SET status = ?, updated_at = ? "
                "WHERE id = ? AND status IN ('active', 'paused')",
                (status, self._now(), session_id),
            )

    async def set_dm_status(self, session_id: int, dm_status: str) -> None:
        """Whether the debrief DM reached the learner: "sent" or "failed"."""
        if dm_status not in ("sent", "failed"):
            raise ValueError(f"dm_status is 'sent' or 'failed', not {dm_status!r}")
        async with self._transaction() as db:
            await db.execute("UPDATE sessions SET dm_status = ? WHERE id = ?", (dm_status, session_id))

    # --- reading -------------------------------------------------------------------------------
    async def get_session(self, session_id: int, *, guild_id: int | None = ANY) -> SessionRecord | None:
        """One session; pass guild_id to refuse sessions of another guild (None: terminal only)."""
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?"
        params: tuple[Any, ...] = (session_id,)
        if guild_id is not ANY:
            sql += " AND guild_id IS ?"
            params += (guild_id,)
        row = await self._fetchone(sql, params)
        return session_record(row) if row else None

    async def find_active_session(
        self, *, thread_id: int | None = None, channel_id: int | None = None
    ) -> SessionRecord | None:
        """The running (active or paused) session in this thread, or in this channel."""
        if thread_id is not None:
            where, value = "thread_id = ?", thread_id
        elif channel_id is not None:
            where, value = "channel_id = ?", channel_id
        else:
            raise ValueError("give thread_id or channel_id")
        row = await self._fetchone(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE {where} AND status IN ('active', 'paused') "
            "ORDER BY id DESC LIMIT 1",
            (value,),
        )
        return session_record(row) if row else None

    async def list_sessions(
        self,
        guild_id: int | None,
        *,
        status: str | Sequence[str] | None = None,
        learner_id: int | None = ANY,
        scenario_id: str | None = None,
        since: datetime | str | None = None,
        limit: int | None = None,
    ) -> list[SessionRecord]:
        """Sessions of one guild (None: terminal rehearsals), oldest first. Never crosses guilds."""
        clauses, params = ["guild_id IS ?"], [guild_id]
        if status is not None:
            wanted = (status,) if isinstance(status, str) else tuple(status)
            clauses.append(f"status IN ({', '.join('?' * len(wanted))})")
            params += wanted
        if learner_id is not ANY:
            clauses.append("learner_id IS ?")
            params.append(learner_id)
        if scenario_id is not None:
            clauses.append("scenario_id = ?")
            params.append(scenario_id)
        if since is not None:
            clauses.append("started_at >= ?")
            params.append(stamp(since) if isinstance(since, datetime) else since)
        where = " AND ".join(clauses)
        if limit is None:
            sql = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE {where} ORDER BY started_at, id"
        else:  # the most recent `limit`, still oldest first
            sql = (
                f"SELECT * FROM (SELECT {SESSION_COLUMNS} FROM sessions WHERE {where} "
                "ORDER BY started_at DESC, id DESC LIMIT ?) ORDER BY started_at, id"
            )
            params.append(limit)
        return [session_record(row) for row in await self._fetchall(sql, tuple(params))]

    async def list_open_sessions(self) -> list[SessionRecord]:
        """Every active or paused session in every guild (for the bot's start-up and idle checks)."""
        rows = await self._fetchall(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE status IN ('active', 'paused') ORDER BY id"
        )
        return [session_record(row) for row in rows]

    async def list_turns(self, session_id: int) -> list[TurnRecord]:
        rows = await self._fetchall(
            f"SELECT {TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY seq", (session_id,)
        )
        return [turn_record(row) for row in rows]

    async def list_turns_many(self, session_ids: Sequence[int]) -> dict[int, list[TurnRecord]]:
        """Transcripts of many sessions at once (cohort reports, exports)."""
        result: dict[int, list[TurnRecord]] = {sid: [] for sid in session_ids}
        sql = (
            f"SELECT session_id, {TURN_COLUMNS} FROM turns "
            "WHERE session_id IN ({ids}) ORDER BY session_id, seq"
        )
        for row in await self._fetch_for_sessions(sql, session_ids):
            result[int(row[0])].append(turn_record(row[1:]))  # type: ignore[call-overload]
        return result

    async def list_learner_labels(self, session_ids: Sequence[int]) -> dict[int, list[str]]:
        """The primary label of each learner turn, per session, in order: enough for progress lines
        and cohort tables without reading whole transcripts."""
        result: dict[int, list[str]] = {sid: [] for sid in session_ids}
        sql = (
            "SELECT session_id, json_extract(detection, '$.label') FROM turns WHERE speaker = 'learner' "
            "AND session_id IN ({ids}) ORDER BY session_id, seq"
        )
        for sid, label in await self._fetch_for_sessions(sql, session_ids):
            result[int(sid)].append(str(label or "neutral"))  # type: ignore[call-overload]
        return result
