"""The reply detector: finds the lexicon's cues in a reply, applies negation and questions, and scores.

`analyse()` does the reading and returns every cue with its weight (the explanation uses it);
`detect()` turns that into the `Detection` the rest of Heard uses. Both are pure and never raise:
a reply the detector cannot read is neutral, with the reason logged.

The rules, in the order they apply (docs/detector.md has them with examples):
1. Phrases from the lexicon are found in the normalised reply; where two overlap, the longer wins.
   Sentence-start phrases (imperatives, question words) only count at the start of a sentence or clause;
   question phrases only count in a sentence that ends with "?" or has no end mark.
2. A negator ("not", "don't", "never"...) up to `negation_window` words before a cue, in the same clause,
   cancels it, or flips it to the label its group names ("that doesn't sound easy" → empathy).
3. A sentence ending in "?" with no question or advice phrase in it is a closed question (weakly).
4. Cues before the last "but"/"however" count half; cues after it count one and a half times.
5. A label's score is its strongest cue plus a share of the others; the highest score is the primary label,
   ties going to the label earlier in `PRECEDENCE`. No cue at all means neutral.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
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
from bot.detect.lexicon import CONTRAST, Lexicon, Phrases, Rule, default_lexicon, scenario_lexicon
from bot.detect.model import Detection, Evidence
from bot.detect.normalise import Normalised, normalise
from bot.detect.precedence import score

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
QUESTION_LABELS = frozenset({OPEN_QUESTION, CLOSED_QUESTION, ADVICE})
_QUESTION_MARK = Rule(label=CLOSED_QUESTION, name="closed_question/question-mark", weight=0.6)
_EXCLAMATION = Rule(label=REACTIVITY, name="reactivity/exclamation-marks", weight=0.5)
# What ends the sentence a question phrase is in: "?" or nothing keeps it a question, "." or "!" do not.
_SENTENCE_END = re.compile(r"\?|\.\.+|…|[.!\n]")
# Runs of punctuation after which a clause starts (sentence-start phrases are tried there).
_CLAUSE_BREAK = re.compile(r"[.!?…\n,;:]+")
_WINDOW_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.!?…\n,;:]")
_PUNCT = frozenset(".!?…\n,;:")


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue in a reply: where it is (in the normalised text), its rule, and what became of it."""

    start: int
    end: int
    rule: Rule
    label: str  # the rule's label, or the label a negation flipped it to
    weight: float  # after the "but" factor; 0 when cancelled
    negator: str = ""  # the word that cancelled or flipped it
    absorbed: bool = False  # an empathy phrase inside a question ("how are you feeling?") is the question
    contrast: str = ""  # "before" or "after" the last "but"

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


def _extra_key(extra: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        sorted((str(label), tuple(str(p) for p in phrases)) for label, phrases in extra.items() if phrases)
    )


def _cue_at(
    lex: Lexicon, phrases: Phrases, s: str, m: re.Match[str], shift: int = 0
) -> tuple[int, int, Rule] | None:
    """The cue a regex match stands for: a whole phrase, or the words before a slot plus the slot.
    `shift` moves the match's positions onto `s` (the anywhere pattern runs on " " + s)."""
    start, end = m.start(1) + shift, m.end(1) + shift
    rule, slots = lex.lookup(phrases, m.group(1))
    for name, slot_rule in slots:
        entry = lex.sets[name].match(s, end)
        if entry is not None:
            rule, end = slot_rule, entry.end()
            break
    if rule is None:
        return None
    return start, end, rule


def _find(lex: Lexicon, s: str, breaks: list[tuple[int, int]]) -> tuple[list[tuple[int, int, Rule]], list[int]]:
    """Every lexicon phrase in `s` as (start, end, rule), before overlaps are resolved, and where each
    "but" is. `breaks` are the punctuation runs after which a clause starts."""
    found: list[tuple[int, int, Rule]] = []
    contrasts: list[int] = []
    anywhere = lex.anywhere
    # The pattern wants a word-start character before each phrase: give the first word a space.
    for m in anywhere.pattern.finditer(" " + s):
        cue = _cue_at(lex, anywhere, s, m, -1)
        if cue is None:
            continue
        if cue[2] is CONTRAST:
            contrasts.append(cue[0])
        elif not cue[2].question or _is_question(s, cue[1]):
            found.append(cue)
    at_start = lex.at_start
    match = at_start.pattern.match
    for clause_start in (0, *(e for _, e in breaks)):
        m = match(s, clause_start)
        if m is not None:
            cue = _cue_at(lex, at_start, s, m)
            if cue is not None and (not cue[2].question or _is_question(s, cue[1])):
                found.append(cue)
    return found, contrasts


def _without_overlaps(found: list[tuple[int, int, Rule]]) -> list[tuple[int, int, Rule]]:
    """Where phrases overlap, the longest wins (then the earliest); the rest do not count."""
    if len(found) < 2:
        return found
    kept: list[tuple[int, int, Rule]] = []
    for cue in sorted(found, key=lambda c: (c[0] - c[1], c[0])):
        if all(cue[1] <= k[0] or cue[0] >= k[1] for k in kept):
            kept.append(cue)
    kept.sort(key=lambda c: c[0])
    return kept


def _is_question(s: str, pos: int) -> bool:
    m = _SENTENCE_END.search(s, pos)
    return m is None or m.group() not in (".", "!")


