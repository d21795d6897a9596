"""A person-readable account of one detection: the reply with its cues marked, every cue with its weight,
the cues negation cancelled, and why the primary label won. Used by `heard detect --explain`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.detect.labels import CLOSED_QUESTION
from bot.detect.lexicon import default_lexicon
from bot.detect.matcher import PRECEDENCE, Analysis, Cue, analyse
from bot.detect.precedence import score
from bot.detect.reading import STORY

# ANSI colours per label, used only when the output is a terminal.
COLOURS = {
    "empathy": "32",  # green
    "open_question": "36",  # cyan
    "closed_question": "34",  # blue
    "advice": "33",  # yellow
    "self_focus": "35",  # magenta
    "judgment": "31",  # red
    "reactivity": "91",  # bright red
    "neutral": "37",
}


def _span(analysis: Analysis, cue: Cue) -> tuple[int, int]:
    return analysis.normalised.start(cue.start), analysis.normalised.end(cue.end)


def marked(analysis: Analysis, colour: bool = False) -> str:
    """The reply with each cue wrapped: [you should](advice), cancelled ones as [you should](advice: not)."""
    text = analysis.text
    out, pos = [], 0
    for cue in sorted(analysis.cues, key=lambda c: c.start):
        start, end = _span(analysis, cue)
        if start < pos:  # a "?" cue inside a marked phrase: already shown
            continue
        out.append(text[pos:start])
        tag = cue.label + (": cancelled" if cue.cancelled else "")
        if colour:
            code = "2" if cue.cancelled else COLOURS.get(cue.label, "0")
            out.append(f"\x1b[{code};1m{text[start:end]}\x1b[0m\x1b[2m({tag})\x1b[0m")
        else:
            out.append(f"[{text[start:end]}]({tag})")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _why_cancelled(cue: Cue) -> str:
    if cue.absorbed and cue.label == CLOSED_QUESTION:
        return "a question that carries advice, so the advice counts instead"
    if cue.absorbed == STORY:
        return "after a self-disclosure in the same sentence: part of the learner's own story"
    if cue.absorbed:
        return "part of a question, so the question counts instead"
    return f"negated by '{cue.negator}'"


def explain(text: str, extra_phrases: Mapping[str, Sequence[str]] | None = None, colour: bool = False) -> str:
    """Explain how the detector labels `text`, for a facilitator or a lexicon author."""
    analysis = analyse(text, extra_phrases)
    cue_tuples = [
        (c.start, c.end, c.rule, c.label, c.weight, c.negator, c.absorbed, c.contrast) for c in analysis.cues
    ]
    settings = default_lexicon().settings
    scores, label, reason = score(
        cue_tuples, PRECEDENCE, analysis.contrast_at >= 0, settings.get("repeat", 0.3)
    )
    lines = [f"Reply:  {marked(analysis, colour)}", f"Label:  {label}"]
    others = [lab for lab, s in sorted(scores.items(), key=lambda kv: -kv[1]) if s > 0 and lab != label]
    if others:
        lines[-1] += f"   (also present: {', '.join(others)})"
    lines.append(f"Why:    {reason}")
    live = [c for c in analysis.cues if not c.cancelled]
    dead = [c for c in analysis.cues if c.cancelled]
    if live:
        lines += ["", "Cues that count:"]
        for cue in live:
            start, end = _span(analysis, cue)
            factors = []
            if cue.negator:
                factors.append(f"flipped from {cue.rule.label} by '{cue.negator}'")
            if cue.contrast:
                factors.append(f"{cue.contrast} 'but'")
            detail = f"  ({'; '.join(factors)})" if factors else ""
            lines.append(
                f"  {cue.label:<16} {text[start:end]!r:<32} {cue.rule.name:<30} weight {cue.weight:g}{detail}"
            )
    if dead:
        lines += ["", "Cues cancelled:"]
        for cue in dead:
            start, end = _span(analysis, cue)
            lines.append(f"  {cue.rule.label:<16} {text[start:end]!r:<32} {_why_cancelled(cue)}")
    present = ", ".join(f"{lab} {s:g}" for lab, s in sorted(scores.items(), key=lambda kv: -kv[1]) if s > 0)
    lines += ["", f"Scores: {present}"]
    lines.append(
        "Precedence on a tie: " + " > ".join(PRECEDENCE) + ". A label's score is its strongest cue plus "
        "a share of the others; cues before 'but' count half, after it one and a half times."
    )
    return "\n".join(lines)
