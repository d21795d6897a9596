"""/scenario: list, show, upload, remove."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.checks import facilitator_only, is_facilitator
from bot.discord.cogs.choices import find_scenario, scenario_choices
from bot.discord.errors import Refusal
from bot.discord.sending import NO_PINGS
from bot.discord.texts import described, say
from bot.scenario.load import parse_scenario
from bot.scenario.problems import ScenarioError

if TYPE_CHECKING:
    from bot.discord.app import HeardBot

log = logging.getLogger(__name__)

UPLOAD_MAX_BYTES = 256 * 1024
PROBLEMS_SHOWN = 15


@app_commands.guild_only()
class Scenarios(commands.GroupCog, group_name="scenario", group_description=say("commands.scenario.group")):
    def __init__(self, bot: HeardBot) -> None:
        self.bot = bot

    @app_commands.command(name="list")
    @described("scenario.list")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        found = await self.bot.scenarios(interaction.guild_id)
        uploaded = {u.scenario_id for u in await self.bot.store.list_uploaded_scenarios(interaction.guild_id)}
        embed = embeds.scenario_list(list(found.values()), uploaded)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="show")
    @described("scenario.show")
    @app_commands.autocomplete(scenario=scenario_choices)
    async def show(self, interaction: discord.Interaction, scenario: str) -> None:
        found = await find_scenario(interaction, scenario)
        embed = embeds.scenario_detail(found, facilitator=await is_facilitator(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="upload")
    @described("scenario.upload")
    @facilitator_only()
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        assert interaction.guild_id is not None
        if file.size > UPLOAD_MAX_BYTES:
            raise Refusal(say("scenario.too_big", name=_name(file), size=file.size // 1024,
                              limit=UPLOAD_MAX_BYTES // 1024))  # fmt: skip
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        if len(data) > UPLOAD_MAX_BYTES:  # never trust the declared size alone
            raise Refusal(say("scenario.too_big", name=_name(file), size=len(data) // 1024,
                              limit=UPLOAD_MAX_BYTES // 1024))  # fmt: skip
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refusal(say("scenario.not_text", name=_name(file))) from None
        try:
            scenario = parse_scenario(text, file.filename)
        except ScenarioError as exc:
            problems = [str(p) for p in exc.problems]
            shown = "\n".join(problems[:PROBLEMS_SHOWN])
            more = (
                say("scenario.more_problems", count=len(problems) - PROBLEMS_SHOWN)
                if len(problems) > PROBLEMS_SHOWN
                else ""
            )
            raise Refusal(
                say("scenario.invalid", name=_name(file), problems=shown[:1500], more=more)
            ) from None
        bundled = scenario.id in self.bot.library.scenarios
        await self.bot.store.add_uploaded_scenario(
            interaction.guild_id, scenario, uploaded_by=interaction.user.id
        )
        self.bot.forget_guild_scenarios(interaction.guild_id)
        log.info(
            "guild %s uploaded scenario %s (%s)",
            interaction.guild_id,
            scenario.id,
            scenario.content_hash[:12],
        )
        key = "scenario.uploaded_shadowing" if bundled else "scenario.uploaded"
        await interaction.followup.send(
            say(key, scenario=scenario.id, title=scenario.title, version=scenario.content_hash[:12]),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="remove")
    @described("scenario.remove")
    @app_commands.autocomplete(scenario=scenario_choices)
    @facilitator_only()
    async def remove(self, interaction: discord.Interaction, scenario: str) -> None:
        assert interaction.guild_id is not None
        removed = await self.bot.store.remove_uploaded_scenario(interaction.guild_id, scenario.strip())
        if not removed:
            raise Refusal(say("scenario.not_uploaded", scenario=discord.utils.escape_markdown(scenario[:60])))
        self.bot.forget_guild_scenarios(interaction.guild_id)
        key = (
            "scenario.removed_bundled_back" if scenario in self.bot.library.scenarios else "scenario.removed"
        )
        await interaction.response.send_message(say(key, scenario=scenario), ephemeral=True)


def _name(file: discord.Attachment) -> str:
    return discord.utils.escape_markdown(file.filename[:80])