def _negator(lex: Lexicon, s: str, start: int, floor: int) -> str:
    """The negator within reach before `start` (not inside an earlier cue), or ""."""
    window = _WINDOW_TOKEN.findall(s, max(floor, start - 60), start)
    reach = int(lex.settings.get("negation_window", 3)) + 1
    for i, token in enumerate(reversed(window)):
        word = token.replace("'", "")
        if i >= reach or token in _PUNCT or word in lex.scope_breaks:
            return ""
        if word in lex.negators:
            return token
    return ""


def _question_marks(
    s: str, breaks: list[tuple[int, int]], cues: list[tuple[int, int, Rule]]
) -> list[tuple[int, int, Rule]]:
    """A closed-question cue for each "?" sentence that holds no question or advice phrase."""
    added = []
    sentence_start = 0
    for start, end in breaks:
        mark = s.find("?", start, end)
        if mark >= 0 and not any(
            sentence_start <= c[0] < start and c[2].label in QUESTION_LABELS for c in cues
        ):
            added.append((mark, mark + 1, _QUESTION_MARK))
        if s[start] != ",":
            sentence_start = end
    return added


def _questioned_spans(
    s: str, cues: list[tuple[int, int, Rule]], breaks: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """From each question phrase to the end of its sentence: an empathy phrase there is part of the
    question ("how are you feeling?"), not a reflection of its own."""
    spans = []
    for start, _, rule in cues:
        if rule.question:
            end = next((b for a, b in breaks if a >= start and s[a] not in ",;:"), len(s))
            spans.append((start, end))
    return spans


def analyse(
    text: str,
    extra_phrases: Mapping[str, Sequence[str]] | None = None,
    lexicon: Lexicon | None = None,
) -> Analysis:
    """Read one reply: every cue the lexicon finds, with negation, questions and the "but" rule applied."""
    lex = lexicon or default_lexicon()
    norm = normalise(text)
    s = norm.text
    breaks = [m.span() for m in _CLAUSE_BREAK.finditer(s)]
    found, contrasts = _find(lex, s, breaks)
    if extra_phrases:
        extra = _extra_key(extra_phrases)
        if extra:
            found.extend(_find(scenario_lexicon(extra), s, [])[0])
    kept = _without_overlaps(found)
    if "?" in s:
        kept.extend(_question_marks(s, breaks, kept))
        kept.sort(key=lambda c: c[0])
    if "!!" in s:
        at = s.index("!!")
        kept.append((at, at + 2, _EXCLAMATION))
    settings = lex.settings
    ends = [b for a, b in breaks if s[a] not in ",;:"] if contrasts else []
    cues: list[Cue] = []
    floor = 0
    asked = _questioned_spans(s, kept, breaks)
    for start, end, rule in kept:
        label, weight, negator = rule.label, rule.weight, ""
        if rule is _QUESTION_MARK:
            weight = settings.get("question_mark", weight)
        elif rule is _EXCLAMATION:
            weight = settings.get("exclamations", weight)
        elif not rule.keep_negated:
            negator = _negator(lex, s, start, floor)
            if negator:
                if rule.negated:
                    label = rule.negated
                else:
                    weight = 0.0
        absorbed = label == EMPATHY and any(a <= start < b for a, b in asked)
        if absorbed:
            weight = 0.0
        side = _side(start, contrasts, ends) if contrasts and rule is not _QUESTION_MARK else ""
        if side:
            weight *= settings.get("after_contrast", 1.5) if side == "after" else settings.get("before_contrast", 0.5)
        cues.append(Cue(start, end, rule, label, weight, negator, absorbed, side))
        floor = max(floor, end)
    return Analysis(text, norm, tuple(cues), contrasts[-1] if contrasts else -1)


def _side(pos: int, contrasts: list[int], ends: list[int]) -> str:
    """"before" or "after" the last "but" of the sentence `pos` is in, or "" if it has none."""
    i = bisect_right(ends, pos)
    sentence_start = ends[i - 1] if i else 0
    sentence_end = ends[i] if i < len(ends) else 1 << 62
    inside = [c for c in contrasts if sentence_start <= c < sentence_end]
    if not inside:
        return ""
    return "after" if pos > inside[-1] else "before"


def _evidence(analysis: Analysis) -> tuple[Evidence, ...]:
    norm, text = analysis.normalised, analysis.text
    out = []
    for cue in analysis.cues:
        start, end = norm.start(cue.start), norm.end(cue.end)
        rule = cue.rule.name
        if cue.negator:
            rule += f" (cancelled by '{cue.negator}')" if cue.cancelled else f" (negated by '{cue.negator}')"
        out.append(Evidence(cue.label, text[start:end], start, end, rule, cue.cancelled))
    return tuple(out)


def detect(text: str, extra_phrases: Mapping[str, Sequence[str]] | None = None) -> Detection:
    """Label one learner reply. Deterministic, linear in the reply's length, and never raises."""
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        analysis = analyse(text, extra_phrases)
        scores, label, reason = score(analysis.cues, PRECEDENCE, analysis.contrast_at >= 0)
        return Detection(label=label, scores=scores, evidence=_evidence(analysis), reason=reason)
    except Exception:  # the detector must never take a session down; log it and call the reply neutral
        log.exception("detector failed on a reply of %d characters", len(text) if isinstance(text, str) else -1)
        scores = dict.fromkeys(LABELS, 0.0)
        scores[NEUTRAL] = 1.0
        return Detection(label=NEUTRAL, scores=scores, reason="the detector could not read this reply")


__all__ = ["PRECEDENCE", "Analysis", "Cue", "analyse", "detect"]
