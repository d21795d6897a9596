"""Exports for a facilitator's own analysis: sessions, turns, detections and notes as CSV, JSON or
Markdown. Pure: the CLI loads the records and writes the text."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.debrief.build import build_debrief
from bot.debrief.csvsafe import csv_text
from bot.debrief.markdown import render_markdown
from bot.debrief.metrics import summarize
from bot.debrief.records import NoteRecord, SessionRecord, TurnRecord
from bot.scenario.model import Scenario

EXPORT_VERSION = 1

# One row per transcript line or note; session columns repeat so any row stands on its own.
CSV_COLUMNS: tuple[str, ...] = (
    "session_id",
    "guild_id",
    "learner_id",
    "learner_name",
    "scenario_id",
    "scenario_hash",
    "status",
    "outcome",
    "ending",
    "end_reason",
    "started_at",
    "ended_at",
    "kind",  # learner | client | note
    "seq",
    "at",
    "author",
    "text",
    "node",
    "branch",
    "label",
    "labels",
    "evidence",
    "vars",
)


@dataclass(frozen=True, slots=True)
class SessionData:
    """One stored session with its transcript and notes, as the store returns them."""

    session: SessionRecord
    turns: Sequence[TurnRecord]
    notes: Sequence[NoteRecord] = ()


def _session_cells(s: SessionRecord) -> dict[str, Any]:
    return {
        "session_id": s.id,
        "guild_id": "" if s.guild_id is None else s.guild_id,
        "learner_id": "" if s.learner_id is None else s.learner_id,
        "learner_name": s.learner_name,
        "scenario_id": s.scenario_id,
        "scenario_hash": s.scenario_hash,
        "status": s.status,
        "outcome": s.outcome or "",
        "ending": s.ending or "",
        "end_reason": s.end_reason or "",
        "started_at": s.started_at,
        "ended_at": s.ended_at or "",
    }


def _evidence(turn: TurnRecord) -> str:
    if turn.detection is None:
        return ""
    return "; ".join(f"{e.label}: {e.text}" for e in turn.detection.evidence if not e.cancelled)


def export_rows(data: Iterable[SessionData]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in data:
        base = _session_cells(item.session)
        for t in item.turns:
            det = t.detection
            rows.append({
                **base,
                "kind": t.speaker,
                "seq": t.seq,
                "at": t.at,
                "author": "",
                "text": t.text,
                "node": t.node or "",
                "branch": t.branch or "",
                "label": det.label if det else "",
                "labels": " ".join(det.labels) if det else "",
                "evidence": _evidence(t),
                "vars": json.dumps(t.vars, sort_keys=True) if t.vars is not None else "",
            })  # fmt: skip
        for n in item.notes:
            rows.append(
                {**base, "kind": "note", "seq": "", "at": n.at, "author": n.author_name, "text": n.text}
            )
    return rows


def export_csv(data: Iterable[SessionData]) -> str:
    """The export as CSV; learners' text that a spreadsheet would run as a formula starts with '."""
    return csv_text(CSV_COLUMNS, export_rows(data))


def export_json(
    data: Iterable[SessionData], *, guild_id: int | None = None, since: str | None = None
) -> dict:
    sessions = []
    for item in data:
        s = item.session
        summary = summarize(s, item.turns, item.notes)
        sessions.append({
            **_session_cells(s),
            "guild_id": s.guild_id,
            "learner_id": s.learner_id,
            "summary": {
                "turns": summary.turns,
                "counts": summary.counts,
                "empathic_share": round(summary.empathic_share, 4),
                "rq": None if summary.rq is None else round(summary.rq, 4),
            },
            "turns": [
                {
                    "seq": t.seq,
                    "speaker": t.speaker,
                    "text": t.text,
                    "node": t.node,
                    "branch": t.branch,
                    "detection": t.detection.to_dict() if t.detection else None,
                    "vars": t.vars,
                    "at": t.at,
                }
                for t in item.turns
            ],
            "notes": [
                {"id": n.id, "author_id": n.author_id, "author": n.author_name, "text": n.text, "at": n.at}
                for n in item.notes
            ],
        })  # fmt: skip
    return {"version": EXPORT_VERSION, "guild_id": guild_id, "since": since, "sessions": sessions}


def export_markdown(
    data: Iterable[SessionData], scenario_for: Callable[[SessionRecord], Scenario | None]
) -> str:
    """Every session's full debrief, one after another. Sessions whose scenario cannot be found are
    listed with a line saying so."""
    parts: list[str] = []
    for item in data:
        scenario = scenario_for(item.session)
        if scenario is None:
            parts.append(
                f"# Session #{item.session.id}\n\nThe scenario {item.session.scenario_id!r} "
                "(this version) is not available, so no debrief can be built.\n"
            )
            continue
        parts.append(render_markdown(build_debrief(scenario, item.session, item.turns, item.notes)))
    return "\n---\n\n".join(parts) if parts else "No sessions match.\n"
