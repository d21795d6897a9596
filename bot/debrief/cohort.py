"""The cohort report: one row per learner over many sessions' summaries, as rows, CSV and an embed."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.debrief.csvsafe import csv_text
from bot.debrief.metrics import SessionSummary, rq_ratio, share, sparkline
from bot.debrief.records import same_name_key, tidy_name
from bot.debrief.texts import texts
from bot.detect.labels import EMPATHY
from bot.scenario.model import OUTCOMES

CSV_COLUMNS: tuple[str, ...] = (
    "learner_id",
    "learner_name",
    "sessions",
    "finished",
    *OUTCOMES,
    "turns",
    "empathic_share",
    "rq",
    "trend",
    "change",
    "notes",
    "last_session",
)
TREND_SESSIONS = 8


@dataclass(frozen=True, slots=True)
class CohortRow:
    learner_id: int | None
    learner_name: str
    sessions: int
    finished: int
    endings: dict[str, int]  # outcome -> sessions
    turns: int
    empathic_share: float  # over all the learner's turns, 0..1
    rq: float | None  # reflections per question over all turns; None without questions
    shares: tuple[float, ...]  # empathic share per session, oldest first (last TREND_SESSIONS)
    trend: str  # sparkline of `shares`
    change: float | None  # last session's share minus the first shown, None with one session
    notes: int
    last_session: str


def cohort_report(
    summaries: Iterable[SessionSummary], *, since: str | None = None, scenario: str | None = None
) -> list[CohortRow]:
    """Rows per learner, most sessions first. `since` is an ISO date or time (sessions that started
    then or later); `scenario` keeps one scenario id. Sessions without a learner are grouped by name."""
    groups: dict[tuple[int | None, str], list[SessionSummary]] = defaultdict(list)
    for s in summaries:
        if since and s.started_at < since:
            continue
        if scenario and s.scenario_id != scenario:
            continue
        groups[(s.learner_id, same_name_key(s.learner_name) if s.learner_id is None else "")].append(s)
    rows = [_row(items) for items in groups.values()]
    rows.sort(key=lambda r: (-r.sessions, r.learner_name.lower(), r.learner_id or 0))
    return rows


def _row(items: list[SessionSummary]) -> CohortRow:
    items.sort(key=lambda s: (s.started_at, s.session_id))
    counts: Counter[str] = Counter()
    for s in items:
        counts.update(s.counts)
    turns = sum(s.turns for s in items)
    shares = tuple(s.empathic_share for s in items if s.turns)[-TREND_SESSIONS:]
    endings = Counter(s.outcome for s in items if s.outcome)
    latest_name = next((tidy_name(s.learner_name) for s in reversed(items) if s.learner_name.strip()), "")
    return CohortRow(
        learner_id=items[0].learner_id,
        learner_name=latest_name or (str(items[0].learner_id) if items[0].learner_id else "terminal"),
        sessions=len(items),
        finished=sum(1 for s in items if s.outcome),
        endings={o: endings.get(o, 0) for o in OUTCOMES},
        turns=turns,
        empathic_share=share(counts.get(EMPATHY, 0), turns),
        rq=rq_ratio(dict(counts)),
        shares=shares,
        trend=sparkline(shares, 0.0, 1.0),
        change=shares[-1] - shares[0] if len(shares) >= 2 else None,
        notes=sum(s.notes for s in items),
        last_session=items[-1].started_at,
    )


def row_dict(row: CohortRow) -> dict[str, Any]:
    return {
        "learner_id": row.learner_id if row.learner_id is not None else "",
        "learner_name": row.learner_name,
        "sessions": row.sessions,
        "finished": row.finished,
        **row.endings,
        "turns": row.turns,
        "empathic_share": f"{row.empathic_share:.3f}",
        "rq": "" if row.rq is None else f"{row.rq:.2f}",
        "trend": row.trend,
        "change": "" if row.change is None else f"{row.change:+.3f}",
        "notes": row.notes,
        "last_session": row.last_session,
    }


def cohort_csv(rows: Sequence[CohortRow]) -> str:
    """The full table as CSV text (header line first), for the `/cohort report` attachment."""
    return csv_text(CSV_COLUMNS, (row_dict(row) for row in rows))


def render_cohort_embed(rows: Sequence[CohortRow], *, title: str = "Cohort report", limit: int = 20) -> dict:
    """One embed with the top `limit` learners as a fixed-width table (the CSV holds everyone)."""
    from bot.debrief.embeds import DESCRIPTION_MAX, cut

    if not rows:
        return {"title": title, "description": "No sessions match yet.", "color": texts().colour(None)}
    lines = ["```", f"{'learner':<18} {'n':>3} {'brk/shut':>8} {'emp':>4} {'R:Q':>4} trend"]
    for r in rows[:limit]:
        name = r.learner_name.replace("`", "'")[:18]
        ends = f"{r.endings.get('breakthrough', 0)}/{r.endings.get('shutdown', 0)}"
        rq = "–" if r.rq is None else f"{r.rq:.1f}"
        lines.append(f"{name:<18} {r.sessions:>3} {ends:>8} {r.empathic_share:>4.0%} {rq:>4} {r.trend}")
    lines.append("```")
    more = f"\n…and {len(rows) - limit} more in the attached CSV." if len(rows) > limit else ""
    return {
        "title": title,
        "description": cut("\n".join(lines) + more, DESCRIPTION_MAX),
        "color": texts().colour("progress"),
        "footer": {"text": "emp = empathic share; brk/shut = breakthroughs/shutdowns; full table attached."},
    }
