"""/roleplay: start, practice, end, pause, resume, active — and the learner's messages in threads."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.discord import embeds
from bot.discord.checks import facilitator_only, is_facilitator
from bot.discord.cogs.choices import find_scenario, running_choices, running_session, scenario_choices
from bot.discord.errors import Refusal
from bot.discord.sending import NO_PINGS
from bot.discord.texts import described, say

if TYPE_CHECKING:
    from bot.discord.app import HeardBot

log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 30


@app_commands.guild_only()
class Roleplay(commands.GroupCog, group_name="roleplay", group_description=say("commands.roleplay.group")):
    def __init__(self, bot: HeardBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.idle_check.start()

    async def cog_unload(self) -> None:
        self.idle_check.cancel()

    @app_commands.command(name="start")
    @described("roleplay.start")
    @app_commands.autocomplete(scenario=scenario_choices)
    @facilitator_only()
    async def start(self, interaction: discord.Interaction, scenario: str, learner: discord.Member) -> None:
        found = await find_scenario(interaction, scenario)
        await self.bot.stage.open(interaction, found, learner, facilitator_id=interaction.user.id)

    @app_commands.command(name="practice")
    @described("roleplay.practice")
    @app_commands.autocomplete(scenario=scenario_choices)
    async def practice(self, interaction: discord.Interaction, scenario: str) -> None:
        assert interaction.guild_id is not None and isinstance(interaction.user, discord.Member)
        config = await self.bot.guild_config(interaction.guild_id)
        if not config.allow_self_practice and not await is_facilitator(interaction):
            raise Refusal(say("roleplay.practice_off"))
        found = await find_scenario(interaction, scenario)
        await self.bot.stage.open(interaction, found, interaction.user, facilitator_id=None)

    @app_commands.command(name="end")
    @described("roleplay.end")
    @app_commands.autocomplete(session=running_choices)
    async def end(self, interaction: discord.Interaction, session: int | None = None) -> None:
        live = await running_session(interaction, session)
        await self.bot.stage.end_by_interaction(interaction, live.id)

    @app_commands.command(name="pause")
    @described("roleplay.pause")
    @app_commands.autocomplete(session=running_choices)
    @facilitator_only()
    async def pause(self, interaction: discord.Interaction, session: int | None = None) -> None:
        live = await running_session(interaction, session)
        await self.bot.stage.set_paused(live, True)
        await interaction.response.send_message(say("roleplay.paused_ok", session=live.id), ephemeral=True)

    @app_commands.command(name="resume")
    @described("roleplay.resume")
    @app_commands.autocomplete(session=running_choices)
    @facilitator_only()
    async def resume(self, interaction: discord.Interaction, session: int | None = None) -> None:
        live = await running_session(interaction, session)
        await self.bot.stage.set_paused(live, False)
        await interaction.response.send_message(say("roleplay.resumed_ok", session=live.id), ephemeral=True)

    @app_commands.command(name="active")
    @described("roleplay.active")
    @facilitator_only()
    async def active(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        records = await self.bot.store.list_sessions(interaction.guild_id, status=("active", "paused"))
        embed = embeds.active_sessions(records, discord.utils.utcnow())
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    # --- events --------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        await self.bot.stage.on_message(message)

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        await self.bot.stage.thread_deleted(payload.thread_id)

    @tasks.loop(seconds=IDLE_CHECK_SECONDS)
    async def idle_check(self) -> None:
        try:
            await self.bot.stage.check_idle(discord.utils.utcnow())
        except Exception:  # one bad session must not stop the loop for everyone
            log.exception("idle check failed")

    @idle_check.before_loop
    async def _before_idle_check(self) -> None:
        await self.bot.wait_until_ready()
        try:
            await self.bot.stage.sweep_deleted_threads()
        except Exception:  # the idle loop must start anyway
            log.exception("checking for threads deleted while offline failed")
