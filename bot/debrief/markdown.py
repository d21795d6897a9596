"""render_markdown: a Debrief as Markdown for the terminal and the Discord attachment (full detail)."""

from __future__ import annotations

from collections.abc import Callable

from bot.debrief.model import Band, Debrief, Moment, Quote
from bot.debrief.texts import texts
from bot.detect.labels import MISSTEPS

MITI_SOURCE = {"rq": "MITI 4.2.1", "open_share": "MITI 3.1.1"}


def marked(quote: Quote, left: str = "**", right: str = "**") -> str:
    return "".join(
        f"{left}{piece}{right}" if hit and piece.strip() else piece for piece, hit in quote.pieces()
    )


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else "Client"


def one_line(text: str) -> str:
    return " ".join(text.split())


def percent(value: float) -> str:
    return f"{value:.0%}"


def band_line(name: str, band: Band) -> str:
    word = texts().bands.get(band.band, band.band)
    if band.band == "none":
        return f"- {name}: {word}"
    return (
        f"- {name}: {band.shown} — **{word}** (fair {band.fair}, good {band.good}; {MITI_SOURCE[band.name]})"
    )


def headline(d: Debrief) -> str:
    t = texts()
    summary = d.ending_summary or (
        "The session is still open." if d.outcome is None else f"The session ended ({d.ending})."
    )
    return f"**{t.outcome(d.outcome)}** · {summary}"


def facts(d: Debrief, escape: Callable[[str], str] = str) -> str:
    """Who, how many turns, how it ended, which session, when (`escape` is for the learner's name)."""
    parts = []
    if d.learner_name:
        parts.append(escape(d.learner_name))
    parts.append(f"{d.turns} of {d.max_turns} turns")
    if d.end_reason and d.end_reason not in ("ending",):
        parts.append(f"ended: {d.end_reason.replace('_', ' ')}")
    parts.append(f"session #{d.session_id}")
    if d.started_at:
        parts.append(d.started_at[:16].replace("T", " "))
    return " · ".join(parts)


def meter(d: Debrief) -> str:
    if not d.meter_values or not d.meter_var:
        return ""
    first, last = d.meter_values[0], d.meter_values[-1]
    return f"{d.meter_var.capitalize()} {d.meter_line}  {first} → {last}"


def path_line(d: Debrief) -> str:
    return "Path: " + " → ".join(d.path)


def skill_lines(d: Debrief) -> list[str]:
    t = texts()
    counts = ", ".join(f"{t.label(lab)} {n}" for lab, n in d.counts.items() if n)
    empathic = d.counts.get("empathy", 0)
    advice = (
        "none"
        if not d.unasked_advice
        else "turn"
        + ("s " if len(d.unasked_advice) > 1 else " ")
        + ", ".join(str(n) for n in d.unasked_advice)
    )
    return [
        f"- Replies: {counts}",
        f"- Empathic turns: {empathic} of {d.turns} ({percent(d.empathic_share)})",
        band_line("Reflections per question", d.rq),
        band_line("Open questions", d.open_share),
        f"- Advice before {first_name(d.client_name)} asked for it: {advice}",
    ]


def moment_lines(m: Moment, client: str) -> list[str]:
    t = texts()
    lines = [f"### Turn {m.turn} — {m.why_chosen}", ""]
    if m.client_line:
        lines.append(f"> **{client}:** {one_line(m.client_line)}")
    lines.append(f"> **You:** {one_line(marked(m.quote))}  _({t.label(m.label)})_")
    lines.append("")
    if m.feels:
        lines.append(f"{client} was feeling: {', '.join(m.feels)}.")
    if m.model_reply:
        lines.append(f"{model_reply_intro(m)}: “{one_line(m.model_reply)}”")
        if m.why:
            lines.append(f"Why: {one_line(m.why)}")
    lines.append("")
    return lines


def model_reply_intro(m: Moment) -> str:
    if m.kind in ("drop", "misstep", "missed") or m.label in MISSTEPS:
        return "A reply that would have helped"
    return "The script's model reply, to compare"


def progress_line(d: Debrief) -> str:
    p = d.progress
    if p is None:
        return ""
    change = ""
    if p.change is not None:
        points = round(p.change * 100)
        change = f" ({'+' if points > 0 else ''}{points} points since the previous session)"
    return f"Empathic share over your last {len(p.shares)} sessions: {p.sparkline}{change}"


def render_markdown(d: Debrief, *, transcript: bool = True) -> str:
    """The whole debrief; `transcript=False` leaves out the turn-by-turn list."""
    client = first_name(d.client_name)
    out = [f"# Debrief — {d.scenario_title}", "", headline(d), "", facts(d)]
    if d.empty:
        out += ["", texts().zero_turns]
        out += _notes(d)
        return "\n".join(out).rstrip() + "\n"
    m = meter(d)
    if m:
        out += ["", m]
    if d.path:
        out += ["", path_line(d)]
    out += ["", "## Skills", "", *skill_lines(d)]
    if d.moments:
        out += ["", "## Moments", ""]
        for moment in d.moments:
            out += moment_lines(moment, client)
        while out and not out[-1]:
            out.pop()
    if d.strength:
        s = d.strength
        out += ["", "## A strength", "", f"Turn {s.turn}:"]
        if s.client_line:
            out.append(f"> **{client}:** {one_line(s.client_line)}")
        out.append(f"> **You:** {one_line(marked(s.quote))}")
    out += _notes(d)
    p = progress_line(d)
    if p:
        out += ["", "## Progress", "", p]
    if transcript and d.transcript:
        out += ["", "## Every turn", ""]
        for line in d.transcript:
            you = f"**You:** {one_line(marked(line.quote))} — _{texts().label(line.label)}_"
            if line.client_line:
                out.append(f"{line.turn}. **{client}:** {one_line(line.client_line)}  ")
                out.append(f"   {you}")
            else:
                out.append(f"{line.turn}. {you}")
            if line.model_reply:
                why = f" ({one_line(line.why)})" if line.why else ""
                out.append(f"   _Instead:_ “{one_line(line.model_reply)}”{why}")
    return "\n".join(out).rstrip() + "\n"


def _notes(d: Debrief) -> list[str]:
    if not d.notes:
        return []
    out = ["", "## Facilitator notes", ""]
    for n in d.notes:
        when = n.at[:16].replace("T", " ")
        out.append(f"- **{n.author}**, {when}: {one_line(n.text)}")
    return out
