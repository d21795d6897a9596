"""Getting a debrief to a learner: gather the records, let bot.debrief build and render it, send it
by DM (embeds + the Markdown attachment). When the DM cannot be delivered, say so where the learner
will see it and record that it failed — once, no retry loop."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord

from bot.debrief import Debrief, SessionRecord, render_embeds, render_markdown
from bot.discord.errors import answer
from bot.discord.sending import NO_PINGS, send_text
from bot.discord.texts import say
from bot.store.reports import debrief_for

if TYPE_CHECKING:
    from bot.discord.app import HeardBot

log = logging.getLogger(__name__)

# 50007: the user does not accept DMs from this server; 50278: no mutual guild any more.
DM_REFUSED = {50007, 50278}


async def gather_debrief(bot: HeardBot, record: SessionRecord) -> Debrief:
    """The debrief of one stored session, with the learner's earlier sessions in the same server."""
    return await debrief_for(bot.store, record, await bot.scenario_version(record.scenario_hash))


def debrief_messages(debrief: Debrief, session_id: int) -> tuple[list[list[discord.Embed]], discord.File]:
    """Messages of embeds (already within Discord's limits) and the full Markdown as a file."""
    messages = [[discord.Embed.from_dict(e) for e in batch] for batch in render_embeds(debrief)]
    markdown = render_markdown(debrief).encode("utf-8")
    return messages, discord.File(io.BytesIO(markdown), filename=f"heard-debrief-{session_id}.md")


async def send_debrief(channel: discord.abc.Messageable, debrief: Debrief, session_id: int) -> None:
    messages, file = debrief_messages(debrief, session_id)
    for i, embeds in enumerate(messages):
        extra = {"file": file} if i == len(messages) - 1 else {}
        await channel.send(embeds=embeds, allowed_mentions=NO_PINGS, **extra)


async def dm_debrief(
    bot: HeardBot,
    record: SessionRecord,
    *,
    thread: discord.Thread | None = None,
    interaction: discord.Interaction | None = None,
) -> bool:
    """DM the learner their debrief. On a refused DM: a note in the thread and (if there is one) an
    ephemeral answer pointing to /debrief view, and dm_status "failed". Returns whether it arrived."""
    if record.learner_id is None:
        return False
    debrief = await gather_debrief(bot, record)
    try:
        dm = await bot.create_dm(discord.Object(record.learner_id))
        await send_debrief(dm, debrief, record.id)
    except discord.HTTPException as exc:
        if not (isinstance(exc, discord.Forbidden) or exc.code in DM_REFUSED):
            log.warning("debrief DM for session %s failed: %s (status %s)", record.id, exc, exc.status)
        else:
            log.info(
                "learner %s does not accept DMs (session %s): %s", record.learner_id, record.id, exc.code
            )
        await bot.store.set_dm_status(record.id, "failed")
        text = say("debrief.dm_failed", learner=f"<@{record.learner_id}>", session=record.id)
        if thread is not None:
            try:
                await send_text(thread, text)
            except discord.HTTPException as send_exc:
                log.warning("could not tell session %s's thread that the DM failed: %s", record.id, send_exc)
        if interaction is not None:
            await answer(interaction, text)
        return False
    await bot.store.set_dm_status(record.id, "sent")
    return True
