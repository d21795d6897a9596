"""render_embeds: a Debrief as Discord embed dicts (for discord.Embed.from_dict in the cog).

Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits):
title 256, description 4,096, 25 fields, field name 256, field value 1,024, footer 2,048, author 256,
and 6,000 characters across all embeds of one message, at most 10 embeds a message. The debrief is
packed into as many messages as needed; long texts are cut here and shown whole in the attachment.
Learner and client text is escaped so it cannot format, link or mention anything.
"""

from __future__ import annotations

import re
from typing import Any

from bot.debrief.markdown import (
    facts,
    headline,
    meter,
    model_reply_intro,
    one_line,
    path_line,
    progress_line,
    skill_lines,
)
from bot.debrief.model import Debrief, Mark, Moment, Quote
from bot.debrief.texts import texts

TITLE_MAX, DESCRIPTION_MAX, FIELDS_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX = 256, 4096, 25, 256, 1024
FOOTER_MAX, MESSAGE_TOTAL_MAX, EMBEDS_PER_MESSAGE = 2048, 6000, 10
NOTES_PER_EMBED_CHARS = 4000
QUOTE_MAX = 600  # characters of one quoted line inside an embed

Embed = dict[str, Any]

_MARKDOWN = re.compile(r"([\\*_~`|\[\]()<])")
_LINE_START = re.compile(r"^(\s*)(#{1,3}\s|>|-\s|\d+\.\s)", re.MULTILINE)
_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")


def escape(text: str) -> str:
    """Text that shows as typed in Discord: markdown escaped, mentions and links defused."""
    text = _MENTION.sub(lambda m: "@\u200b" + (m.group(1) or f"{m.group(2)}{m.group(3)}"), text)
    text = _MARKDOWN.sub(r"\\\1", text)
    return _LINE_START.sub(r"\1\\\2", text)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def cut_quote(quote: Quote, limit: int = QUOTE_MAX) -> Quote:
    text = quote.text
    if len(text) <= limit:
        return quote
    keep = limit - 1
    marks = tuple(Mark(m.start, min(m.end, keep), m.label) for m in quote.marks if m.start < keep)
    return Quote(text[:keep] + "…", marks)


def escaped_quote(quote: Quote, limit: int = QUOTE_MAX) -> str:
    pieces = cut_quote(quote, limit).pieces()
    out = "".join(f"**{escape(p)}**" if hit and p.strip() else escape(p) for p, hit in pieces)
    return " ".join(out.split())


def size(embed: Embed) -> int:
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return total


def _embed(title: str, description: str, colour: int, fields: list[dict[str, Any]] | None = None) -> Embed:
    embed: Embed = {"title": cut(title, TITLE_MAX), "color": colour}
    if description.strip():  # Discord refuses an empty description
        embed["description"] = cut(description, DESCRIPTION_MAX)
    if fields:
        embed["fields"] = [
            {
                "name": cut(f["name"], FIELD_NAME_MAX),
                "value": cut(f["value"], FIELD_VALUE_MAX) or "–",
                "inline": bool(f.get("inline", False)),
            }
            for f in fields[:FIELDS_MAX]
        ]
    return embed


def _moment_embed(m: Moment, client: str, colour: int) -> Embed:
    t = texts()
    name = escape(client.split()[0] if client.strip() else "Client")
    lines = []
    if m.client_line:
        lines.append(f"> **{name}:** {escape(one_line(cut(m.client_line, QUOTE_MAX)))}")
    lines.append(f"> **You:** {escaped_quote(m.quote)}  _({escape(t.label(m.label))})_")
    if m.feels:
        lines.append(f"\n{name} was feeling: {escape(', '.join(m.feels))}.")
    if m.model_reply:
        reply = escape(one_line(cut(m.model_reply, QUOTE_MAX)))
        lines.append(f"{model_reply_intro(m)}: “{reply}”")
        if m.why:
            lines.append(f"Why: {escape(one_line(cut(m.why, QUOTE_MAX)))}")
    return _embed(f"Turn {m.turn} — {m.why_chosen}", "\n".join(lines), colour)


def _summary_embed(d: Debrief, colour: int) -> Embed:
    desc = [escape_plain_bold(headline(d)), facts(d, escape)]
    if d.empty:
        desc.append("")
        desc.append(texts().zero_turns)
        return _embed(f"Debrief — {d.scenario_title}", "\n".join(desc), colour)
    m = meter(d)
    if m:
        desc.append(escape(m))
    if d.path:
        desc.append(cut(escape(path_line(d)), 1000))
    fields = [{"name": "Skills", "value": "\n".join(skill_lines(d))}]
    if d.strength:
        s = d.strength
        value = f"Turn {s.turn}: {escaped_quote(s.quote, 800)}"
        fields.append({"name": "A strength", "value": value})
    p = progress_line(d)
    if p:
        fields.append({"name": "Progress", "value": p})
    embed = _embed(f"Debrief — {d.scenario_title}", "\n".join(desc), colour, fields)
    embed["footer"] = {"text": "The full debrief, every turn included, is in the attached file."}
    return embed


def escape_plain_bold(line: str) -> str:
    """The headline keeps its bold outcome word; the scenario's summary text is escaped."""
    if line.startswith("**") and "** · " in line:
        word, rest = line[2:].split("** · ", 1)
        return f"**{escape(word)}** · {escape(rest)}"
    return escape(line)


def _notes_embeds(d: Debrief, colour: int) -> list[Embed]:
    """Notes as fields, as many embeds as needed so each stays well under a message's 6,000."""
    embeds: list[Embed] = []
    fields: list[dict[str, Any]] = []
    total = 0
    for n in d.notes:
        name = cut(f"{escape(n.author)} · {n.at[:16].replace('T', ' ')}", FIELD_NAME_MAX)
        value = cut(escape(n.text), FIELD_VALUE_MAX)
        if fields and (len(fields) >= FIELDS_MAX or total + len(name) + len(value) > NOTES_PER_EMBED_CHARS):
            embeds.append(_embed("Facilitator notes", "", colour, fields))
            fields, total = [], 0
        fields.append({"name": name, "value": value})
        total += len(name) + len(value)
    if fields:
        embeds.append(_embed("Facilitator notes", "", colour, fields))
    return embeds


def render_embeds(d: Debrief) -> list[list[Embed]]:
    """The debrief as messages of embeds, each message within Discord's limits, never empty."""
    colour = texts().colour(d.outcome)
    embeds = [_summary_embed(d, colour)]
    if not d.empty:
        embeds += [_moment_embed(m, d.client_name or "Client", colour) for m in d.moments]
    embeds += _notes_embeds(d, colour)
    return pack(embeds)


def pack(embeds: list[Embed]) -> list[list[Embed]]:
    """Group embeds into messages: at most 10 and 6,000 characters each (an embed never exceeds it)."""
    messages: list[list[Embed]] = []
    current: list[Embed] = []
    total = 0
    for embed in embeds:
        n = size(embed)
        if n > MESSAGE_TOTAL_MAX:  # only a pathological field mix gets here: trim the description
            over = n - MESSAGE_TOTAL_MAX
            embed["description"] = cut(embed.get("description", ""), len(embed.get("description", "")) - over)
            n = size(embed)
        if current and (len(current) >= EMBEDS_PER_MESSAGE or total + n > MESSAGE_TOTAL_MAX):
            messages.append(current)
            current, total = [], 0
        current.append(embed)
        total += n
    if current:
        messages.append(current)
    return messages
