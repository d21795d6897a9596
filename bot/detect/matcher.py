"""The reply detector: `detect(text, extra_phrases)` labels one learner reply and cites its evidence.

The rules, in the order they apply (docs/detector.md has them with examples):
1. Phrases from the lexicon are found in the normalised reply; where two overlap, the longer wins.
   Sentence-start phrases (imperatives, question words) only count at the start of a sentence or clause;
   question phrases only count in a sentence that ends with "?" or has no end mark.
2. A negator ("not", "don't", "never"...) up to `negation_window` words before a cue, in the same clause,
   cancels it, or flips it to the label its group names ("that doesn't sound easy" → empathy).
3. A sentence ending in "?" with no question or advice phrase in it is a closed question (weakly); an
   empathy phrase inside a question is part of the question ("how are you feeling?"), and a yes/no
   question that carries advice is part of the advice ("is there someone you could talk to?").
   In a sentence ending with "!", reactivity cues count more ("Oh no, that's terrible!").
4. In a sentence with "but"/"however", cues before the last one count half, cues after it 1.5 times.
   An empathy cue after a self-disclosure in the same sentence is part of the learner's own story ("I lost
   my job too and it was so hard"), until the learner turns to the client ("…so you must be exhausted").
5. A label's score is its strongest cue plus a share of the others; the highest score is the primary label,
   ties going to the label earlier in `PRECEDENCE`. No cue at all means neutral.

`analyse()` returns the same reading as objects, for `heard detect --explain`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.detect.labels import (
    ADVICE,
    CLOSED_QUESTION,
    EMPATHY,
    JUDGMENT,
    LABELS,
    NEUTRAL,
    OPEN_QUESTION,
    REACTIVITY,
    SELF_FOCUS,
)
from bot.detect.lexicon import Lexicon, Rule, default_lexicon, scenario_lexicon
from bot.detect.model import Detection, Evidence
from bot.detect.normalise import MARKUP, Normalised, normalise
from bot.detect.precedence import score
from bot.detect.reading import STORY, read

log = logging.getLogger(__name__)

# Ties between equal scores go to the label listed first: a misstep hidden in a kind reply is what a
# trainee most needs to see, and a question says more about the reply's intent than a sympathy formula.
PRECEDENCE: tuple[str, ...] = (
    ADVICE,
    JUDGMENT,
    SELF_FOCUS,
    REACTIVITY,
    OPEN_QUESTION,
    CLOSED_QUESTION,
    EMPATHY,
    NEUTRAL,
)


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue in a reply: where it is (in the normalised text), its rule, and what became of it."""

    start: int
    end: int
    rule: Rule
    label: str  # the rule's label, or the label a negation flipped it to
    weight: float  # after the "but" factor; 0 when cancelled
    negator: str = ""  # the word that cancelled or flipped it
    # An empathy phrase inside a question ("how are you feeling?") is the question; "story" (`STORY`): one
    # after a self-disclosure in its sentence ("I lost my job too and it was hard") is the disclosure.
    absorbed: bool | str = False
    contrast: str = ""  # "before" or "after" the last "but" of its sentence

    @property
    def cancelled(self) -> bool:
        return self.weight == 0.0


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the detector read in one reply."""

    text: str
    normalised: Normalised
    cues: tuple[Cue, ...]
    contrast_at: int  # position of the last "but" in the normalised text, or -1


def _extra_lexicon(extra: Mapping[str, Sequence[str]] | None) -> Lexicon | None:
    """The compiled lexicon of a scenario's own phrases (cached), or None."""
    if not extra:
        return None
    key = tuple(
        sorted((str(label), tuple(str(p) for p in phrases)) for label, phrases in extra.items() if phrases)
    )
    return scenario_lexicon(key) if key else None


def analyse(
    text: str,
    extra_phrases: Mapping[str, Sequence[str]] | None = None,
    lexicon: Lexicon | None = None,
) -> Analysis:
    """Read one reply: every cue the lexicon finds, with negation, questions and the "but" rule applied."""
    norm = normalise(text)
    cues, contrast_at = read(lexicon or default_lexicon(), norm.text, _extra_lexicon(extra_phrases))
    return Analysis(text, norm, tuple(Cue(*c) for c in cues), contrast_at)


def _evidence(text: str, norm: Normalised | None, cues: list) -> tuple[Evidence, ...]:
    """The cues as `Evidence`, quoting the original text (`norm` maps positions back, when it must)."""
    mapped = norm is not None and bool(norm.segments)
    out = []
    for start, end, rule, label, weight, negator, absorbed, _ in cues:
        if mapped:
            start, end = norm.start(start), norm.end(end)
        if negator:
            name = rule.name + (f" (negated by '{negator}')" if weight else f" (cancelled by '{negator}')")
        elif absorbed == STORY:
            name = rule.name + " (part of the learner's own story)"
        elif absorbed:
            name = rule.name + (
                " (part of the advice)" if label == CLOSED_QUESTION else " (part of a question)"
            )
        else:
            name = rule.name
        out.append(Evidence(label, text[start:end], start, end, name, weight == 0.0))
    return tuple(out)


def detect(text: str, extra_phrases: Mapping[str, Sequence[str]] | None = None) -> Detection:
    """Label one learner reply. Deterministic, linear in the reply's length, and never raises."""
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        lex = default_lexicon()
        low = text.lower()
        if low.isascii() and len(low) == len(text):  # the usual reply: matching form = lower case
            norm = None
            if "_" in low or "*" in low:  # Discord's _italics_ and *bold*: "_not_" reads as "not"
                low = low.translate(MARKUP)  # (same length, so positions hold)
        else:
            norm = normalise(text)
            low = norm.text
        cues, contrast_at = read(lex, low, _extra_lexicon(extra_phrases) if extra_phrases else None)
        scores, label, reason = score(cues, PRECEDENCE, contrast_at >= 0, lex.tuning[-1])
        return Detection(label, scores, _evidence(text, norm, cues) if cues else (), reason)
    except Exception:  # the detector must never take a session down; log it and call the reply neutral
        log.exception(
            "detector failed on a reply of %d characters", len(text) if isinstance(text, str) else -1
        )
        scores = dict.fromkeys(LABELS, 0.0)
        scores[NEUTRAL] = 1.0
        return Detection(label=NEUTRAL, scores=scores, reason="the detector could not read this reply")


__all__ = ["PRECEDENCE", "Analysis", "Cue", "analyse", "detect"]
