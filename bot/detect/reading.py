"""Reading a reply: every cue the lexicon finds in it, with negation, questions and "but" applied.

This is the detector's inner loop, written for speed (it runs on every reply, tens of thousands a second
in the benchmark): plain tuples, local names, and each extra pass over the text only when the text can
need it. A cue is a tuple `(start, end, rule, label, weight, negator, absorbed, side)`, positions in the
normalised text. The rules it applies are listed in `bot/detect/matcher.py`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise
from operator import itemgetter

from bot.detect.labels import ADVICE, CLOSED_QUESTION, EMPATHY, OPEN_QUESTION, REACTIVITY, SELF_FOCUS
from bot.detect.lexicon import CONTRAST, Entry, Lexicon, Rule, Slots
from bot.detect.patterns import HIDES_MAYBE
from bot.detect.sentences import SENTENCE_MARKS, LazySentences, Sentences

RawCue = tuple[int, int, Rule]
CueTuple = tuple[int, int, Rule, str, float, str, bool | str, str]
Spans = tuple[list[int], list[int]]  # (starts, ends), sorted

QUESTION_LABELS = frozenset({OPEN_QUESTION, CLOSED_QUESTION, ADVICE})
QUESTION_MARK = Rule(label=CLOSED_QUESTION, name="closed_question/question-mark", weight=0.6)
EXCLAMATION = Rule(label=REACTIVITY, name="reactivity/exclamation-marks", weight=0.5)
_WINDOW_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.!?…\n,;:]")
# Could there be a negator at all? A cheap first look ("want" passes too); `_negator` then decides.
# Written as `\b(?:not?|never|nothing|nobody|hardly|without|neither|nor|cannot)\b|n'?t\b`, but with every
# branch opening on a letter (the word start checked just after it), so the engine skips to n, h, w, c.
_ANY_NEGATOR = re.compile(
    r"(?:n(?:(?<!\w.)(?:ot?|ever|othing|obody|either|or)|'?t)|h(?<!\w.)ardly|w(?<!\w.)ithout|c(?<!\w.)annot)\b"
)
_PUNCT = frozenset(".!?…\n,;:")
NEGATION_REACH = 60  # characters before a cue that may hold its negator
_SPACE_OR_PUNCT = _PUNCT | {" "}
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
STORY = "story"  # `absorbed` for an empathy cue that is part of the learner's own story
STORY_MIN = 0.9  # the weight of a self-disclosure phrase that starts a story (self_focus/my-life and up)
_YOU = re.compile(r"\b(?:you|your|yours|yourself|you'?re|you'?ve|you'?d|you'?ll|u|ur|ya)\b")


def _resolve(lex: Lexicon, s: str, end: int, rule: Rule | None, slots: Slots) -> tuple[Rule | None, int]:
    """A matched phrase's rule, or the rule of the first word-set slot that follows it."""
    for name, slot_rule in slots:
        entry = lex.sets[name].match(s, end)
        if entry is not None:
            return slot_rule, entry.end()
    return rule, end


def _at_clause_start(lex: Lexicon, s: str, start: int) -> bool:
    """Whether a phrase at `start` begins a sentence or clause (possibly after openers like "so")."""
    before = start - 1
    while before >= 0 and s[before] == " ":
        before -= 1
    if before < 0 or s[before] in _PUNCT:
        return True
    word_start = s.rfind(" ", 0, before) + 1
    if s[word_start : before + 1].replace("'", "") not in lex.openers:
        return False  # the usual mid-sentence case, decided without a regex
    return lex.clause_start.search(s, max(0, start - 40), start) is not None


def _cue_of(lex: Lexicon, s: str, start: int, end: int, text: str) -> tuple[Rule, int] | None:
    """The rule a matched phrase stands for, and where its cue ends (after any word-set slot)."""
    route = lex.routes.get(text)
    entry = route[3] if route is not None else lex.lookup(text)
    return None if entry is None else _cue_of_entry(lex, s, start, end, entry)


