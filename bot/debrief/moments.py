"""Reading a transcript turn by turn: what the client said before each reply, which node it was,
how the meter moved, and which turns mattered most (moments) or went best (strength)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.debrief.metrics import is_learner, label_of
from bot.debrief.model import Mark, Moment, Quote, Strength
from bot.debrief.records import TurnRecord
from bot.debrief.texts import texts
from bot.detect.labels import ADVICE, CLOSED_QUESTION, EMPATHY, MISSTEPS, NEUTRAL
from bot.detect.model import Detection
from bot.scenario.model import Node, Scenario

MAX_MOMENTS = 4
MIN_MOMENTS = 2
MAX_RISES = 2  # a good session's moments should not all be "trust rose": show other turns too
# Replies that leave a feeling unreflected (neither empathic nor a misstep).
MISSED = frozenset({NEUTRAL, CLOSED_QUESTION})


@dataclass(frozen=True, slots=True)
class Step:
    """One learner turn in context."""

    turn: int  # from 1
    record: TurnRecord
    client_line: str  # what the client said just before
    node: Node | None  # the node the learner was answering
    meter_before: int | None
    meter_after: int | None
    asked_for_advice: bool  # the client had asked for advice by then
    reached: str | None = None  # the ending this reply led to (not counting running out of time)

    @property
    def label(self) -> str:
        return label_of(self.record)

    @property
    def delta(self) -> int:
        if self.meter_before is None or self.meter_after is None:
            return 0
        return self.meter_after - self.meter_before


def walk(scenario: Scenario, turns: Sequence[TurnRecord]) -> tuple[list[Step], list[int], list[str]]:
    """The learner steps, the meter values (start, then after each learner turn) and the path."""
    var = scenario.meter_var
    meter: int | None = scenario.variables.get(var) if var else None
    meters: list[int] = []
    path: list[str] = []
    steps: list[Step] = []
    client_lines: list[str] = []
    client_node: str | None = None
    asked = False
    pending: tuple[TurnRecord, str, str | None, int | None, bool] | None = None
    reached: str | None = None

    def close(after: int | None) -> None:
        nonlocal pending, reached
        if pending is None:
            return
        rec, line, node_id, before, was_asked = pending
        node = scenario.nodes.get(rec.node or "") or scenario.nodes.get(node_id or "")
        steps.append(Step(len(steps) + 1, rec, line, node, before, after, was_asked, reached))
        reached = None
        if after is not None:
            meters.append(after)
        pending = None

    # Client rows after a reply (a reaction, then the next node's line) all count: the meter after a
    # turn is the last value seen before the next reply.
    for t in sorted(turns, key=lambda r: r.seq):
        if is_learner(t):
            if pending is None and not steps and meter is not None:
                meters.append(meter)  # the value the session started with (opening rows carry it)
            close(meter)
            pending = (t, "\n".join(client_lines), client_node, meter, asked)
            client_lines = []
            continue
        client_lines.append(t.text)
        if pending is not None and t.node in scenario.endings and t.node != scenario.time_up:
            reached = t.node
        if t.node:
            client_node = t.node
            if not path or path[-1] != t.node:
                path.append(t.node)
        if t.vars is not None and var is not None and var in t.vars:
            meter = t.vars[var]
        if texts().asks_for_advice(t.text):
            asked = True
    close(meter)
    if not steps and meter is not None:
        meters.append(meter)
    return steps, meters, path


def quote(detection: Detection | None, text: str, labels: Sequence[str] | None = None) -> Quote:
    """The learner's words with the live evidence marked (for `labels`, default the primary label)."""
    if detection is None:
        return Quote(text)
    wanted = set(labels) if labels is not None else {detection.label}
    spans = sorted(
        (max(0, e.start), min(len(text), e.end), e.label)
        for e in detection.evidence
        if e.label in wanted and not e.cancelled and e.end > e.start and e.start < len(text)
    )
    marks: list[Mark] = []
    for start, end, label in spans:
        # Overlapping cues, or cues only a space apart, are marked as one run.
        if marks and (start <= marks[-1].end or not text[marks[-1].end : start].strip()):
            last = marks[-1]
            marks[-1] = Mark(last.start, max(last.end, end), last.label)
        elif end > start:
            marks.append(Mark(start, end, label))
    return Quote(text, tuple(marks))


