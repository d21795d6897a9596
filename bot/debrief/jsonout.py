"""render_json: a Debrief as JSON-able data (exports, the Discord layer, other tools).

Built field by field rather than with dataclasses.asdict, which is several times slower."""

from __future__ import annotations

from typing import Any

from bot.debrief.model import Band, Debrief, Moment, Quote, TurnLine

JSON_VERSION = 1


def _quote(q: Quote) -> dict[str, Any]:
    marks = [
        {"start": m.start, "end": m.end, "label": m.label, "text": q.text[m.start : m.end]} for m in q.marks
    ]
    return {"text": q.text, "marks": marks}


def _band(b: Band) -> dict[str, Any]:
    return {
        "name": b.name,
        "value": b.value,
        "band": b.band,
        "shown": b.shown,
        "fair": b.fair,
        "good": b.good,
    }


def _moment(m: Moment) -> dict[str, Any]:
    return {
        "turn": m.turn,
        "kind": m.kind,
        "why_chosen": m.why_chosen,
        "label": m.label,
        "client_line": m.client_line,
        "quote": _quote(m.quote),
        "feels": list(m.feels),
        "model_reply": m.model_reply,
        "why": m.why,
        "meter_before": m.meter_before,
        "meter_after": m.meter_after,
    }


def _turn(t: TurnLine) -> dict[str, Any]:
    return {
        "turn": t.turn,
        "client_line": t.client_line,
        "text": t.text,
        "label": t.label,
        "quote": _quote(t.quote),
        "node": t.node,
        "meter": t.meter,
        "model_reply": t.model_reply,
        "why": t.why,
    }


def render_json(d: Debrief) -> dict[str, Any]:
    """Every field of the Debrief; quotes carry their marked spans with the marked text."""
    s, p = d.strength, d.progress
    return {
        "version": JSON_VERSION,
        "session_id": d.session_id,
        "scenario_id": d.scenario_id,
        "scenario_title": d.scenario_title,
        "client_name": d.client_name,
        "learner_name": d.learner_name,
        "outcome": d.outcome,
        "ending": d.ending,
        "ending_summary": d.ending_summary,
        "end_reason": d.end_reason,
        "started_at": d.started_at,
        "ended_at": d.ended_at,
        "empty": d.empty,
        "turns": d.turns,
        "max_turns": d.max_turns,
        "path": list(d.path),
        "meter_var": d.meter_var,
        "meter_values": list(d.meter_values),
        "meter_line": d.meter_line,
        "counts": dict(d.counts),
        "empathic_share": round(d.empathic_share, 4),
        "rq": _band(d.rq),
        "open_share": _band(d.open_share),
        "unasked_advice": list(d.unasked_advice),
        "moments": [_moment(m) for m in d.moments],
        "strength": None
        if s is None
        else {"turn": s.turn, "client_line": s.client_line, "quote": _quote(s.quote)},
        "notes": [{"author": n.author, "at": n.at, "text": n.text} for n in d.notes],
        "progress": None
        if p is None
        else {"shares": [round(x, 4) for x in p.shares], "sparkline": p.sparkline, "change": p.change},
        "transcript": [_turn(t) for t in d.transcript],
    }
