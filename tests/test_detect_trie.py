"""The trie-shaped regex finds, at each word, the longest phrase that starts there, whatever its shape."""

from __future__ import annotations

import random
import re

import pytest

from bot.detect.patterns import WORD_END, WORD_START
from bot.detect.trie import Speller, trie_regex

VOCABULARY = ["you", "your", "feel", "feeling", "so", "sorry", "that", "than", "hard", "hear", "to", "a"]
GAPS = [" ", " ", " ", ", ", " - ", "/", "  "]


def _longest(words: list[tuple[str, str]], i: int, phrases: set[tuple[str, ...]]) -> str | None:
    """Brute force: the longest phrase made of words i, i+1, … (any gaps between them), as written."""
    best = None
    for n in range(1, len(words) - i + 1):
        if tuple(w for w, _ in words[i : i + n]) in phrases:
            best = "".join(w + gap for w, gap in words[i : i + n - 1]) + words[i + n - 1][0]
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_pattern_finds_the_longest_phrase_at_every_word(seed):
    rnd = random.Random(seed)
    phrases = {
        tuple(rnd.choice(VOCABULARY) for _ in range(rnd.randint(1, 4))) for _ in range(rnd.randint(5, 60))
    }
    body = trie_regex((" ".join(p) for p in phrases), Speller({}))
    pattern = re.compile(rf"{WORD_START}({body}){WORD_END}")
    for _ in range(40):
        words = [(rnd.choice(VOCABULARY), rnd.choice(GAPS)) for _ in range(rnd.randint(1, 9))]
        text = " " + "".join(w + gap for w, gap in words)
        at = 1
        for i, (word, gap) in enumerate(words):
            m = pattern.match(text, at - 1)
            assert (m.group(1) if m else None) == _longest(words, i, phrases), (text, at, sorted(phrases))
            at += len(word) + len(gap)


def test_a_word_is_not_found_inside_a_longer_word():
    pattern = re.compile(rf"{WORD_START}({trie_regex(['you', 'so sorry'], Speller({}))}){WORD_END}")
    assert pattern.search(" your sorrow") is None
    assert pattern.search(" you're") is None
    assert pattern.search(" so, sorry about you").group(1) == "so, sorry"


def test_a_guarded_phrase_only_matches_where_its_guard_holds_and_longer_ones_are_untouched():
    # A one-word lead ("is") is only worth a stop where a word of its set follows ("is hard").
    body = trie_regex(["is", "is the best"], Speller({}), guards={"is": r"(?= (?:hard|tough))"})
    pattern = re.compile(rf"{WORD_START}({body}){WORD_END}")
    found = [m.group(1) for m in pattern.finditer(" it is hard, it is the best, it is odd, is tough")]
    assert found == ["is", "is the best", "is"]
