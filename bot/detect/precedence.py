"""From cues to a verdict: a score per label, the primary label, and one sentence on why it won."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.detect.labels import LABELS, NEUTRAL

_ZERO = dict.fromkeys(LABELS, 0.0)
_NEUTRAL = {**_ZERO, NEUTRAL: 1.0}
_NO_CUE = "no cue matched, so the reply is neutral"
_ONLY = {label: f"only {label} cues matched" for label in LABELS}
_ORDERS: dict[tuple[str, ...], dict[str, int]] = {}  # precedence → label → rank
_LAST: list[Any] = [None, None]  # the precedence seen last, and its ranks
_NONE: frozenset[str] = frozenset()
# round(x, 3) costs about 170 ns and f"{x:g}" 130, a dict look-up 35: a reply's scores are sums of a few
# lexicon weights, so the same few values come back again and again.
_ROUNDED: dict[float, float] = {}
_SHOWN: dict[float, str] = {}
_MEMO_SIZE = 4096


def _round(value: float) -> float:
    if len(_ROUNDED) >= _MEMO_SIZE:
        _ROUNDED.clear()
    out = _ROUNDED[value] = round(value, 3)
    return out


def _shown(value: float) -> str:
    if len(_SHOWN) >= _MEMO_SIZE:
        _SHOWN.clear()
    out = _SHOWN[value] = f"{value:g}"
    return out


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
    if cues.__class__ is not list:
        cues = list(cues)
    if not cues:
        return _NEUTRAL.copy(), NEUTRAL, _NO_CUE
    if len(cues) == 1 and (weight := cues[0][4]) > 0:  # one cue: its weight is the score
        label = cues[0][3]
        scores = _ZERO.copy()
        raw = weight + repeat * (weight - weight)  # as below, with total == top
        scores[label] = _ROUNDED.get(raw) or _round(raw)
        return scores, label, _ONLY.get(label) or f"only {label} cues matched"
    best: dict[str, float] = {}
    total: dict[str, float] = {}
    after: set[str] = set() if has_contrast else _NONE
    for cue in cues:
        weight = cue[4]
        if weight <= 0:
            continue
        label = cue[3]
        top = best.get(label)
        if top is None:
            best[label] = total[label] = weight
        else:
            total[label] += weight
            if weight > top:
                best[label] = weight
        if has_contrast and cue[7] == "after":
            after.add(label)
    scores = _ZERO.copy()
    if not best:
        scores[NEUTRAL] = 1.0
        return scores, NEUTRAL, _NO_CUE
    if len(best) == 1:  # the usual case: one label, so no ranking and no precedence
        ((label, top),) = best.items()
        raw = top + repeat * (total[label] - top)
        scores[label] = _ROUNDED.get(raw) or _round(raw)
        return scores, label, _ONLY.get(label) or f"only {label} cues matched"
    if precedence is _LAST[0]:  # the same tuple every time: skip hashing it
        order = _LAST[1]
    else:
        ranks = precedence if isinstance(precedence, tuple) else tuple(precedence)
        order = _ORDERS.get(ranks)
        if order is None:
            order = _ORDERS[ranks] = {label: i for i, label in enumerate(ranks)}
        _LAST[:] = [precedence, order]
    last = len(order)
    # The two best labels: highest score first, then earlier in the precedence order (then first seen).
    label = runner = ""
    first = second = 0.0
    first_rank = second_rank = last
    for lab, top in best.items():
        raw = top + repeat * (total[lab] - top)
        value = scores[lab] = _ROUNDED.get(raw) or _round(raw)
        rank = order.get(lab, last)
        if not label or value > first or (value == first and rank < first_rank):
            runner, second, second_rank = label, first, first_rank
            label, first, first_rank = lab, value, rank
        elif not runner or value > second or (value == second and rank < second_rank):
            runner, second, second_rank = lab, value, rank
    shown = _SHOWN.get(first) or _shown(first)
    if first == second:
        why = f"{label} and {runner} tie at {shown}; {label} comes first in the precedence order"
    else:
        why = f"{label} scored {shown}, ahead of {runner} at {_SHOWN.get(second) or _shown(second)}"
    if has_contrast and label in after and runner not in after:
        why += " (what comes after 'but' outweighs what comes before)"
    return scores, label, why