def _cue_of_entry(
    lex: Lexicon, s: str, start: int, end: int, entry: Entry, clause: bool | None = None
) -> tuple[Rule, int] | None:
    """`_cue_of` for a phrase whose lexicon entry is known (`clause`: whether `start` begins a clause,
    when the caller already knows)."""
    rule, slots, start_rule, start_slots = entry
    cue_end = end
    if slots:
        rule, cue_end = _resolve(lex, s, end, rule, slots)
    if (start_rule is not None or start_slots) and (
        _at_clause_start(lex, s, start) if clause is None else clause
    ):
        start_end = end
        if start_slots:
            start_rule, start_end = _resolve(lex, s, end, start_rule, start_slots)
        if start_rule is not None and (
            rule is None
            or start_end > cue_end
            # An imperative that a longer advice phrase starts with ("Talk to your boss"): the heavier.
            or (
                start_end == cue_end
                and rule.label == start_rule.label == ADVICE
                and start_rule.weight > rule.weight
            )
        ):
            rule, cue_end = start_rule, start_end
    return None if rule is None else (rule, cue_end)


def _phrases(lex: Lexicon, s: str, sentences: LazySentences) -> tuple[list[RawCue], list[int], bool, bool]:
    """Every lexicon phrase in `s` before overlaps are resolved (in order of where they start), where
    each "but" is, whether any two phrases overlap, and whether any is a question phrase."""
    found: list[RawCue] = []
    reached = 0  # the furthest end of a phrase so far: a phrase starting before it overlaps
    overlaps = questions = False
    contrasts: list[int] = []
    # The pattern wants a word-start character before each phrase: give the first word a space. That
    # character is the one before the phrase in `s`, so a match's span in `padded` is (start, end + 1).
    padded = " " + s
    search = lex.anywhere.pattern.search
    routes = lex.routes
    openers = lex.openers
    intensified = lex.intensified
    intensifier_next = lex.intensifier_next.match
    pos = 0
    while (m := search(padded, pos)) is not None:
        text = m[1]
        start, pos = m.span()
        # As the lexicon writes it (most are): all the reader needs in one look-up. Otherwise (typed
        # without an apostrophe, a typo, an intensifier) `_cue_of` reads it as the lexicon would.
        route = routes.get(text)
        if route is not None and (rule := route[0]) is not None:  # the fast path: counts as it is
            if rule is CONTRAST:
                contrasts.append(start)
            else:
                if start < reached:
                    overlaps = True
                reached = end = pos - 1
                found.append((start, end, rule))
            continue
        end = pos - 1
        # If this turns out not to be a cue (a lead whose word set does not follow, a sentence-start
        # phrase in mid-sentence), look again from its second word: a phrase may start there.
        several = " " in text
        if several:
            pos = start + 1
        rule = route[1] if route is not None else None
        clause = None  # whether the phrase begins a clause, once that is known
        if rule is not None:  # a sentence-start phrase: most come mid-sentence and are dismissed here
            if (
                start > 1
                and s[start - 1] == " "
                and s[start - 2] not in _SPACE_OR_PUNCT
                and s[s.rfind(" ", 0, start - 2) + 1 : start - 1].replace("'", "") not in openers
            ):
                cue, clause = None, False  # a word that is not an opener comes just before it
            else:
                clause = _at_clause_start(lex, s, start)
                cue = (rule, end) if clause else None
        elif route is None:
            cue = _cue_of(lex, s, start, end, text)
        elif (leads := route[2]) is not None:  # words that only count with a word set after them
            cue = None
            for match, slot_rule in leads:
                if (entry := match(s, end)) is not None:
                    cue = (slot_rule, entry.end())
                    break
        else:
            cue = _cue_of_entry(lex, s, start, end, route[3])
        # The longest phrase the regex found did not pan out (its word set did not follow, or it only
        # counts at a clause start): a shorter phrase at the same place may ("get a" → "get"). First an
        # intensified phrase starting there: the regex takes the first branch that fits, so a written-out
        # phrase may have hidden it ("your feelings are completely" → "… ~ understandable").
        if (
            cue is None
            and several
            and intensified is not None
            # Not written as the lexicon writes it, or it may hide one: an intensifier is among its words
            # or comes next (`patterns.Route`).
            and (route is None or (hides := route[4]) == HIDES_MAYBE or (hides and intensifier_next(s, end)))
            and (again := intensified.match(padded, start)) is not None
            and again.end() - 1 != end
        ):
            cue = _cue_of(lex, s, start, again.end() - 1, again.group(1))
        if cue is None and several:
            if route is not None:  # typed as the lexicon writes it: the shorter phrases are known
                for length, entry in route[5]:
                    if (cue := _cue_of_entry(lex, s, start, start + length, entry, clause)) is not None:
                        break
            else:
                for word in reversed(list(_WORD.finditer(s, start, end))[:-1]):
                    if (cue := _cue_of(lex, s, start, word.end(), s[start : word.end()])) is not None:
                        break
        if cue is None:
            continue
        rule, cue_end = cue
        pos = end + 1
        if rule is CONTRAST:
            contrasts.append(start)
        elif not rule.question or sentences.is_question(cue_end):
            if start < reached:
                overlaps = True
            if cue_end > reached:
                reached = cue_end
            found.append((start, cue_end, rule))
            questions = questions or rule.question
    return found, contrasts, overlaps, questions


