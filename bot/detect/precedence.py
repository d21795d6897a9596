"""From cues to a verdict: a score per label, the primary label, and one sentence on why it won."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.detect.labels import LABELS, NEUTRAL

_ZERO = dict.fromkeys(LABELS, 0.0)
_NO_CUE = "no cue matched, so the reply is neutral"
_ONLY = {label: f"only {label} cues matched" for label in LABELS}


def score(
    cues: Iterable[Sequence[Any]],
    precedence: Sequence[str],
    has_contrast: bool,
    repeat: float = 0.3,
) -> tuple[dict[str, float], str, str]:
    """Scores per label (every label present), the primary label, and the reason it won.

    `cues` are the reader's cue tuples: index 3 is the label, 4 the weight, 7 the side of the sentence's
    "but" ("before", "after" or ""). A label's
    score is its strongest cue plus `repeat` times the rest: three sympathy formulas do not outweigh one
    piece of advice, but two reflections do say more than one.
    """
    best: dict[str, float] = {}
    total: dict[str, float] = {}
    after: set[str] = set()
    for cue in cues:
        weight = cue[4]
        if weight <= 0:
            continue
        label = cue[3]
        sum_so_far = total.get(label)
        if sum_so_far is None:
            best[label] = total[label] = weight
        else:
            total[label] = sum_so_far + weight
            if weight > best[label]:
                best[label] = weight
        if has_contrast and cue[7] == "after":
            after.add(label)
    scores = _ZERO.copy()
    if not best:
        scores[NEUTRAL] = 1.0
        return scores, NEUTRAL, _NO_CUE
    if len(best) == 1:  # the usual case: one label, so no ranking and no precedence
        label, top = next(iter(best.items()))
        scores[label] = round(top + repeat * (total[label] - top), 3)
        return scores, label, _ONLY.get(label) or f"only {label} cues matched"
    for label, top in best.items():
        scores[label] = round(top + repeat * (total[label] - top), 3)
    order = {label: i for i, label in enumerate(precedence)}
    ranked = sorted(best, key=lambda lab: (-scores[lab], order.get(lab, len(order))))
    label, runner = ranked[0], ranked[1]
    if scores[label] == scores[runner]:
        why = f"{label} and {runner} tie at {scores[label]:g}; {label} comes first in the precedence order"
    else:
        why = f"{label} scored {scores[label]:g}, ahead of {runner} at {scores[runner]:g}"
    if has_contrast and label in after and runner not in after:
        why += " (what comes after 'but' outweighs what comes before)"
    return scores, label, why
