"""Hand-built scenarios and transcripts with known answers, for the debrief tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.debrief.records import NoteRecord, SessionRecord, TurnRecord
from bot.detect.model import Detection, Evidence
from bot.scenario.model import Ending, Node, Persona, Scenario


def scenario(max_turns: int = 12) -> Scenario:
    """Dana: an opening node where she feels shock, a money node, three endings."""
    return Scenario(
        id="dana-test",
        title="Twelve years, then a box",
        summary="Dana was laid off.",
        persona=Persona(name="Dana Whitfield"),
        start="opening",
        nodes={
            "opening": Node(
                id="opening",
                says=("Twelve years. They gave me a box and fifteen minutes.",),
                feels=("shock", "shame"),
                model_reply="Twelve years, and it ended in fifteen minutes. That sounds like a real shock.",
                why="Reflecting the shock first shows Dana you heard her.",
            ),
            "money": Node(
                id="money",
                says=("The mortgage is due in three weeks. What should I do?",),
                feels=(),
                model_reply="The mortgage is weighing on you.",
                why="Naming the worry keeps her talking.",
            ),
        },
        endings={
            "breakthrough": Ending("breakthrough", "breakthrough", ("Thank you.",), "Dana felt heard."),
            "shutdown": Ending("shutdown", "shutdown", ("I'm done.",), "Dana shut down."),
            "out_of_time": Ending("out_of_time", "neutral", ("I should go.",), "Time ran out."),
        },
        max_turns=max_turns,
        time_up="out_of_time",
        variables={"trust": 2},
        meter="trust",
    )


def detection(text: str, label: str, *cues: str) -> Detection:
    """A detection labelled `label`, with one piece of evidence per cue phrase found in `text`."""
    evidence = []
    for cue in cues:
        start = text.lower().index(cue.lower())
        evidence.append(Evidence(label, text[start : start + len(cue)], start, start + len(cue), "test"))
    return Detection(label=label, scores={label: 1.0}, evidence=tuple(evidence), reason="test")


@dataclass
class Transcript:
    """Build a transcript line by line: client(...) then learner(...), as the store would keep it."""

    turns: list[TurnRecord] = field(default_factory=list)

    def client(self, text: str, node: str = "opening", trust: int = 2) -> Transcript:
        self.turns.append(TurnRecord(len(self.turns) + 1, "client", text, node=node, vars={"trust": trust}))
        return self

    def learner(self, text: str, label: str, *cues: str, node: str = "opening") -> Transcript:
        det = detection(text, label, *cues)
        self.turns.append(TurnRecord(len(self.turns) + 1, "learner", text, node=node, detection=det))
        return self


def session(
    outcome: str | None = "breakthrough", ending: str | None = "breakthrough", **kw: object
) -> SessionRecord:
    values: dict = {
        "id": 1,
        "scenario_id": "dana-test",
        "scenario_hash": "h",
        "status": "finished" if outcome else "active",
        "outcome": outcome,
        "ending": ending,
        "end_reason": "ending" if outcome else None,
        "guild_id": 10,
        "learner_id": 7,
        "learner_name": "Ana",
        "started_at": "2026-11-20T10:00:00+00:00",
    }
    values.update(kw)
    return SessionRecord(**values)


def note(text: str = "Good start.", author: str = "Ms Lee") -> NoteRecord:
    return NoteRecord(1, 1, 99, author, text, "2026-11-20T11:00:00+00:00")


OPENING = "Twelve years. They gave me a box and fifteen minutes."
MONEY = "The mortgage is due in three weeks. What should I do?"


def good_transcript() -> Transcript:
    """2 reflections and 1 open question: R:Q 2.0 (good), open share 100% (good); trust 2 → 5."""
    return (
        Transcript()
        .client(OPENING, trust=2)
        .learner("That sounds like a real shock.", "empathy", "sounds like")
        .client(MONEY, node="money", trust=3)
        .learner("It sounds like the mortgage weighs on you.", "empathy", "sounds like", node="money")
        .client("It does. Every night.", node="money", trust=4)
        .learner("What feels most urgent?", "open_question", "What", node="money")
        .client("Thank you.", node="breakthrough", trust=5)
    )


def poor_transcript() -> Transcript:
    """Advice while Dana feels shock (unasked), a closed question, then judgment: trust 2 → 0."""
    return (
        Transcript()
        .client(OPENING, trust=2)
        .learner("You should update your LinkedIn today.", "advice", "You should")
        .client("I didn't come here for a to-do list.", trust=1)
        .learner("Did you get severance?", "closed_question", "Did you")
        .client(OPENING, trust=1)
        .learner("At least you have savings.", "judgment", "At least")
        .client("I'm done.", node="shutdown", trust=0)
    )
