"""PLACEHOLDER detector (to be replaced by the real lexicon matcher). Same signature."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.detect.labels import LABELS
from bot.detect.model import Detection, Evidence

_CUES = {
    "empathy": [r"sounds like", r"thank you for sharing", r"i can see how", r"that must", r"i hear you"],
    "advice": [r"you should", r"have you tried", r"why don'?t you", r"you could", r"try to"],
    "self_focus": [r"when i was", r"same thing happened to me", r"i remember when"],
    "judgment": [r"at least", r"don'?t worry", r"not that bad", r"you shouldn'?t feel"],
    "reactivity": [r"oh no", r"outrageous", r"i'?d be furious"],
    "open_question": [r"^(what|how)\b", r"tell me more"],
    "closed_question": [r"^(did|is|are|do|was|were|can|have) you\b"],
}


def detect(text: str, extra_phrases: Mapping[str, Sequence[str]] | None = None) -> Detection:
    low = text.lower()
    scores = dict.fromkeys(LABELS, 0.0)
    evidence: list[Evidence] = []
    cues = {k: list(v) for k, v in _CUES.items()}
    for label, phrases in (extra_phrases or {}).items():
        cues.setdefault(label, []).extend(re.escape(p.lower()) for p in phrases)
    for label, patterns in cues.items():
        for pat in patterns:
            m = re.search(pat, low)
            if m:
                scores[label] += 1.0
                evidence.append(Evidence(label, text[m.start() : m.end()], m.start(), m.end(), pat))
    best = max(LABELS, key=lambda lab: (scores[lab], -LABELS.index(lab)))
    label = best if scores[best] > 0 else "neutral"
    if label == "neutral":
        scores["neutral"] = 1.0
    return Detection(label=label, scores=scores, evidence=tuple(evidence), reason="placeholder")
