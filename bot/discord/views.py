"""The "End role-play" button. It is a DynamicItem: the session id lives in its custom_id, so the
button keeps working after a restart without any view being re-sent or kept in memory."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.texts import say


class EndButton(discord.ui.DynamicItem[discord.ui.Button], template=r"heard:end:(?P<session>[0-9]+)"):
    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=say("roleplay.end_button"),
                style=discord.ButtonStyle.danger,
                custom_id=f"heard:end:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> EndButton:
        return cls(int(match["session"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.client.stage.end_by_interaction(interaction, self.session_id)


def end_view(session_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(EndButton(session_id))
    return view