def _clash(a: RawCue, b: RawCue) -> bool:
    if a[1] <= b[0] or a[0] >= b[1]:
        return False
    # A question word and a phrase starting later inside its question both count ("do you feel ready?").
    return not ((a[2].question and b[0] > a[0]) or (b[2].question and a[0] > b[0]))


_start = itemgetter(0)


def without_overlaps(found: list[RawCue]) -> list[RawCue]:
    """Where phrases overlap, the longest wins (then the earliest); the rest do not count."""
    if len(found) < 2:
        return found
    found.sort(key=_start)
    if all(a[1] <= b[0] for a, b in pairwise(found)):  # the usual case: nothing overlaps
        return found
    kept: list[RawCue] = []
    ordered = sorted(found, key=lambda c: (c[0] - c[1], c[0]))
    if len(found) <= 16:
        for cue in ordered:
            if not any(_clash(cue, k) for k in kept):
                kept.append(cue)
    else:  # a long reply: look only at the cues that own the characters this one covers
        owner: dict[int, RawCue] = {}
        for cue in ordered:
            if not any(_clash(cue, k) for k in {owner[p] for p in range(cue[0], cue[1]) if p in owner}):
                kept.append(cue)
                owner.update(dict.fromkeys(range(cue[0], cue[1]), cue))
    kept.sort(key=lambda c: c[0])
    return kept


def _negator(lex: Lexicon, s: str, start: int, floor: int, reach: int) -> str:
    """The negator within `reach` tokens before `start` (not inside an earlier cue), or ""."""
    window = _WINDOW_TOKEN.findall(s, max(floor, start - NEGATION_REACH), start)
    after = ""
    for i, token in enumerate(reversed(window)):
        word = token.replace("'", "")
        if i >= reach or token in _PUNCT or word in lex.scope_breaks:
            return ""
        # "Not knowing can be scary": the "not" belongs to the -ing word, not to the cue.
        if word in lex.negators and not after.endswith("ing"):
            return token
        after = word
    return ""


