"""The golden set: replies written for Heard, each with the label a facilitator would give it.

Prints the accuracy per label (run with `-s` to see it). Fails below 95% overall, or on any seed phrase.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.detect import LABELS, detect

GOLDEN = Path(__file__).parent / "data" / "golden_replies.yaml"
REQUIRED_TAGS = {"seed", "negation", "but", "advice-q", "affirmation", "minimising", "typo", "lowercase"}


def _replies() -> list[dict]:
    data = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    out = []
    for client in data["clients"]:
        for reply in client["replies"]:
            out.append({**reply, "client": client["client"], "tags": reply.get("tags", [])})
    return out


REPLIES = _replies()


def test_the_golden_set_is_big_and_covers_every_label_and_case():
    assert len(REPLIES) >= 300
    assert {r["label"] for r in REPLIES} == set(LABELS)
    assert {t for r in REPLIES for t in r["tags"]} >= REQUIRED_TAGS


def test_golden_accuracy_is_at_least_95_percent_and_every_seed_phrase_is_right():
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong = []
    for reply in REPLIES:
        detection = detect(reply["say"])
        total[reply["label"]] += 1
        if detection.label == reply["label"]:
            right[reply["label"]] += 1
        else:
            wrong.append((reply, detection))
    print("\nGolden set accuracy per label:")
    for label in LABELS:
        print(f"  {label:<16} {right[label]:>3}/{total[label]:<3} {right[label] / max(total[label], 1):6.1%}")
    overall = sum(right.values()) / len(REPLIES)
    print(f"  {'overall':<16} {sum(right.values()):>3}/{len(REPLIES):<3} {overall:6.1%}")
    for reply, detection in wrong:
        print(
            f"  MISS expected {reply['label']}, got {detection.label}: {reply['say']!r} ({detection.reason})"
        )
    seed_misses = [r["say"] for r, _ in wrong if "seed" in r["tags"]]
    assert not seed_misses, f"seed phrases labelled wrongly: {seed_misses}"
    assert overall >= 0.95


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Thank you for sharing this with me", "empathy"),
        ("I can see how that would be difficult", "empathy"),
        ("when I was laid off I spent weeks applying", "self_focus"),
        ("same thing happened to me", "self_focus"),
    ],
)
def test_the_seed_documents_own_phrases(text, label):
    assert detect(text).label == label
