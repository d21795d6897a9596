"""From cues to a verdict: a score per label, the primary label, and one sentence on why it won."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from bot.detect.labels import LABELS, NEUTRAL

# Each further cue of a label adds this share of its weight: three sympathy formulas do not outweigh
# one piece of advice, but two reflections do say more than one.
REPEAT_SHARE = 0.3


class _Cue(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def contrast(self) -> str: ...


def score(
    cues: Iterable[_Cue], precedence: Sequence[str], has_contrast: bool
) -> tuple[dict[str, float], str, str]:
    """Scores per label (every label present), the primary label, and the reason it won."""
    best: dict[str, float] = {}
    total: dict[str, float] = {}
    sides: dict[str, set[str]] = {}
    for cue in cues:
        if cue.weight <= 0:
            continue
        lab = cue.label
        total[lab] = total.get(lab, 0.0) + cue.weight
        if cue.weight > best.get(lab, 0.0):
            best[lab] = cue.weight
        sides.setdefault(lab, set()).add(cue.contrast)
    scores = dict.fromkeys(LABELS, 0.0)
    for lab, top in best.items():
        scores[lab] = round(top + REPEAT_SHARE * (total[lab] - top), 3)
    if not best:
        scores[NEUTRAL] = 1.0
        return scores, NEUTRAL, "no cue matched, so the reply is neutral"
    order = {lab: i for i, lab in enumerate(precedence)}
    ranked = sorted(best, key=lambda lab: (-scores[lab], order.get(lab, len(order))))
    label = ranked[0]
    if len(ranked) == 1:
        return scores, label, f"only {label} cues matched"
    runner = ranked[1]
    if scores[label] == scores[runner]:
        why = f"{label} and {runner} tie at {scores[label]:g}; {label} comes first in the precedence order"
    else:
        why = f"{label} scored {scores[label]:g}, ahead of {runner} at {scores[runner]:g}"
    if has_contrast and "after" in sides.get(label, ()) and "after" not in sides.get(runner, ()):
        why += f" (what comes after 'but' outweighs what comes before)"
    return scores, label, why
