"""/debrief: view (a learner their own, a facilitator any in the server) and note (facilitators)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.debrief import NoteError, validate_note
from bot.discord.checks import facilitator_only, is_facilitator
from bot.discord.cogs.choices import debrief_choices
from bot.discord.delivery import debrief_messages, gather_debrief
from bot.discord.errors import Refusal
from bot.discord.sending import NO_PINGS, quote
from bot.discord.texts import described, say

if TYPE_CHECKING:
    from bot.debrief import SessionRecord
    from bot.discord.app import HeardBot

log = logging.getLogger(__name__)


@app_commands.guild_only()
class Debriefs(commands.GroupCog, group_name="debrief", group_description=say("commands.debrief.group")):
    def __init__(self, bot: HeardBot) -> None:
        self.bot = bot

    async def _session(self, interaction: discord.Interaction, session: int | None) -> SessionRecord:
        """The session asked for, within this guild, if this member may read it."""
        assert interaction.guild_id is not None
        facilitator = await is_facilitator(interaction)
        if session is None:
            own = await self.bot.store.list_sessions(
                interaction.guild_id,
                learner_id=interaction.user.id,
                status=("finished", "abandoned"),
                limit=1,
            )
            if not own:
                raise Refusal(say("debrief.none_yet"))
            return own[-1]
        record = await self.bot.store.get_session(session, guild_id=interaction.guild_id)
        if record is None or (record.learner_id != interaction.user.id and not facilitator):
            raise Refusal(say("debrief.not_found", session=session))
        return record

    @app_commands.command(name="view")
    @described("debrief.view")
    @app_commands.autocomplete(session=debrief_choices)
    async def view(self, interaction: discord.Interaction, session: int | None = None) -> None:
        record = await self._session(interaction, session)
        await interaction.response.defer(ephemeral=True, thinking=True)
        messages, file = debrief_messages(await gather_debrief(self.bot, record), record.id)
        for i, batch in enumerate(messages):
            extra = {"file": file} if i == len(messages) - 1 else {}
            await interaction.followup.send(embeds=batch, ephemeral=True, allowed_mentions=NO_PINGS, **extra)

    @app_commands.command(name="note")
    @described("debrief.note")
    @app_commands.autocomplete(session=debrief_choices)
    @facilitator_only()
    async def note(self, interaction: discord.Interaction, session: int, text: str) -> None:
        record = await self._session(interaction, session)
        try:
            clean = validate_note(text)
        except NoteError as exc:
            raise Refusal(say("debrief.bad_note", reason=str(exc))) from None
        note = await self.bot.store.add_note(
            record.id, clean, author_id=interaction.user.id, author_name=interaction.user.display_name
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        told = await self._tell_learner(record, note.author_name, clean)
        key = "debrief.note_saved" if told else "debrief.note_saved_no_dm"
        await interaction.followup.send(say(key, session=record.id, learner=f"<@{record.learner_id}>"),
                                        ephemeral=True, allowed_mentions=NO_PINGS)  # fmt: skip

    async def _tell_learner(self, record: SessionRecord, author: str, text: str) -> bool:
        if record.learner_id is None:
            return False
        try:
            dm = await self.bot.create_dm(discord.Object(record.learner_id))
            body = say(
                "debrief.note_dm",
                author=quote(author),
                session=record.id,
                scenario=record.scenario_id,
                text=quote(text),
            )
            await dm.send(body, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.info("note for session %s not delivered to learner %s: %s", record.id, record.learner_id, exc)
            return False
        return True
