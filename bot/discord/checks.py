"""Who may do what. Facilitator = has the server's configured facilitator role, or Manage Threads.

`facilitator_only()` gates twice, as discord.py's own advice goes: on a group cog it sets
default_permissions (a hint server admins can change in Integrations settings), and it always adds a
check in the bot, which is the real gate. Discord ignores default_permissions on subcommands, so in
the mixed groups (/roleplay, /scenario, /debrief) the check in the bot is the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.discord.errors import NotFacilitator

T = TypeVar("T")

FACILITATOR_PERMISSIONS = discord.Permissions(manage_threads=True)


async def is_facilitator(interaction: discord.Interaction) -> bool:
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_threads or interaction.permissions.manage_threads:
        return True
    config = await interaction.client.guild_config(interaction.guild.id)  # type: ignore[attr-defined]
    role_id = config.facilitator_role_id
    return role_id is not None and member.get_role(role_id) is not None


async def _require_facilitator(interaction: discord.Interaction) -> bool:
    if await is_facilitator(interaction):
        return True
    raise NotFacilitator()


def facilitator_only() -> Callable[[T], T]:
    """On an app command: a check in the bot. On a GroupCog class: default_permissions on the group
    plus the same check for every command in it."""

    def decorate(obj: Any) -> Any:
        if isinstance(obj, type):
            obj = app_commands.default_permissions(FACILITATOR_PERMISSIONS)(obj)

            async def interaction_check(self: Any, interaction: discord.Interaction) -> bool:
                return await _require_facilitator(interaction)

            obj.interaction_check = interaction_check
            obj.__heard_facilitator__ = True
            return obj
        return app_commands.check(_require_facilitator)(obj)

    return decorate
