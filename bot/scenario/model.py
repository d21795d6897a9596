"""The scenario model: a simulated client as plain, frozen data.

A scenario is loaded from one YAML file (see docs/scenarios.md and bot/scenario/load.py). The engine
only ever reads these objects; nothing here does I/O.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any

OUTCOMES: tuple[str, ...] = ("breakthrough", "progress", "neutral", "shutdown")
DIFFICULTIES: tuple[str, ...] = ("beginner", "intermediate", "advanced")

_OPS = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}


@dataclass(frozen=True, slots=True)
class VarCheck:
    """A comparison of one variable with a whole number, written `trust >= 3` in YAML."""

    var: str
    op: str
    value: int

    def holds(self, variables: dict[str, int]) -> bool:
        return _OPS[self.op](variables.get(self.var, 0), self.value)

    def __str__(self) -> str:
        return f"{self.var} {self.op} {self.value}"


@dataclass(frozen=True, slots=True)
class WordList:
    """A list of words named once under `words:` and used in conditions as `mentions: [$money]`."""

    name: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"${self.name}"


@dataclass(frozen=True, slots=True)
class Condition:
    """When a branch applies. Every part given must hold; an empty condition always holds.

    - label: the reply's primary label is one of these;
    - not_label: the primary label is none of these;
    - has: any of these labels was detected anywhere in the reply (multi-label: "I hear you, but...");
    - mentions: the reply contains one of these words or phrases (whole words, any case), or one of
      the words of a named list in `lists` (written `$money` in YAML);
    - checks: variable comparisons, all of which must hold;
    - any: alternative conditions, at least one of which must hold (they do not nest).
    """

    label: tuple[str, ...] = ()
    not_label: tuple[str, ...] = ()
    has: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    checks: tuple[VarCheck, ...] = ()
    lists: tuple[WordList, ...] = ()
    any: tuple[Condition, ...] = ()

    @property
    def always(self) -> bool:
        return not (
            self.label or self.not_label or self.has or self.mentions or self.checks or self.lists or self.any
        )

    @property
    def words(self) -> tuple[str, ...]:
        """Every word this condition's `mentions` looks for: its lists' words, then the literal ones."""
        return (*(word for wl in self.lists for word in wl.words), *self.mentions)

    def flat(self) -> tuple[Condition, ...]:
        """This condition and its `any` alternatives: every place a part may be written."""
        return (self, *self.any)

    def reads_variables(self) -> bool:
        return any(c.checks for c in self.flat())

    def describe(self) -> str:
        parts: list[str] = []
        if self.label:
            parts.append("label " + " or ".join(self.label))
        if self.not_label:
            parts.append("label not " + " or ".join(self.not_label))
        if self.has:
            parts.append("has " + " or ".join(self.has))
        if self.mentions or self.lists:
            words = [*map(str, self.lists), *(f'"{m}"' for m in self.mentions)]
            parts.append("mentions " + " or ".join(words))
        parts.extend(str(c) for c in self.checks)
        if self.any:
            parts.append("either " + " or ".join(f"({alt.describe()})" for alt in self.any))
        return " and ".join(parts) if parts else "always"


@dataclass(frozen=True, slots=True)
class Branch:
    """One way out of a node (or a global rule): a condition, effects on variables, and a target.

    `goto` is a node or ending id; None means the client stays at the current node. `says` holds
    variants of a reaction line the client says first (e.g. bristling at advice).
    """

    when: Condition
    goto: str | None = None
    says: tuple[str, ...] = ()
    set: dict[str, int] = field(default_factory=dict)
    add: dict[str, int] = field(default_factory=dict)
    note: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Node:
    """A point in the conversation: what the client says, feels, and how the learner could answer."""

    id: str
    says: tuple[str, ...]
    feels: tuple[str, ...] = ()
    model_reply: str | None = None
    why: str | None = None
    branches: tuple[Branch, ...] = ()
    otherwise: Branch | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Ending:
    """Where the conversation stops: an outcome and the client's closing line (variants)."""

    id: str
    outcome: str
    says: tuple[str, ...]
    summary: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    pronouns: str = ""
    age: int | None = None
    background: str = ""
    concern: str = ""


@dataclass(frozen=True, slots=True)
class ScenarioTest:
    """An expected conversation shipped with the scenario (run by `heard scenarios test`)."""

    name: str
    replies: tuple[str, ...]
    start: str | None = None
    vars: dict[str, int] = field(default_factory=dict)
    expect_nodes: tuple[str, ...] = ()
    expect_ending: str | None = None
    expect_vars: dict[str, int] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    summary: str
    persona: Persona
    start: str
    nodes: dict[str, Node]
    endings: dict[str, Ending]
    max_turns: int
    time_up: str
    language: str = "en"
    difficulty: str = "intermediate"
    objectives: tuple[str, ...] = ()
    facilitator_notes: str = ""
    content_notes: tuple[str, ...] = ()
    variables: dict[str, int] = field(default_factory=dict)
    meter: str | None = None
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: dict[str, WordList] = field(default_factory=dict)
    rules: tuple[Branch, ...] = ()
    tests: tuple[ScenarioTest, ...] = ()
    # Where it came from (for messages) and the sha256 of its source text (sessions pin a version).
    path: str = ""
    content_hash: str = ""
    source: str = ""

    def target(self, ident: str) -> Node | Ending | None:
        return self.nodes.get(ident) or self.endings.get(ident)

    @property
    def meter_var(self) -> str | None:
        """The variable a debrief shows as the client's state (declared `meter`, else the first)."""
        if self.meter:
            return self.meter
        return next(iter(self.variables), None)

    def summary_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "difficulty": self.difficulty,
            "client": self.persona.name,
        }
