"""Autocomplete for scenario and session arguments, and turning those arguments into objects.
Everything is scoped to the guild the command runs in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.discord.checks import is_facilitator
from bot.discord.errors import Refusal
from bot.discord.texts import say
from bot.scenario.model import Scenario

if TYPE_CHECKING:
    from bot.discord.stage import Live

MAX_CHOICES = 25


def _bot(interaction: discord.Interaction) -> Any:
    return interaction.client


async def scenario_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    found = await _bot(interaction).scenarios(interaction.guild_id)
    needle = current.lower()
    hits = [s for s in found.values() if needle in s.id or needle in s.title.lower()]
    hits.sort(key=lambda s: s.id)
    return [app_commands.Choice(name=f"{s.title} ({s.id})"[:100], value=s.id) for s in hits[:MAX_CHOICES]]


async def running_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    if interaction.guild_id is None:
        return []
    records = await _bot(interaction).store.list_sessions(interaction.guild_id, status=("active", "paused"))
    return _session_choices(records, current)


async def debrief_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    """Facilitators pick from every session in the server, learners from their own."""
    if interaction.guild_id is None:
        return []
    learner = None if await is_facilitator(interaction) else interaction.user.id
    store = _bot(interaction).store
    if learner is None:
        records = await store.list_sessions(interaction.guild_id, limit=200)
    else:
        records = await store.list_sessions(interaction.guild_id, learner_id=learner, limit=200)
    return _session_choices(records, current)


def _session_choices(records: list[Any], current: str) -> list[app_commands.Choice[int]]:
    records = sorted(records, key=lambda r: r.id, reverse=True)
    choices = []
    for r in records:
        label = f"#{r.id} {r.learner_name} · {r.scenario_id} · {r.status}"
        if current and current.lower() not in label.lower():
            continue
        choices.append(app_commands.Choice(name=label[:100], value=r.id))
        if len(choices) == MAX_CHOICES:
            break
    return choices


async def find_scenario(interaction: discord.Interaction, scenario_id: str) -> Scenario:
    assert interaction.guild_id is not None
    found = await _bot(interaction).scenarios(interaction.guild_id)
    scenario = found.get(scenario_id.strip())
    if scenario is None:
        raise Refusal(say("scenario.unknown", scenario=discord.utils.escape_markdown(scenario_id[:60])))
    return scenario


async def running_session(interaction: discord.Interaction, session_id: int | None) -> Live:
    """The session named, else the one running in this thread."""
    stage = _bot(interaction).stage
    guild_id = interaction.guild_id
    assert guild_id is not None
    if session_id is not None:
        live = await stage.by_id(session_id, guild_id)
    elif isinstance(interaction.channel, discord.Thread):
        live = await stage.for_thread(interaction.channel.id)
    else:
        raise Refusal(say("roleplay.which_session"))
    if live is None:
        raise Refusal(say("roleplay.no_running_session"))
    return live
