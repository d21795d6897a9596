"""The detector's lexicon: phrases per label, read from YAML and compiled into two fast regexes.

The data lives in `lexicon.yaml` next to this module; docs/detector.md explains the format and
`bot/detect/phrases.py` the phrase syntax. Phrases are expanded into word sequences, which go into one
trie-shaped regex (`bot/detect/trie.py`); it finds the phrases that only count at the start of a sentence
or clause too, and the reader checks where they are. Compiled once per process: a few seconds the first
time on a machine, about a second after that, because the regex engine's code for the big patterns is kept
in a cache (`bot/detect/compiled.py`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import combinations
from typing import Any

import yaml

from bot.detect.compiled import cached_pattern
from bot.detect.labels import ADVICE, LABELS
from bot.detect.patterns import (
    WORD_END,
    WORD_START,
    Route,
    intensified_pattern,
    may_hide,
    negator_hint,
    phrase_routes,
    shorter_prefixes,
)
from bot.detect.phrases import PhraseError, expand, normalise_phrase
from bot.detect.trie import GAP, NEVER, Speller, phrase_key, trie_regex

log = logging.getLogger(__name__)
# libyaml's loader when PyYAML has it (its wheels do): the same safe loading, ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the section and the entry."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One group of phrases in the lexicon: the label it signals and how strongly."""

    label: str
    name: str  # "empathy/reflection"
    weight: float
    at_start: bool = False
    question: bool = False  # only counts when its sentence is a question (or has no end mark)
    negated: str | None = None  # label the cue turns into when negated; None = the cue is cancelled
    keep_negated: bool = False  # negation does not touch this cue (it carries its own "not")


# The settings the reader uses and their defaults, in the order of `Lexicon.tuning`.
TUNING = (
    ("negation_window", 3.0),
    ("flipped", 1.2),
    ("question_mark", 0.6),
    ("exclamations", 0.5),
    ("exclaimed", 1.5),
    ("before_contrast", 0.5),
    ("after_contrast", 1.5),
    ("repeat", 0.3),
)
LOOKUP_CACHE = 20_000  # matched spellings remembered per lexicon (each a short string)
MAX_INTENSIFIER_SPANS = 6  # intensifier words in one match beyond which only dropping all is tried

# Not a cue: marks "but"/"however", after which cues outweigh those before.
CONTRAST = Rule(label="", name="contrast", weight=0.0)
Slots = dict[str, tuple[tuple[str, Rule], ...]]
Entry = tuple[Rule | None, tuple[tuple[str, Rule], ...], Rule | None, tuple[tuple[str, Rule], ...]]


