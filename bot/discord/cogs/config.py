"""/heard config (Manage Server): the facilitator role, self-practice, typing speed, idle timeout —
stored per server. Also the bot owner's `@Heard sync` for slash commands."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.sending import NO_PINGS
from bot.discord.texts import described, say

if TYPE_CHECKING:
    from bot.discord.app import HeardBot

log = logging.getLogger(__name__)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Config(commands.GroupCog, group_name="heard", group_description=say("commands.heard.group")):
    def __init__(self, bot: HeardBot) -> None:
        self.bot = bot

    @app_commands.command(name="config")
    @described("heard.config")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def config(
        self,
        interaction: discord.Interaction,
        facilitator_role: discord.Role | None = None,
        self_practice: bool | None = None,
        typing_speed: app_commands.Range[float, 0, 500] | None = None,
        idle_minutes: app_commands.Range[int, 0, 1440] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        changes: dict[str, object] = {}
        if facilitator_role is not None:
            changes["facilitator_role_id"] = facilitator_role.id
        if self_practice is not None:
            changes["allow_self_practice"] = self_practice
        if typing_speed is not None:
            changes["typing_cps"] = typing_speed
        if idle_minutes is not None:
            changes["idle_minutes"] = idle_minutes
        if changes:
            cfg = await self.bot.set_guild_config(interaction.guild_id, **changes)
        else:
            cfg = await self.bot.guild_config(interaction.guild_id)
        settings = self.bot.settings
        text = say(
            "config.summary" if not changes else "config.saved",
            role=f"<@&{cfg.facilitator_role_id}>" if cfg.facilitator_role_id else say("config.no_role"),
            practice=say("config.practice_on") if cfg.allow_self_practice else say("config.practice_off"),
            cps=cfg.typing_cps
            if cfg.typing_cps is not None
            else f"{settings.typing_cps:g} ({say('config.default')})",
            idle=cfg.idle_minutes
            if cfg.idle_minutes is not None
            else f"{settings.idle_minutes:g} ({say('config.default')})",
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @commands.command(name="sync", hidden=True)
    @commands.is_owner()
    async def sync(self, ctx: commands.Context, scope: str | None = None) -> None:
        """`@Heard sync` (global; Discord may take a while) or `@Heard sync here` (this server, at once)."""
        if scope == "here" and ctx.guild is not None:
            self.bot.tree.copy_global_to(guild=ctx.guild)
            synced = await self.bot.tree.sync(guild=ctx.guild)
        else:
            synced = await self.bot.tree.sync()
        await ctx.reply(say("config.synced", count=len(synced)), allowed_mentions=NO_PINGS)