def _question_marks(s: str, sentences: Sentences, cues: list[RawCue]) -> list[RawCue]:
    """A closed-question cue for each "?" sentence that holds no question or advice phrase."""
    asking = [c[0] for c in cues if c[2].label in QUESTION_LABELS]  # sorted, as `cues` is
    added = []
    marks, ends = sentences.marks, sentences.ends
    # From one "?" to the next with `find`, not sentence by sentence: each is the first of its end mark.
    at = s.find("?")
    while at >= 0:
        i = bisect_right(marks, at) - 1  # the end mark it is in
        j = bisect_left(asking, ends[i - 1] if i else 0)
        if j == len(asking) or asking[j] >= marks[i]:
            added.append((at, at + 1, QUESTION_MARK))
        at = s.find("?", ends[i])
    return added


def _questioned_spans(cues: list[RawCue], sentences: Sentences) -> tuple[Spans, Spans, list[int]]:
    """From each question phrase to the end of its sentence, as (starts, ends): for all question phrases,
    and for open-question phrases only; and where each advice cue of weight 1 or more starts."""
    starts: list[int] = []
    ends: list[int] = []
    open_starts: list[int] = []
    open_ends: list[int] = []
    advising: list[int] = []
    end_after = sentences.end_after
    for start, _, rule in cues:
        if rule.label == ADVICE and rule.weight >= 1.0:
            advising.append(start)
        if rule.question:
            end = end_after(start)
            starts.append(start)
            ends.append(end)
            if rule.label == OPEN_QUESTION:
                open_starts.append(start)
                open_ends.append(end)
    return (starts, ends), (open_starts, open_ends), advising


def _inside(pos: int, spans: Spans, strictly: bool = False) -> bool:
    """Whether `pos` falls in one of the spans (after its start, if `strictly`)."""
    i = bisect_right(spans[0], pos - 1 if strictly else pos) - 1
    return i >= 0 and pos < spans[1][i]


def _side(pos: int, contrasts: list[int], sentences: Sentences) -> str:
    """ "before" or "after" the last "but" of the sentence `pos` is in, or "" if it has none."""
    start, end = sentences.start_of(pos), sentences.end_after(pos)
    i = bisect_left(contrasts, end) - 1
    if i < 0 or contrasts[i] < start:
        return ""
    return "after" if pos > contrasts[i] else "before"


def _advises(start: int, advising: list[int], lazy: LazySentences) -> bool:
    """Whether an advice cue starts after `start` in the same sentence."""
    i = bisect_right(advising, start)
    return i < len(advising) and advising[i] < lazy.get().end_after(start)


def _in_story(s: str, cues: list[CueTuple]) -> list[CueTuple]:
    """An empathy cue after a self-disclosure cue in the same sentence is about the learner's own
    experience ("I lost my job last year and it was so hard"): it is part of the disclosure. Not once the
    learner turns to the client ("I was laid off too, so you must be exhausted"): that is about them."""
    told = -1  # where the last self-disclosure that tells a story starts (cues are in order of start)
    before = -1  # the one before it (a feeling that starts where a disclosure does is not after it)
    out = None
    for i, cue in enumerate(cues):
        label = cue[3]
        # A phrase that tells a story: not the light "my" that opens a sentence ("My gosh, that must
        # hurt"), which only says the sentence may be about the learner.
        if label == SELF_FOCUS and cue[4] > 0 and cue[2].weight >= STORY_MIN:
            before, told = told, cue[0]
        elif label == EMPATHY and told >= 0 and cue[4] > 0:
            start = cue[0]
            last = told if told < start else before
            # In the same sentence (no end mark between them), and not about the client.
            if (
                last >= 0
                and SENTENCE_MARKS.search(s, last, start) is None
                and _YOU.search(s, last, cue[1]) is None
            ):
                if out is None:
                    out = list(cues)
                out[i] = (start, cue[1], cue[2], label, 0.0, cue[5], STORY, cue[7])
    return cues if out is None else out


