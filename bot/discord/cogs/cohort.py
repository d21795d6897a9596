"""/cohort report: a table per learner (sessions, endings, empathic share, R:Q, trend) as an embed,
with the full table as a CSV attachment. The numbers and layout come from bot.debrief."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.debrief import cohort_csv, cohort_report, render_cohort_embed
from bot.discord.checks import facilitator_only
from bot.discord.cogs.choices import scenario_choices
from bot.discord.errors import Refusal
from bot.discord.sending import NO_PINGS
from bot.discord.texts import described, say
from bot.store.reports import load_summaries

if TYPE_CHECKING:
    from bot.discord.app import HeardBot


@app_commands.guild_only()
@facilitator_only()
class Cohort(commands.GroupCog, group_name="cohort", group_description=say("commands.cohort.group")):
    def __init__(self, bot: HeardBot) -> None:
        self.bot = bot

    @app_commands.command(name="report")
    @described("cohort.report")
    @app_commands.autocomplete(scenario=scenario_choices)
    async def report(
        self, interaction: discord.Interaction, since: str | None = None, scenario: str | None = None
    ) -> None:
        assert interaction.guild_id is not None
        if since is not None:
            try:
                since = date.fromisoformat(since.strip()).isoformat()
            except ValueError:
                raise Refusal(
                    say("cohort.bad_since", since=discord.utils.escape_markdown(since[:40]))
                ) from None
        await interaction.response.defer(ephemeral=True, thinking=True)
        summaries = await load_summaries(
            self.bot.store, interaction.guild_id, since=since, scenario_id=scenario
        )
        rows = cohort_report(summaries, since=since, scenario=scenario)
        embed = discord.Embed.from_dict(render_cohort_embed(rows, title=say("cohort.title")))
        csv = discord.File(io.BytesIO(cohort_csv(rows).encode("utf-8")), filename="heard-cohort.csv")
        await interaction.followup.send(embed=embed, file=csv, ephemeral=True, allowed_mentions=NO_PINGS)
