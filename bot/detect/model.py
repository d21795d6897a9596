"""What the detector returns: a primary label, a score per label, and the evidence behind them.

`Evidence` and `Detection` are immutable value objects: read-only attributes, equality by value, a
`to_dict`/`from_dict` pair for storage. They are written by hand rather than as frozen dataclasses
because one of each (or several evidence) is built for every reply, and a frozen dataclass sets each
field through `object.__setattr__`: these build in about a quarter of the time (docs/detector.md, Speed).
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any


class Evidence:
    """One cue that fired: which label, the words that caused it, where, and the rule's name.

    `label: str`, `text: str` (the learner's own words), `start: int`, `end: int` (positions in the
    reply), `rule: str` ("advice/suggestion"), `cancelled: bool`.
    """

    __slots__ = ("_cancelled", "_end", "_label", "_rule", "_start", "_text")
    __match_args__ = ("label", "text", "start", "end", "rule", "cancelled")

    def __init__(
        self, label: str, text: str, start: int, end: int, rule: str, cancelled: bool = False
    ) -> None:
        self._label = label
        self._text = text
        self._start = start
        self._end = end
        self._rule = rule
        # True when a nearby negation cancelled the cue ("I'm not going to tell you what you should do").
        self._cancelled = cancelled

    # Read-only: assigning to one raises AttributeError, as on a frozen dataclass.
    label = property(attrgetter("_label"))
    text = property(attrgetter("_text"))
    start = property(attrgetter("_start"))
    end = property(attrgetter("_end"))
    rule = property(attrgetter("_rule"))
    cancelled = property(attrgetter("_cancelled"))

    def _key(self) -> tuple[Any, ...]:
        return (self._label, self._text, self._start, self._end, self._rule, self._cancelled)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Evidence(label={self._label!r}, text={self._text!r}, start={self._start!r}, "
            f"end={self._end!r}, rule={self._rule!r}, cancelled={self._cancelled!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self._label,
            "text": self._text,
            "start": self._start,
            "end": self._end,
            "rule": self._rule,
            "cancelled": self._cancelled,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(
            label=data["label"],
            text=data["text"],
            start=int(data["start"]),
            end=int(data["end"]),
            rule=data["rule"],
            cancelled=bool(data.get("cancelled", False)),
        )


class Detection:
    """The detector's verdict on one learner reply.

    `label: str` (the primary label), `scores: dict[str, float]` (every label), `evidence:
    tuple[Evidence, ...]`, `reason: str`, `extra: dict[str, Any]`.
    """

    __slots__ = ("_evidence", "_extra", "_label", "_reason", "_scores")
    __match_args__ = ("label", "scores", "evidence", "reason", "extra")

    def __init__(
        self,
        label: str,
        scores: dict[str, float],
        evidence: tuple[Evidence, ...] = (),
        reason: str = "",
        extra: dict[str, Any] | None = None,
    ) -> None:
        self._label = label
        self._scores = scores
        self._evidence = evidence
        # One sentence on why the primary label won (precedence, "but", negation...).
        self._reason = reason
        self._extra = {} if extra is None else extra

    label = property(attrgetter("_label"))
    scores = property(attrgetter("_scores"))
    evidence = property(attrgetter("_evidence"))
    reason = property(attrgetter("_reason"))
    extra = property(attrgetter("_extra"))

    def _key(self) -> tuple[Any, ...]:
        return (self._label, self._scores, self._evidence, self._reason, self._extra)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())  # raises TypeError (the scores are a dict), as a frozen dataclass does

    def __repr__(self) -> str:
        return (
            f"Detection(label={self._label!r}, scores={self._scores!r}, evidence={self._evidence!r}, "
            f"reason={self._reason!r}, extra={self._extra!r})"
        )

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label with a positive score, strongest first (multi-label view)."""
        present = [(s, lab) for lab, s in self._scores.items() if s > 0]
        present.sort(key=lambda p: -p[0])
        return tuple(lab for _, lab in present)

    def cues(self, label: str) -> tuple[Evidence, ...]:
        """The live (not cancelled) evidence for one label."""
        return tuple(e for e in self._evidence if e.label == label and not e.cancelled)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self._label,
            "scores": dict(self._scores),
            "evidence": [e.to_dict() for e in self._evidence],
            "reason": self._reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Detection:
        return cls(
            label=data["label"],
            scores={k: float(v) for k, v in data.get("scores", {}).items()},
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", [])),
            reason=data.get("reason", ""),
        )