@dataclass(frozen=True, slots=True)
class Phrases:
    """Compiled phrases of one kind (anywhere, or at a clause start)."""

    pattern: re.Pattern[str]  # group 1 is the phrase (or the words before its slot)
    rules: dict[str, Rule]  # lexicon form ("you should") → rule
    slots: Slots  # words before a slot ("you feel") → (word set, rule) pairs to try after them


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled lexicon and the settings the matcher reads."""

    anywhere: Phrases  # its pattern finds every phrase; its rules are those that count anywhere
    at_start: Phrases  # rules of phrases that count only at the start of a clause (no pattern of its own)
    clause_start: re.Pattern[str]  # matches the text before a phrase when the phrase starts a clause
    sets: dict[str, re.Pattern[str]]  # slot name → "gap, optional intensifiers, one entry of the set"
    typos: dict[str, str]  # typed word → the word meant ("u" → "you")
    intensifiers: re.Pattern[str]  # "really ", "so "...: left out of a matched phrase to find its rule
    negators: frozenset[str]
    scope_breaks: frozenset[str]
    settings: dict[str, float]
    openers: frozenset[str] = frozenset()
    # Everything a matched phrase may stand for, in one look-up:
    # phrase → (rule anywhere, slots anywhere, rule at a clause start, slots at a clause start).
    entries: dict[str, Entry] = field(default_factory=dict)
    # phrase → the shorter phrases it starts with, longest first ("get a" → ("get",)): where the
    # longest match does not pan out, a shorter one at the same place may.
    shorter: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What the reader needs to know about a phrase the pattern found, as the lexicon writes it, in one
    # look-up (`bot/detect/patterns.py`, `Route`): is it plain, start-only or a lead, its entry, and what
    # to try where it does not pan out.
    routes: dict[str, Route] = field(default_factory=dict)
    # Finds where a negator *may* be (each one's letters, apostrophes optional, not followed by more of
    # the word): the reader tokenises the words before a cue only when this finds something there.
    negator_hint: re.Pattern[str] = re.compile(NEVER)
    # The settings the reader uses, with their defaults, read once.
    tuning: tuple[float, ...] = ()
    # Matched text that is not written as the lexicon writes it ("u shoud", "so very sorry") → its entry
    # (or None); filled as replies are read, cleared when it grows past `LOOKUP_CACHE`.
    looked_up: dict[str, Entry | None] = field(default_factory=dict)
    # Only the phrases written with `~`: where the longest match at a place does not pan out, the
    # intensified phrases starting there are tried before the shorter ones (the main pattern took the
    # first branch that fit, which may have read an intensifier as a written-out word).
    intensified: re.Pattern[str] | None = None
    # Phrases (as the lexicon writes them) that may hide one of those: some of their first words are
    # followed by `~` in an intensified phrase. Matched text not written as the lexicon writes it is
    # always tried again.
    may_hide_intensified: frozenset[str] = frozenset()
    # Matches an intensifier (any spelling) after the gap at a position: whether a phrase that did not pan
    # out is followed by one, so an intensified phrase may start where it does ("how are you really…").
    intensifier_next: re.Pattern[str] = re.compile(NEVER)

    @property
    def size(self) -> int:
        count = len(self.anywhere.rules) + len(self.at_start.rules)
        return (
            count
            + sum(len(v) for v in self.anywhere.slots.values())
            + sum(len(v) for v in self.at_start.slots.values())
        )

    def lookup(self, matched: str) -> Entry | None:
        """What matched text stands for, read as the lexicon writes it: no apostrophes, single spaces,
        typos as the word meant, and then without its intensifiers ("so very sorry" → "sorry")."""
        cache = self.looked_up
        if matched in cache:
            return cache[matched]
        if len(cache) >= LOOKUP_CACHE:
            cache.clear()
        entry = cache[matched] = self._lookup(matched)
        return entry

    def _lookup(self, matched: str) -> Entry | None:
        key = phrase_key(matched, self.typos)
        entry = self.entries.get(key)
        if entry is not None:
            return entry
        # Without the words read as intensifiers, as many dropped as possible first: all of them ("so very
        # sorry" → "sorry"), then all but one, and so on, since some may be the phrase's own ("would" in
        # "would ~ help").
        spans = [m.span() for m in self.intensifiers.finditer(key)]
        most = len(spans) if len(spans) <= MAX_INTENSIFIER_SPANS else 1
        for kept in range(most):
            for keep in combinations(range(len(spans)), kept):
                parts = [key[: spans[0][0]]]
                for i, (start, end) in enumerate(spans):
                    following = spans[i + 1][0] if i + 1 < len(spans) else len(key)
                    parts.append((key[start:end] if i in keep else "") + key[end:following])
                entry = self.entries.get("".join(parts))
                if entry is not None:
                    return entry
        return None


class _Collector:
    """Gathers the rules, slots and regex forms of one kind of phrase; the first claim of a form wins."""

    def __init__(
        self, typos: Mapping[str, str] | None = None, words: Mapping[str, list[str]] | None = None
    ) -> None:
        self.typos = typos or {}
        self.words = words or {}
        self.rules: dict[str, Rule] = {}
        self.slots: dict[str, list[tuple[str, Rule]]] = {}
        self.forms: list[str] = []
        self.intensified: list[str] = []  # forms with `~`: tried again where a longer match fails

    def add(self, literal: str, rule: Rule) -> None:
        # A typo written into a phrase ("u") is the word it stands for; the regex spells it both ways.
        words = [self.typos.get(w, w) for w in literal.split(" ")]
        slot = words[-1][1:] if words[-1].startswith("@") else None
        if slot:
            words = words[:-1]
            while words and words[-1] == "~":  # the slot's own pattern allows intensifiers
                words.pop()
        lead = " ".join(words)
        key = " ".join(w for w in words if w != "~")
        if slot and not key:  # nothing before the set: spell the set out
            for entry in self.words[slot]:
                self.add(" ".join([*words, normalise_phrase(entry)]), rule)
            return
        if slot:
            entries = self.slots.setdefault(key, [])
            if all(name != slot for name, _ in entries):
                entries.append((slot, rule))
                if key not in self.rules and len(entries) == 1:
                    self.forms.append(lead)
        elif key not in self.rules:
            self.rules[key] = rule
            if key not in self.slots:
                self.forms.append(lead)
        if "~" in lead and (key in self.rules or key in self.slots):
            # The intensified spelling goes into the pattern even when an earlier phrase claimed these
            # words ("your feelings are understandable" before "your feelings are ~ understandable"):
            # the rule stays the first claim's, but "completely understandable" must still be found.
            self.forms.append(lead)
            self.intensified.append(lead)
            # Also without intensifiers, in the plain trie: the regex takes the first branch that fits,
            # so the plain words must not hide behind an optional-intensifier branch.
            self.forms.append(key)

    def compile(
        self,
        speller: Speller,
        extra_forms: list[str] = (),
        pattern: bool = True,
        guards: Mapping[str, str] | None = None,
    ) -> Phrases:
        forms = [*self.forms, *extra_forms]
        body = trie_regex(forms, speller, guards) if forms and pattern else NEVER
        return Phrases(
            # No `\b` after WORD_START: every phrase starts with a letter or digit, so the boundary is there.
            pattern=cached_pattern(rf"{WORD_START}({body}){WORD_END}"),
            rules=self.rules,
            slots={k: tuple(v) for k, v in self.slots.items()},
        )


def _strings(data: Mapping[str, Any], key: str) -> list[str]:
    """A list of words from the lexicon file; YAML turns bare yes/no into booleans, so say so."""
    values = data.get(key) or []
    if not isinstance(values, list):
        raise LexiconError(f"`{key}:` must be a list of words")
    for value in values:
        if not isinstance(value, str):
            raise LexiconError(f'`{key}:` has {value!r}, not a word; put words like "no" or "yes" in quotes')
    return [normalise_phrase(v) for v in values]


def _typos(data: Mapping[str, Any]) -> dict[str, str]:
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise LexiconError("`aliases:` must map a typed word to the word it means")
    out = {}
    for typo, word in aliases.items():
        typo_n, word_n = normalise_phrase(str(typo)), normalise_phrase(str(word))
        if " " in typo_n or " " in word_n:
            raise LexiconError(f"`aliases:` {typo!r}: {word!r} must be one word for one word")
        if typo_n and word_n and typo_n != word_n:
            out[typo_n] = word_n
    return out


def _word_sets(data: Mapping[str, Any]) -> dict[str, list[str]]:
    sets = data.get("words") or {}
    if not isinstance(sets, dict):
        raise LexiconError("`words:` must map a set name to a list of words")
    for name, values in sets.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise LexiconError(f"`words: {name}` must be a list of words (quote yes/no)")
    return {str(k): [str(w) for w in v] for k, v in sets.items()}


def _rule(label: str, index: int, group: Any) -> Rule:
    where = f"section `{label}`, group {index + 1}"
    if not isinstance(group, dict) or not isinstance(group.get("phrases"), list):
        raise LexiconError(f"{where}: expected a mapping with a `phrases:` list")
    unknown = set(group) - {
        "name",
        "weight",
        "at_start",
        "question",
        "negated",
        "phrases",
        "note",
        "examples",
    }
    if unknown:
        raise LexiconError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    negated = group.get("negated")
    if negated is not None and negated not in LABELS and negated != "keep":
        raise LexiconError(f"{where}: `negated: {negated}` is not a label or `keep`")
    try:
        weight = float(group.get("weight", 1.0))
    except (TypeError, ValueError):
        raise LexiconError(f"{where}: `weight` must be a number") from None
    return Rule(
        label=label,
        name=f"{label}/{group.get('name', 'phrases')}",
        weight=weight,
        at_start=bool(group.get("at_start", False)),
        question=bool(group.get("question", False)),
        negated=None if negated in (None, "keep") else negated,
        keep_negated=negated == "keep",
    )


def compile_lexicon(data: Mapping[str, Any]) -> Lexicon:
    """Build a `Lexicon` from parsed YAML. Raises `LexiconError` naming the bad section or phrase."""
    words = _word_sets(data)
    typos = _typos(data)
    anywhere, at_start = _Collector(typos, words), _Collector(typos, words)
    labels = data.get("labels") or {}
    if not isinstance(labels, dict):
        raise LexiconError("`labels:` must map each label to a list of groups")
    for label, section in labels.items():
        if label not in LABELS:
            raise LexiconError(f"section `{label}` is not a detector label (one of: {', '.join(LABELS)})")
        if not isinstance(section, list):
            raise LexiconError(f"section `{label}`: expected a list of groups (each with `phrases:`)")
        for i, group in enumerate(section):
            rule = _rule(label, i, group)
            target = at_start if rule.at_start else anywhere
            for phrase in group["phrases"]:
                try:
                    literals = expand(str(phrase), words)
                except PhraseError as exc:
                    raise LexiconError(f"section `{label}`: {exc}") from None
                for literal in literals:
                    target.add(literal, rule)
    for word in _strings(data, "contrast"):
        anywhere.add(word, CONTRAST)
    return _assemble(anywhere, at_start, data, words)


def _assemble(
    anywhere: _Collector, at_start: _Collector, data: Mapping[str, Any], words: Mapping[str, list[str]]
) -> Lexicon:
    typos = _typos(data)
    intens = [normalise_phrase(w) for w in words.get("intens", ())]
    speller = Speller(typos, intens)
    openers = _strings(data, "openers")
    # Before a sentence-start phrase: spaces, commas and openers ("so", "well", "maybe"...).
    # A sentence-start phrase may follow up to three openers ("oh, well, so what...?").
    opener_rx = speller.regex(openers) if openers else NEVER
    clause_start = rf"(?:^|[.!?…\n;:,])[ ,]*(?:(?:{opener_rx})[ ,]+){{0,3}}$"
    used = {name for c in (anywhere, at_start) for entries in c.slots.values() for name, _ in entries}
    optional_intens = f"(?:{speller.intensifiers}{GAP}|)"
    sets = {
        name: re.compile(
            rf"{GAP}{optional_intens}({speller.regex(normalise_phrase(w) for w in words[name])}){WORD_END}"
        )
        for name in sorted(used)
    }
    keys = {*anywhere.rules, *anywhere.slots, *at_start.rules, *at_start.slots}
    shorter = shorter_prefixes(keys)
    imperative = _imperative_within(anywhere.rules, at_start, shorter)
    settings = {k: float(v) for k, v in (data.get("settings") or {}).items()}
    negators = _strings(data, "negators")
    entries = {
        key: (
            anywhere.rules.get(key),
            tuple(anywhere.slots.get(key, ())),
            at_start.rules.get(key) or imperative.get(key),
            tuple(at_start.slots.get(key, ())),
        )
        for key in keys
    }
    intensified = [*anywhere.intensified, *at_start.intensified]
    may_hide_intensified = may_hide(intensified, keys)
    return Lexicon(
        # One regex finds both kinds; a sentence-start phrase then has to be at a clause start to count.
        anywhere=anywhere.compile(
            speller,
            extra_forms=at_start.forms,
            guards=_lead_guards(anywhere, at_start, words, intens, speller),
        ),
        at_start=at_start.compile(speller, pattern=False),
        clause_start=re.compile(clause_start),
        sets=sets,
        typos=typos,
        intensifiers=re.compile(r"\b(?:" + "|".join(map(re.escape, intens)) + r") " if intens else NEVER),
        negators=frozenset(negators),
        negator_hint=negator_hint(negators),
        scope_breaks=frozenset(_strings(data, "scope_breaks")),
        settings=settings,
        openers=frozenset(openers),
        entries=entries,
        shorter=shorter,
        routes=phrase_routes(
            anywhere,
            at_start,
            imperative,
            entries,
            sets,
            may_hide_intensified,
            shorter,
            frozenset(word for phrase in intens for word in phrase.split(" ")),
        ),
        tuning=tuple(settings.get(name, default) for name, default in TUNING),
        intensified=intensified_pattern(intensified, speller),
        may_hide_intensified=may_hide_intensified,
        # No word end after it: "so" before "soon" passes too, which only costs a look that finds nothing.
        intensifier_next=re.compile(f"{GAP}{speller.regex(intens)}" if intens else NEVER),
    )


def _lead_guards(
    anywhere: _Collector,
    at_start: _Collector,
    words: Mapping[str, list[str]],
    intens: list[str],
    speller: Speller,
) -> dict[str, str]:
    """One-word leads ("is", "are", "feeling") → a look-ahead for a word that may start their word set
    (or an intensifier), so the pattern seldom stops at one that does not pan out ("is the"): most do not,
    and each stop the reader dismisses costs more than the look-ahead. Only the first word: the whole set
    written out at every lead makes a pattern bigger than the cache, and the reader still checks the set.
    A lead of several words stays unguarded: where it does not pan out, the reader tries the shorter
    phrases it starts with."""
    guards = {}
    for key, slots in anywhere.slots.items():
        if " " in key or key in anywhere.rules or key in at_start.rules or key in at_start.slots:
            continue
        names = dict.fromkeys(name for name, _ in slots)
        first = {normalise_phrase(w).split(" ")[0] for name in names for w in words[name]}
        first.update(phrase.split(" ")[0] for phrase in intens)
        # After the word: a gap (more words follow) or the end of the word, as `WORD_END` reads it.
        guards[key] = rf"(?={GAP}{speller.regex(first)}(?:[ ,\-/]|{WORD_END}))"
    return guards


def _imperative_within(
    rules: Mapping[str, Rule], at_start: _Collector, shorter: Mapping[str, tuple[str, ...]]
) -> dict[str, Rule]:
    """Advice phrases that start with a heavier sentence-start advice phrase ("talk to your boss", 0.8,
    starts with the imperative "talk to", 1.1) → that phrase's rule. At a clause start the longer phrase
    is read with it, so the cue keeps the higher weight; elsewhere the longer phrase counts as it is."""
    out = {}
    for key, rule in rules.items():
        if rule.label != ADVICE or key in at_start.rules or key in at_start.slots:
            continue
        heavier = [
            start_rule
            for prefix in shorter.get(key, ())
            if (start_rule := at_start.rules.get(prefix)) is not None
            and start_rule.label == ADVICE
            and not start_rule.question
            and start_rule.weight > rule.weight
        ]
        if heavier:
            out[key] = max(heavier, key=lambda r: r.weight)
    return out


def parse_lexicon_text(text: str) -> Mapping[str, Any]:
    try:
        data = yaml.load(text, Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"the lexicon is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LexiconError("the lexicon file must be a mapping with `labels:`")
    return data


@lru_cache(maxsize=1)
def default_data() -> Mapping[str, Any]:
    text = resources.files("bot.detect").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    return parse_lexicon_text(text)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged lexicon, compiled once."""
    return compile_lexicon(default_data())


@lru_cache(maxsize=64)
def scenario_lexicon(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Lexicon:
    """A lexicon of a scenario's own phrases (plain words, matched anywhere, weight 1 each)."""
    anywhere = _Collector(_typos(default_data()))
    for label, phrases in extra:
        if label not in LABELS:
            log.warning("scenario phrases for unknown label %r ignored", label)
            continue
        rule = Rule(label=label, name=f"{label}/scenario", weight=1.0)
        for phrase in phrases:
            literal = " ".join(
                w for w in normalise_phrase(phrase).split(" ") if w not in ("~",) and w[:1] != "@"
            )
            if literal:
                anywhere.add(literal, rule)
    return _assemble(anywhere, _Collector(), {"aliases": default_data().get("aliases")}, {})
