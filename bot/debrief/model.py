"""The Debrief: everything one session's feedback shows, as plain data every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Band:
    """A number judged against a published threshold: "good", "fair", "not yet" (or "none")."""

    name: str  # "rq" | "open_share"
    value: float | None  # None when it cannot be computed (no questions asked)
    band: str  # "good" | "fair" | "not_yet" | "none"
    shown: str  # the number as shown, e.g. "2.0 : 1" or "67%"
    fair: str  # the thresholds as shown, e.g. "1 : 1"
    good: str


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the learner's reply that the detector pointed at."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Quote:
    """The learner's own words with the detected phrases marked."""

    text: str
    marks: tuple[Mark, ...] = ()

    def pieces(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, marked) runs, in order."""
        out: list[tuple[str, bool]] = []
        pos = 0
        for m in self.marks:
            if m.start > pos:
                out.append((self.text[pos : m.start], False))
            out.append((self.text[m.start : m.end], True))
            pos = m.end
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out


@dataclass(frozen=True, slots=True)
class Moment:
    """One turn that mattered: what the client said, what the learner answered, what would have helped."""

    turn: int  # learner turn number, from 1
    kind: str  # "drop" | "rise" | "misstep" | "turn"
    why_chosen: str
    label: str
    client_line: str
    quote: Quote
    feels: tuple[str, ...] = ()
    model_reply: str | None = None
    why: str | None = None
    meter_before: int | None = None
    meter_after: int | None = None


@dataclass(frozen=True, slots=True)
class Strength:
    turn: int
    client_line: str
    quote: Quote


@dataclass(frozen=True, slots=True)
class Note:
    author: str
    at: str
    text: str


@dataclass(frozen=True, slots=True)
class Progress:
    """Empathic share over the learner's recent sessions in this server (oldest first, this one last)."""

    shares: tuple[float, ...]
    sparkline: str
    change: float | None  # this session's share minus the previous one's (0..1 scale), None if no previous


@dataclass(frozen=True, slots=True)
class TurnLine:
    """One learner turn in the full transcript part of the debrief (attachment, JSON)."""

    turn: int
    client_line: str
    text: str
    label: str
    quote: Quote
    node: str | None = None
    meter: int | None = None
    # For missteps (advice, self-focus, judgment, reactivity): the node's model reply and rationale.
    model_reply: str | None = None
    why: str | None = None


@dataclass(frozen=True, slots=True)
class Debrief:
    session_id: int
    scenario_id: str
    scenario_title: str
    client_name: str
    learner_name: str
    outcome: str | None  # None while the session is unfinished
    ending: str | None
    ending_summary: str
    end_reason: str | None
    turns: int  # learner turns
    max_turns: int
    path: tuple[str, ...]  # nodes/endings visited, in order
    meter_var: str | None
    meter_values: tuple[int, ...]  # start value, then after each client turn
    meter_line: str  # e.g. "▄▅▆▆█"
    counts: dict[str, int]
    empathic_share: float  # 0..1
    rq: Band
    open_share: Band
    unasked_advice: tuple[int, ...]  # learner turns that gave advice before the client asked
    moments: tuple[Moment, ...]
    strength: Strength | None
    notes: tuple[Note, ...]
    progress: Progress | None
    transcript: tuple[TurnLine, ...] = field(default=())
    started_at: str = ""
    ended_at: str | None = None

    @property
    def empty(self) -> bool:
        """True when the learner gave no replies: renderers show a short message instead."""
        return self.turns == 0
