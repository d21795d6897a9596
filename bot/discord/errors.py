"""One place that answers every failed slash command: short, friendly, ephemeral for the user; the
full traceback in the log. It copes with interactions that were already answered or have expired."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.discord.sending import NO_PINGS
from bot.discord.texts import say

log = logging.getLogger(__name__)

# Discord's codes for "this interaction is gone": unknown interaction, already acknowledged.
_GONE = {10062, 40060}


class Refusal(app_commands.AppCommandError):
    """A command cannot do what was asked; `text` tells the user why and what to do instead."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class NotFacilitator(app_commands.CheckFailure):
    """The member is neither in the facilitator role nor allowed to manage threads."""


def explain(error: app_commands.AppCommandError) -> str | None:
    """The user's answer to an expected error, or None for a bug (which gets logged)."""
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(error.original, Refusal):
        error = error.original
    if isinstance(error, Refusal):
        return error.text
    if isinstance(error, NotFacilitator):
        return say("errors.not_facilitator")
    if isinstance(error, app_commands.MissingPermissions):
        return say("errors.missing_permissions", permissions=", ".join(error.missing_permissions))
    if isinstance(error, app_commands.NoPrivateMessage):
        return say("errors.guild_only")
    if isinstance(error, app_commands.TransformerError):
        return say("errors.bad_value", value=str(error.value)[:100])
    if isinstance(error, app_commands.CheckFailure):
        return say("errors.not_allowed")
    return None


async def answer(interaction: discord.Interaction, text: str) -> None:
    """Reply ephemerally whether or not the interaction was already answered; never raise."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException as exc:
        if exc.code in _GONE or isinstance(exc, discord.NotFound):
            log.info("could not answer interaction %s (%s): it expired or was answered", interaction.id, exc)
        else:
            log.warning("could not answer interaction %s: %s", interaction.id, exc)


class HeardTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        text = explain(error)
        if text is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "/%s failed in guild %s for user %s",
                command,
                interaction.guild_id,
                interaction.user.id,
                exc_info=error,
            )
            text = say("errors.unexpected")
        await answer(interaction, text)
