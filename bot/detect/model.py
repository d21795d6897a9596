"""What the detector returns: a primary label, a score per label, and the evidence behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cue that fired: which label, the words that caused it, where, and the rule's name."""

    label: str
    text: str
    start: int
    end: int
    rule: str
    # True when a nearby negation cancelled the cue ("I'm not going to tell you what you should do").
    cancelled: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "cancelled": self.cancelled,
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


@dataclass(frozen=True, slots=True)
class Detection:
    """The detector's verdict on one learner reply."""

    label: str
    scores: dict[str, float]
    evidence: tuple[Evidence, ...] = ()
    # One sentence on why the primary label won (precedence, "but", negation...).
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label with a positive score, strongest first (multi-label view)."""
        present = [(s, lab) for lab, s in self.scores.items() if s > 0]
        present.sort(key=lambda p: -p[0])
        return tuple(lab for _, lab in present)

    def cues(self, label: str) -> tuple[Evidence, ...]:
        """The live (not cancelled) evidence for one label."""
        return tuple(e for e in self.evidence if e.label == label and not e.cancelled)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "scores": dict(self.scores),
            "evidence": [e.to_dict() for e in self.evidence],
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Detection:
        return cls(
            label=data["label"],
            scores={k: float(v) for k, v in data.get("scores", {}).items()},
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", [])),
            reason=data.get("reason", ""),
        )
