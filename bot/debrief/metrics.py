"""Numbers about one session: label counts, empathic share, MITI-style bands, sparklines, summaries.

Thresholds, from the Motivational Interviewing Treatment Integrity code:
- MITI 4.2.1 (Moyers, Manuel & Ernst 2014, rev. 2015), summary-score thresholds:
  reflection-to-question ratio R:Q  fair 1:1, good 2:1;  % complex reflections  fair 40%, good 50%.
- MITI 4 no longer scores the share of open questions; the last published thresholds are MITI 3.1.1
  (Moyers et al. 2010): % open questions  fair ("beginning proficiency") 50%, good ("competency") 70%.
Heard's detector cannot tell simple from complex reflections, so it shows R:Q and % open questions;
an "empathy" turn counts as a reflection, open and closed questions as questions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.debrief.model import Band
from bot.debrief.records import NoteRecord, SessionRecord, TurnRecord
from bot.detect.labels import CLOSED_QUESTION, EMPATHY, LABELS, NEUTRAL, OPEN_QUESTION

RQ_FAIR, RQ_GOOD = 1.0, 2.0  # MITI 4.2.1
OPEN_FAIR, OPEN_GOOD = 0.50, 0.70  # MITI 3.1.1 (% open questions)

BLOCKS = "▁▂▃▄▅▆▇█"


def is_learner(turn: TurnRecord) -> bool:
    return turn.speaker == "learner"


def label_of(turn: TurnRecord) -> str:
    return turn.detection.label if turn.detection is not None else NEUTRAL


def label_counts(labels: Iterable[str]) -> dict[str, int]:
    """A count for every detector label (zeros included), in the detector's order."""
    counted = Counter(labels)
    out = {lab: counted.get(lab, 0) for lab in LABELS}
    out.update({lab: n for lab, n in counted.items() if lab not in out})
    return out


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def rq_ratio(counts: dict[str, int]) -> float | None:
    """Reflections per question; None when no question was asked (the ratio has no value then)."""
    questions = counts.get(OPEN_QUESTION, 0) + counts.get(CLOSED_QUESTION, 0)
    return counts.get(EMPATHY, 0) / questions if questions else None


def open_ratio(counts: dict[str, int]) -> float | None:
    questions = counts.get(OPEN_QUESTION, 0) + counts.get(CLOSED_QUESTION, 0)
    return counts.get(OPEN_QUESTION, 0) / questions if questions else None


def _judge(value: float | None, fair: float, good: float) -> str:
    if value is None:
        return "none"
    if value >= good:
        return "good"
    if value >= fair:
        return "fair"
    return "not_yet"


def rq_band(counts: dict[str, int]) -> Band:
    value = rq_ratio(counts)
    reflections = counts.get(EMPATHY, 0)
    if value is None:
        shown = f"{reflections} : 0" if reflections else "–"
        # Reflections without any question meet the "good" standard; nothing at all has no band.
        return Band("rq", None, "good" if reflections else "none", shown, "1 : 1", "2 : 1")
    return Band("rq", value, _judge(value, RQ_FAIR, RQ_GOOD), f"{value:.1f} : 1", "1 : 1", "2 : 1")


def open_share_band(counts: dict[str, int]) -> Band:
    value = open_ratio(counts)
    shown = "–" if value is None else f"{value:.0%}"
    return Band("open_share", value, _judge(value, OPEN_FAIR, OPEN_GOOD), shown, "50%", "70%")


def sparkline(values: Sequence[float], lo: float | None = None, hi: float | None = None) -> str:
    """One block character per value, scaled between lo and hi (default: the values' own range)."""
    if not values:
        return ""
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    if hi <= lo:
        return BLOCKS[len(BLOCKS) // 2] * len(values)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[max(0, min(top, round((v - lo) / (hi - lo) * top)))] for v in values)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What progress lines and the cohort report need from one session (small, no transcript)."""

    session_id: int
    scenario_id: str
    learner_id: int | None
    learner_name: str
    guild_id: int | None
    started_at: str
    status: str
    outcome: str | None
    ending: str | None
    turns: int
    counts: dict[str, int] = field(default_factory=dict)
    notes: int = 0

    @property
    def empathic_share(self) -> float:
        return share(self.counts.get(EMPATHY, 0), self.turns)

    @property
    def rq(self) -> float | None:
        return rq_ratio(self.counts)


def summarize(
    session: SessionRecord, turns: Iterable[TurnRecord], notes: Sequence[NoteRecord] = ()
) -> SessionSummary:
    labels = [label_of(t) for t in turns if is_learner(t)]
    return summary_from_labels(session, labels, len(notes))


def summary_from_labels(session: SessionRecord, labels: Sequence[str], notes: int = 0) -> SessionSummary:
    """A summary from the learner turns' primary labels alone (what a store can hand over cheaply)."""
    return SessionSummary(
        session_id=session.id,
        scenario_id=session.scenario_id,
        learner_id=session.learner_id,
        learner_name=session.learner_name,
        guild_id=session.guild_id,
        started_at=session.started_at,
        status=session.status,
        outcome=session.outcome,
        ending=session.ending,
        turns=len(labels),
        counts=label_counts(labels),
        notes=notes,
    )