def unasked_advice(steps: Sequence[Step]) -> tuple[int, ...]:
    return tuple(s.turn for s in steps if s.label == ADVICE and not s.asked_for_advice)


def _score(step: Step) -> float:
    """How much a turn is worth a second look: meter moves, missteps (more so while the client was
    expressing a feeling), a feeling left unreflected, and the reply that led to an ending."""
    feeling = bool(step.node and step.node.feels)
    score = abs(step.delta) * 2.0
    if step.label in MISSTEPS:
        score += 3.0 if feeling else 1.0
    elif feeling and step.label in MISSED:
        score += 1.5
    if step.reached:
        score += 2.0
    return score


def _kind(step: Step) -> str:
    if step.delta < 0:
        return "drop"
    if step.delta > 0:
        return "rise"
    if step.label in MISSTEPS:
        return "misstep"
    if step.label in MISSED and step.node and step.node.feels:
        return "missed"
    return "turn"


def _why(step: Step, kind: str, var: str | None) -> str:
    template = texts().moment_kinds.get(kind, "")
    feels = ", ".join(step.node.feels) if step.node and step.node.feels else "something"
    try:
        return template.format(
            var=var or "",
            before=step.meter_before,
            after=step.meter_after,
            label=texts().label(step.label),
            feels=feels,
        )
    except (KeyError, IndexError, ValueError):
        return template


def moment(step: Step, var: str | None) -> Moment:
    kind = _kind(step)
    labels = [step.label] if step.label in MISSTEPS or step.label == EMPATHY else None
    node = step.node
    return Moment(
        turn=step.turn,
        kind=kind,
        why_chosen=_why(step, kind, var),
        label=step.label,
        client_line=step.client_line,
        quote=quote(step.record.detection, step.record.text, labels),
        feels=node.feels if node else (),
        model_reply=node.model_reply if node else None,
        why=node.why if node else None,
        meter_before=step.meter_before,
        meter_after=step.meter_after,
    )


def choose_moments(steps: Sequence[Step], var: str | None) -> tuple[Moment, ...]:
    """The 2–4 turns that mattered most: the biggest fall and rise of the meter, then the rest by
    score (missteps while the client felt something, unreflected feelings, the reply that led to an
    ending), at most two rises; shown in the order they happened."""
    if not steps:
        return ()
    picked: list[Step] = []
    drops = [s for s in steps if s.delta < 0]
    rises = [s for s in steps if s.delta > 0]
    if drops:
        picked.append(min(drops, key=lambda s: (s.delta, -_score(s), s.turn)))
    if rises:
        picked.append(max(rises, key=lambda s: (s.delta, _score(s), -s.turn)))
    ranked = sorted(steps, key=lambda s: (-_score(s), s.turn))
    for s in ranked:
        if len(picked) >= MAX_MOMENTS:
            break
        if s in picked:
            continue
        enough_rises = _kind(s) == "rise" and sum(_kind(p) == "rise" for p in picked) >= MAX_RISES
        if (_score(s) > 0 and not enough_rises) or len(picked) < MIN_MOMENTS:
            picked.append(s)
    return tuple(moment(s, var) for s in sorted(picked, key=lambda s: s.turn))


def best_empathic(steps: Sequence[Step]) -> Strength | None:
    """The learner's strongest empathic turn: highest empathy score, then biggest rise, then earliest."""
    empathic = [s for s in steps if s.label == EMPATHY]
    if not empathic:
        return None

    def strength(s: Step) -> tuple[float, int, int]:
        score = s.record.detection.scores.get(EMPATHY, 0.0) if s.record.detection else 0.0
        return (score, s.delta, -s.turn)

    best = max(empathic, key=strength)
    return Strength(best.turn, best.client_line, quote(best.record.detection, best.record.text, [EMPATHY]))
