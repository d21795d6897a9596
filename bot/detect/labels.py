"""The detector's labels, named after the three habits of client-centred empathy."""

from __future__ import annotations

EMPATHY = "empathy"
OPEN_QUESTION = "open_question"
CLOSED_QUESTION = "closed_question"
ADVICE = "advice"
SELF_FOCUS = "self_focus"
JUDGMENT = "judgment"
REACTIVITY = "reactivity"
NEUTRAL = "neutral"

LABELS: tuple[str, ...] = (
    EMPATHY,
    OPEN_QUESTION,
    CLOSED_QUESTION,
    ADVICE,
    SELF_FOCUS,
    JUDGMENT,
    REACTIVITY,
    NEUTRAL,
)

# Labels a debrief treats as a moment that went wrong (the node's model reply is shown for them).
MISSTEPS: frozenset[str] = frozenset({ADVICE, SELF_FOCUS, JUDGMENT, REACTIVITY})
