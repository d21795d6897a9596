"""Patterns and lookup tables derived from the lexicon's phrase keys at compile time (bot/detect/lexicon.py
builds them once per lexicon): word boundaries, the `~` (intensified) phrases, negator hints, prefixes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.detect.compiled import cached_pattern
from bot.detect.trie import NEVER, Speller, char_trie, trie_regex

# A phrase found anywhere starts after one of these characters; the matcher puts a space before the reply.
# A literal first character lets the regex engine skip quickly to the places a phrase could start.
WORD_START = r"[ \n,.!?;:(\-/\"*~…]"
# A phrase ends where its last word does: not before more letters, nor before "'re" ("you" ≠ "you're").
WORD_END = r"(?!'?[^\W_])"


def may_hide(forms: list[str], keys: set[str]) -> frozenset[str]:
    """The phrases whose words, or some first words of them, come before a `~` in one of `forms`."""
    before_tilde = set()
    for form in forms:
        words = form.split(" ")
        for i, word in enumerate(words):
            if word == "~":
                before_tilde.add(" ".join(w for w in words[:i] if w != "~"))
    return frozenset(
        key
        for key in keys
        if any(" ".join(key.split(" ")[:n]) in before_tilde for n in range(len(key.split(" ")) + 1))
    )


def intensified_pattern(forms: list[str], speller: Speller) -> re.Pattern[str] | None:
    """The phrases written with `~`, alone in a pattern like the main one (None if there are none)."""
    if not forms:
        return None
    return cached_pattern(rf"{WORD_START}({trie_regex(forms, speller)}){WORD_END}")


def negator_hint(negators: list[str]) -> re.Pattern[str]:
    """A pattern found wherever a token the reader would take for a negator is ("don't", "do'nt", "dont"
    all read as "dont"). It may find more (the end of "piano"), never less."""
    words = sorted({word for word in negators if word})
    if not words:
        return re.compile(NEVER)
    # As a character trie ("n'?o(?:'?r|'?t)?…"): the engine stops at every n, c, d, s… of the text, and
    # there checks a handful of branches instead of one per negator.
    body = char_trie(([ch for c in word for ch in ("'?", re.escape(c))][1:], "") for word in words)
    return re.compile(rf"(?:{body})(?![^\W_]|'[^\W_])")


def shorter_prefixes(keys: set[str]) -> dict[str, tuple[str, ...]]:
    """Each phrase key -> the shorter phrase keys it starts with, longest first."""
    out = {}
    for key in keys:
        words = key.split(" ")
        prefixes = tuple(p for n in range(len(words) - 1, 0, -1) if (p := " ".join(words[:n])) in keys)
        if prefixes:
            out[key] = prefixes
    return out


# What the reader needs about a phrase the pattern found, in one look-up (one table touched per match,
# not five: on a cold cache each look-up in a table of 30,000 phrases costs more than the rest):
# (rule if it is plain, rule if it only counts at a clause start, (word-set `match`, rule) pairs if it is
# only a lead, its entry, whether it may hide an intensified phrase (`HIDES_NEVER`, `HIDES_IF_NEXT`: only if
# an intensifier follows it, `HIDES_MAYBE`: one of its words may be the intensifier), (length, entry) of
# the shorter phrases it starts with, longest first).
Route = tuple[Any, Any, Any, Any, int, tuple[tuple[int, Any], ...]]
HIDES_NEVER, HIDES_IF_NEXT, HIDES_MAYBE = 0, 1, 2


def _hides(key: str, may_hide_intensified: frozenset[str], intensifier_words: frozenset[str]) -> int:
    """Whether a match of `key` that does not pan out may hide an intensified phrase starting where it
    does. The intensifiers of that phrase come after words it shares with `key`: among `key`'s own words
    (a written-out phrase took one for its own word), or just after them."""
    if key not in may_hide_intensified:
        return HIDES_NEVER
    if intensifier_words.intersection(key.split(" ")):
        return HIDES_MAYBE
    return HIDES_IF_NEXT


def phrase_routes(
    anywhere: Any,
    at_start: Any,
    imperative: Mapping[str, Any],
    entries: Mapping[str, Any],
    sets: Mapping[str, re.Pattern[str]],
    may_hide_intensified: frozenset[str],
    shorter: Mapping[str, tuple[str, ...]],
    intensifier_words: frozenset[str] = frozenset(),
) -> dict[str, Route]:
    """Each phrase key (of `entries`) → its `Route`. `anywhere` and `at_start` are the two kinds of
    phrases (`rules`: key → rule, `slots`: key → (word set, rule) pairs). `intensifier_words` holds every
    word of every intensifier ("so", "kind", "of"...)."""
    routes = {}
    for key, entry in entries.items():
        rule = anywhere.rules.get(key)
        elsewhere = key in anywhere.slots or key in at_start.rules or key in at_start.slots
        # Plain: counts anywhere with nothing more to check (no word set after it, no sentence-start or
        # question condition). Most matches in a reply are these.
        plain = (
            rule
            if rule is not None and not rule.question and not elsewhere and key not in imperative
            else None
        )
        # Start-only: counts only at a clause start ("how", "get", "just"), and most come mid-sentence.
        start_rule = at_start.rules.get(key)
        if start_rule is not None and (rule is not None or key in anywhere.slots or key in at_start.slots):
            start_rule = None
        # A lead: counts only with a word set after it ("you feel" + {feeling}).
        slots = anywhere.slots.get(key)
        if slots and (rule is not None or key in at_start.rules or key in at_start.slots):
            slots = None
        leads = tuple((sets[name].match, slot_rule) for name, slot_rule in slots) if slots else None
        prefixes = tuple((len(p), entries[p]) for p in shorter.get(key, ()))
        hides = _hides(key, may_hide_intensified, intensifier_words)
        routes[key] = (plain, start_rule, leads, entry, hides, prefixes)
    return routes
