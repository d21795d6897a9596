"""build_debrief: one session's records → a Debrief (pure; renderers turn it into text)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.debrief.metrics import (
    SessionSummary,
    label_counts,
    open_share_band,
    rq_band,
    share,
    sparkline,
)
from bot.debrief.model import Debrief, Note, Progress, TurnLine
from bot.debrief.moments import best_empathic, choose_moments, quote, unasked_advice, walk
from bot.debrief.records import NoteRecord, SessionRecord, TurnRecord
from bot.debrief.texts import texts
from bot.detect.labels import EMPATHY, MISSTEPS
from bot.scenario.model import Scenario

log = logging.getLogger(__name__)

PROGRESS_SESSIONS = 8  # sessions shown in the progress sparkline, this one included


def build_debrief(
    scenario: Scenario,
    session: SessionRecord,
    turns: Sequence[TurnRecord],
    notes: Sequence[NoteRecord] = (),
    history: Sequence[SessionSummary] = (),
) -> Debrief:
    """The debrief of one session. `history` holds summaries of the learner's earlier sessions in the
    same server (any order; this session is ignored if present) for the progress line."""
    steps, meters, path = walk(scenario, turns)
    counts = label_counts(s.label for s in steps)
    empathic = share(counts.get(EMPATHY, 0), len(steps))
    ending = scenario.endings.get(session.ending or "")
    var = scenario.meter_var
    transcript = tuple(
        TurnLine(
            turn=s.turn,
            client_line=s.client_line,
            text=s.record.text,
            label=s.label,
            quote=quote(s.record.detection, s.record.text),
            node=s.node.id if s.node else None,
            meter=s.meter_after,
            model_reply=s.node.model_reply if s.node and s.label in MISSTEPS else None,
            why=s.node.why if s.node and s.label in MISSTEPS else None,
        )
        for s in steps
    )
    return Debrief(
        session_id=session.id,
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        client_name=scenario.persona.name,
        learner_name=session.learner_name,
        outcome=session.outcome or (ending.outcome if ending else None),
        ending=session.ending,
        ending_summary=_summary(scenario, session, ending.summary if ending else ""),
        end_reason=session.end_reason,
        turns=len(steps),
        max_turns=scenario.max_turns,
        path=tuple(path),
        meter_var=var,
        meter_values=tuple(meters),
        meter_line=_meter_line(scenario, meters),
        counts=counts,
        empathic_share=empathic,
        rq=rq_band(counts),
        open_share=open_share_band(counts),
        unasked_advice=unasked_advice(steps),
        moments=choose_moments(steps, var),
        strength=best_empathic(steps),
        notes=tuple(Note(n.author_name or "facilitator", n.at, n.text) for n in notes),
        progress=_progress(session, empathic, len(steps), history),
        transcript=transcript,
        started_at=session.started_at,
        ended_at=session.ended_at,
    )


def _summary(scenario: Scenario, session: SessionRecord, ending_summary: str) -> str:
    """The ending's summary, unless someone ended the session early: the time-up ending's words
    ("Time ran out before…") would then tell the wrong story."""
    client = scenario.persona.name.split()[0] if scenario.persona.name.strip() else "the client"
    return texts().early_end(session.end_reason, client) or ending_summary


def _meter_line(scenario: Scenario, meters: Sequence[int]) -> str:
    if not meters:
        return ""
    # Scale against zero and the start value too, so a flat session at 2 does not look "full".
    start = scenario.variables.get(scenario.meter_var or "", meters[0])
    lo = min(0, start, *meters)
    hi = max(start, *meters, lo + 1)
    return sparkline(meters, lo, hi)


def _progress(
    session: SessionRecord, empathic: float, turns: int, history: Sequence[SessionSummary]
) -> Progress | None:
    earlier = [h for h in history if h.session_id != session.id and h.turns > 0]
    if not earlier:
        return None
    earlier.sort(key=lambda h: (h.started_at, h.session_id))
    shares = [h.empathic_share for h in earlier[-(PROGRESS_SESSIONS - 1) :]]
    if turns:
        shares.append(empathic)
    change = shares[-1] - shares[-2] if turns and len(shares) >= 2 else None
    return Progress(tuple(shares), sparkline(shares, 0.0, 1.0), change)
