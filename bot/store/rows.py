"""Turning database rows into the records the debrief and the Discord layer read, and back."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bot.debrief.records import NoteRecord, SessionRecord, TurnRecord
from bot.detect import Detection

SESSION_COLUMNS = (
    "id, scenario_id, scenario_hash, status, outcome, ending, end_reason, guild_id, channel_id, "
    "thread_id, learner_id, learner_name, facilitator_id, started_at, ended_at, updated_at, dm_status, state"
)
TURN_COLUMNS = "seq, speaker, text, node, branch, detection, vars, at"
NOTE_COLUMNS = "id, session_id, author_id, author_name, text, at"


# Built once: json.dumps with options builds a new encoder on every call (a few µs per turn).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact JSON, keys in the order the engine and detector wrote them."""
    return _ENCODER.encode(value)


def session_record(row: sqlite3.Row | tuple[Any, ...]) -> SessionRecord:
    (sid, scenario_id, scenario_hash, status, outcome, ending, end_reason, guild_id, channel_id,
     thread_id, learner_id, learner_name, facilitator_id, started_at, ended_at, updated_at, dm_status,
     state) = row  # fmt: skip
    return SessionRecord(
        id=sid,
        scenario_id=scenario_id,
        scenario_hash=scenario_hash,
        status=status,
        outcome=outcome,
        ending=ending,
        end_reason=end_reason,
        guild_id=guild_id,
        channel_id=channel_id,
        thread_id=thread_id,
        learner_id=learner_id,
        learner_name=learner_name,
        facilitator_id=facilitator_id,
        started_at=started_at,
        ended_at=ended_at,
        updated_at=updated_at,
        dm_status=dm_status,
        state=json.loads(state),
    )


def turn_record(row: sqlite3.Row | tuple[Any, ...]) -> TurnRecord:
    seq, speaker, text, node, branch, detection, vars_, at = row
    return TurnRecord(
        seq=seq,
        speaker=speaker,
        text=text,
        node=node,
        branch=branch,
        detection=Detection.from_dict(json.loads(detection)) if detection else None,
        vars=json.loads(vars_) if vars_ else None,
        at=at,
    )


def note_record(row: sqlite3.Row | tuple[Any, ...]) -> NoteRecord:
    nid, session_id, author_id, author_name, text, at = row
    return NoteRecord(
        id=nid, session_id=session_id, author_id=author_id, author_name=author_name, text=text, at=at
    )
