"""The debrief's words (label names, band words, outcome colours, advice asks), read once from
texts.yaml beside this module so they can be edited without touching code."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TEXTS_PATH = Path(__file__).with_name("texts.yaml")


@dataclass(frozen=True, slots=True)
class Texts:
    labels: dict[str, str]
    bands: dict[str, str]
    outcome_words: dict[str, str]
    outcome_colours: dict[str, int]
    moment_kinds: dict[str, str]
    advice_asks: re.Pattern[str] | None
    zero_turns: str
    end_reasons: dict[str, str]
    note_max_chars: int

    def label(self, label: str) -> str:
        return self.labels.get(label, label.replace("_", " "))

    def outcome(self, outcome: str | None) -> str:
        return self.outcome_words.get(outcome or "unfinished", (outcome or "unfinished").title())

    def colour(self, outcome: str | None) -> int:
        return self.outcome_colours.get(outcome or "unfinished", self.outcome_colours.get("unfinished", 0))

    def early_end(self, end_reason: str | None, client: str) -> str | None:
        """How an early end (by the learner, a facilitator, silence…) is summed up, or None when the
        scenario's own ending summary fits (an ending reached, or the turns ran out)."""
        template = self.end_reasons.get(end_reason or "")
        return template.format(client=client) if template else None

    def asks_for_advice(self, line: str) -> bool:
        return bool(self.advice_asks and self.advice_asks.search(line.lower().replace("’", "'")))


def _compile(phrases: list[str]) -> re.Pattern[str] | None:
    parts = [re.escape(p.lower().strip()) for p in phrases if p and p.strip()]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@functools.cache
def texts() -> Texts:
    data: dict[str, Any] = yaml.safe_load(TEXTS_PATH.read_text(encoding="utf-8")) or {}
    outcomes = data.get("outcomes", {})
    return Texts(
        labels=dict(data.get("labels", {})),
        bands=dict(data.get("bands", {})),
        outcome_words={k: str(v.get("word", k)) for k, v in outcomes.items()},
        outcome_colours={k: int(v.get("colour", 0)) for k, v in outcomes.items()},
        moment_kinds=dict(data.get("moment_kinds", {})),
        advice_asks=_compile(list(data.get("advice_asks", []))),
        zero_turns=str(data.get("zero_turns", "No replies were given in this session.")),
        end_reasons={str(k): str(v) for k, v in (data.get("end_reasons") or {}).items()},
        note_max_chars=int(data.get("note_max_chars", 1000)),
    )
