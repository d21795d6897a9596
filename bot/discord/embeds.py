"""Embeds the Discord layer shows about scenarios and sessions (debrief embeds come from
bot.debrief). Scenario text is the author's; it is shown as written, never pinging anyone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.debrief import SessionRecord
from bot.discord.texts import say
from bot.scenario.model import Scenario

COLOUR = 0x5865F2
FIELD_MAX = 1024


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def intro(scenario: Scenario) -> discord.Embed:
    """What the learner reads before the client speaks: who, the situation, the objectives."""
    persona = scenario.persona
    embed = discord.Embed(title=_cut(say("embeds.intro_title", client=persona.name), 256), colour=COLOUR)
    embed.description = _cut(scenario.summary, 4096)
    who = ", ".join(str(p) for p in (persona.pronouns, persona.age) if p)
    if persona.background or who:
        embed.add_field(
            name=say("embeds.who"),
            value=_cut(" — ".join(filter(None, [who, persona.background])), FIELD_MAX),
            inline=False,
        )
    if persona.concern:
        embed.add_field(name=say("embeds.concern"), value=_cut(persona.concern, FIELD_MAX), inline=False)
    if scenario.objectives:
        lines = "\n".join(f"• {o}" for o in scenario.objectives)
        embed.add_field(name=say("embeds.objectives"), value=_cut(lines, FIELD_MAX), inline=False)
    if scenario.content_notes:
        embed.add_field(
            name=say("embeds.content_notes"), value=_cut(", ".join(scenario.content_notes), FIELD_MAX)
        )
    embed.set_footer(text=say("embeds.intro_footer"))
    return embed


def scenario_list(scenarios: Sequence[Scenario], uploaded: set[str]) -> discord.Embed:
    embed = discord.Embed(title=say("embeds.list_title"), colour=COLOUR)
    lines = []
    for s in sorted(scenarios, key=lambda s: (s.difficulty, s.id)):
        mark = " " + say("embeds.uploaded_mark") if s.id in uploaded else ""
        lines.append(f"**{s.title}** (`{s.id}`, {s.difficulty}{mark}) — {s.persona.name}: {s.summary}")
    embed.description = _cut("\n".join(lines) or say("embeds.list_empty"), 4096)
    return embed


def scenario_detail(scenario: Scenario, *, facilitator: bool) -> discord.Embed:
    embed = intro(scenario)
    embed.title = _cut(f"{scenario.title} (`{scenario.id}`)", 256)
    embed.add_field(name=say("embeds.difficulty"), value=scenario.difficulty)
    embed.add_field(name=say("embeds.max_turns"), value=str(scenario.max_turns))
    if facilitator and scenario.facilitator_notes:
        embed.add_field(
            name=say("embeds.facilitator_notes"),
            value=_cut(scenario.facilitator_notes, FIELD_MAX),
            inline=False,
        )
    embed.set_footer(text=say("embeds.show_footer"))
    return embed


def active_sessions(records: Sequence[SessionRecord], now: datetime) -> discord.Embed:
    embed = discord.Embed(title=say("embeds.active_title"), colour=COLOUR)
    lines = []
    for r in records:
        idle = max(0, int((now - datetime.fromisoformat(r.updated_at)).total_seconds() // 60))
        lines.append(
            say(
                "embeds.active_line",
                session=r.id,
                learner=f"<@{r.learner_id}>",
                scenario=r.scenario_id,
                turn=r.state.get("turn", 0),
                idle=idle,
                thread=f"<#{r.thread_id}>" if r.thread_id else "–",
                paused=say("embeds.paused_mark") if r.status == "paused" else "",
            )
        )
    embed.description = _cut("\n".join(lines) or say("embeds.active_empty"), 4096)
    return embed
