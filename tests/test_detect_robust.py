"""The detector never raises, whatever it is given, and its time grows in step with the reply."""

from __future__ import annotations

import time

import pytest

from bot.detect import LABELS, detect
from bot.detect.normalise import normalise

ODD_REPLIES = [
    "",
    " ",
    "\n\n\n",
    "?",
    "!!!!!!!!",
    "…",
    "😀😀😀 🙏",
    "That sounds 😢 hard",
    "sou\u200bnds ha\u200drd",  # zero-width space and joiner inside words
    "\ufeffThank you for sharing this with me",
    "Это звучит тяжело",
    "それは大変ですね",
    "هذا صعب",
    "İ İ İ you should",  # a capital whose lower case is longer
    "'''''''",
    "don'",
    "\x00\x01\x02",
    "a" * 5000,
    "you " * 3000,
    "so " * 3000 + "what",
    "you should, " * 2000,
    "not " * 3000 + "you should",
    "? " * 3000,
    "I hear you, but " * 1000,
]


@pytest.mark.parametrize("text", ODD_REPLIES, ids=range(len(ODD_REPLIES)))
def test_any_string_gets_a_label_and_valid_evidence(text):
    detection = detect(text)
    assert detection.label in LABELS
    assert set(detection.scores) == set(LABELS)
    for cue in detection.evidence:
        assert 0 <= cue.start <= cue.end <= len(text)
        assert text[cue.start : cue.end] == cue.text


def test_evidence_quotes_the_original_words_even_when_the_text_was_normalised():
    text = "I can’t imagine — sou\u200bnds ha\u200drd."
    for cue in detect(text).evidence:
        assert text[cue.start : cue.end] == cue.text
    assert any("sou\u200bnds" in cue.text for cue in detect(text).evidence)


def test_not_a_string_is_read_as_text_rather_than_raising():
    assert detect(None).label == "neutral"  # type: ignore[arg-type]
    assert detect(12345).label == "neutral"  # type: ignore[arg-type]


def test_normalised_positions_map_back_to_the_original():
    text = "A\u200bB’C"
    norm = normalise(text)
    assert norm.text == "ab'c"
    assert text[norm.start(1) : norm.end(2)] == "B"


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        detect(text)
        best = min(best, time.perf_counter() - start)
    return best


def test_a_100_kb_reply_takes_less_than_100_ms():
    text = ("That sounds hard, but have you tried calling them? I'm not sure you should. " * 1400)[:100_000]
    assert len(text) == 100_000
    detect(text[:1000])  # the lexicon is compiled once, before timing
    assert _seconds(text) < 0.1


@pytest.mark.parametrize(
    "unit",
    ["you should try. ", "not not not not ", "so so so so what ", "you you you ", "a" * 50 + " ", "?!?, "],
)
def test_time_grows_linearly_with_length(unit):
    small = unit * (2_000 // len(unit) + 1)
    large = small * 10
    detect(small)
    # Ten times the text should take about ten times as long; allow for noise on a busy machine.
    assert _seconds(large) < 25 * _seconds(small) + 0.005


@pytest.mark.parametrize(
    "reply",
    [
        "I'm _not_ saying you should quit",
        "I'm *not* saying you should quit",
        "I’m **not** saying you should quit",
    ],
)
def test_discord_markdown_around_a_word_reads_as_the_word(reply):
    detection = detect(reply)
    assert detection.label == "neutral"  # the "not" still declines the advice
    assert detection.evidence[0].text.startswith("I")  # evidence still quotes the learner's own text


@pytest.mark.parametrize(
    "reply",
    ["how are you feeling about the move", "how are you feeling about the move i want to know"],
)
def test_a_feeling_word_inside_an_unpunctuated_question_is_part_of_the_question(reply):
    detection = detect(reply)
    assert detection.label == "open_question"
    assert detection.scores["empathy"] == 0
