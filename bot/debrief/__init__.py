"""Debriefs: one session's feedback (metrics, moments, notes, progress) and the cohort report.

Pure core. Callers load records from the store and call:
    debrief = build_debrief(scenario, session, turns, notes, history)
    render_markdown(debrief) / render_embeds(debrief) / render_json(debrief)
    cohort_report(summaries) -> rows; cohort_csv(rows); render_cohort_embed(rows)
"""

from bot.debrief.build import build_debrief
from bot.debrief.cohort import CohortRow, cohort_csv, cohort_report, render_cohort_embed
from bot.debrief.embeds import render_embeds
from bot.debrief.jsonout import render_json
from bot.debrief.markdown import render_markdown
from bot.debrief.metrics import SessionSummary, summarize, summary_from_labels
from bot.debrief.model import Debrief, Moment
from bot.debrief.notes import NoteError, note_limit, validate_note
from bot.debrief.records import NoteRecord, SessionRecord, TurnRecord

__all__ = [
    "CohortRow",
    "Debrief",
    "Moment",
    "NoteError",
    "NoteRecord",
    "SessionRecord",
    "SessionSummary",
    "TurnRecord",
    "build_debrief",
    "cohort_csv",
    "cohort_report",
    "note_limit",
    "render_cohort_embed",
    "render_embeds",
    "render_json",
    "render_markdown",
    "summarize",
    "summary_from_labels",
    "validate_note",
]
