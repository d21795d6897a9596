"""Facilitator notes on a session (shown in the learner's debrief and the cohort report)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from bot.debrief.notes import validate_note
from bot.debrief.records import NoteRecord
from bot.store.base import StoreBase
from bot.store.errors import SessionNotFound
from bot.store.rows import NOTE_COLUMNS, note_record


class Notes(StoreBase):
    async def add_note(
        self, session_id: int, text: str, *, author_id: int | None, author_name: str
    ) -> NoteRecord:
        text = validate_note(text)  # NoteError (a ValueError) says what is wrong and what to do
        try:
            async with self._transaction() as db:
                cur = await db.execute(
                    "INSERT INTO notes (session_id, author_id, author_name, text, at) VALUES (?, ?, ?, ?, ?)",
                    (session_id, author_id, author_name, text, self._now()),
                )
                note_id = cur.lastrowid
        except sqlite3.IntegrityError as exc:
            raise SessionNotFound(f"no session {session_id} to add a note to") from exc
        row = await self._fetchone(f"SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?", (note_id,))
        assert row is not None
        return note_record(row)

    async def list_notes(self, session_id: int) -> list[NoteRecord]:
        rows = await self._fetchall(
            f"SELECT {NOTE_COLUMNS} FROM notes WHERE session_id = ? ORDER BY at, id", (session_id,)
        )
        return [note_record(row) for row in rows]

    async def list_notes_many(self, session_ids: Sequence[int]) -> dict[int, list[NoteRecord]]:
        """Notes of many sessions at once (exports, cohort reports)."""
        result: dict[int, list[NoteRecord]] = {sid: [] for sid in session_ids}
        sql = f"SELECT {NOTE_COLUMNS} FROM notes WHERE session_id IN ({{ids}}) ORDER BY session_id, at, id"
        for row in await self._fetch_for_sessions(sql, session_ids):
            note = note_record(row)
            result[note.session_id].append(note)
        return result