def read(lex: Lexicon, s: str, extra: Lexicon | None = None) -> tuple[list[CueTuple], int]:
    """The cues of the normalised reply `s`, and the position of its last "but" (or -1)."""
    lazy = LazySentences(s)
    asks = "?" in s
    if asks:  # its sentence index will be needed: build it now, so question phrases look up their end
        lazy.get()
    found, contrasts, overlaps, questions = _phrases(lex, s, lazy)
    contrast_at = contrasts[-1] if contrasts else -1
    if extra is not None:
        found.extend(_phrases(extra, s, lazy)[0])
        kept = without_overlaps(found)
    elif overlaps:
        kept = without_overlaps(found)
    else:  # the usual case: in order, and nothing overlaps
        kept = found
    # Negators only count before a cue: without a question phrase, look no further than the last one.
    negation_end = kept[-1][0] if kept and not questions else len(s)
    bang = "!" in s
    if asks and (marks := _question_marks(s, lazy.get(), kept)):
        kept.extend(marks)
        kept.sort(key=_start)
    if bang and "!!" in s:
        at = s.index("!!")
        kept.append((at, at + 2, EXCLAMATION))
    if not kept:
        return [], contrast_at
    negation = _ANY_NEGATOR.search(s, 0, negation_end) is not None
    if not (contrasts or negation or asks or bang or questions):
        # The usual reply: no "but", no negator, no question (not even one without its "?"), no outburst.
        # Every cue counts as it is, unless it is part of the learner's own story.
        plain = [(start, end, rule, rule.label, rule.weight, "", False, "") for start, end, rule in kept]
        return (_in_story(s, plain) if len(plain) > 1 else plain), -1
    reach, flipped, question_mark, exclamations, exclaimed, before, after, _ = lex.tuning
    reach = int(reach) + 1
    negator_hint = lex.negator_hint.search
    # Inside a question, an empathy phrase is part of it ("how are you feeling?"), and so is advice after
    # an open question's word ("what have you tried?"); advice that *starts* the question is still advice.
    asked = asked_open = None
    advising: list[int] = []
    if questions:  # (if an overlap dropped the question phrase, the spans are empty: no harm)
        # A yes/no question that carries advice is advice dressed as a question ("Is there someone you
        # could talk to?", "Could you ask for a day off?"): the question counts as part of the advice.
        asked, asked_open, advising = _questioned_spans(kept, lazy.get())
    sentences = lazy.get() if contrasts else None
    cues: list[CueTuple] = []
    floor = 0
    for start, end, rule in kept:
        label, weight, negator = rule.label, rule.weight, ""
        if rule is QUESTION_MARK:
            weight = question_mark
        elif rule is EXCLAMATION:
            weight = exclamations
        elif negation and not rule.keep_negated:
            negator = (
                _negator(lex, s, start, floor, reach)
                if negator_hint(s, max(floor, start - NEGATION_REACH), start) is not None
                else ""
            )
            if negator:
                if rule.negated:  # flipped: a cue of its new label, at that label's usual strength
                    label = rule.negated
                    weight = flipped
                else:
                    weight = 0.0
        if bang and label == REACTIVITY and rule is not EXCLAMATION and weight:
            # The learner's own outburst: "Oh no, that's terrible!" is a reaction, "Oh no, how awful." is not.
            mark = SENTENCE_MARKS.search(s, end)
            if mark is not None and "!" in mark.group():
                weight *= exclaimed
        absorbed = False
        if asked is not None and (
            (label == EMPATHY and _inside(start, asked))
            or (label == ADVICE and asked_open[0] and _inside(start, asked_open, strictly=True))
            or (advising and label == CLOSED_QUESTION and rule.question and _advises(start, advising, lazy))
        ):
            absorbed, weight = True, 0.0
        side = ""
        if sentences is not None and rule is not QUESTION_MARK:
            side = _side(start, contrasts, sentences)
            if side:
                weight *= after if side == "after" else before
        cues.append((start, end, rule, label, weight, negator, absorbed, side))
        if end > floor:
            floor = end
    return (_in_story(s, cues) if len(cues) > 1 else cues), contrast_at
