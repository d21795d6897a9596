"""How the bot speaks in Discord: never pings anyone, splits long text, escapes quoted text.

Every send goes through here so the rules hold everywhere: `allowed_mentions=NO_PINGS` on each
message (the bot-wide default is the same, in case a send slips past), text cut under Discord's
2,000-character limit at paragraph or word boundaries, learner words escaped before they are echoed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import discord

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
LIMIT = 2000


def quote(text: str) -> str:
    """Learner text made safe to show again: no markdown tricks, no mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Chunks no longer than `limit`, cut at a blank line, a line end or a space when possible."""
    text = text.strip()
    chunks: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:  # no good boundary: cut hard rather than make tiny pieces
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def typing_seconds(text: str, chars_per_second: float, longest: float) -> float:
    """How long the client 'types' before a line: longer replies take longer, up to `longest`."""
    if chars_per_second <= 0:
        return 0.0
    return min(len(text) / chars_per_second, longest)


async def send_text(
    channel: discord.abc.Messageable, text: str, *, view: discord.ui.View | None = None
) -> list[discord.Message]:
    """Send text in as many messages as it needs; a view goes on the last one."""
    chunks = split_text(text) or ["\u200b"]
    sent = []
    for i, chunk in enumerate(chunks):
        kwargs = {"view": view} if view is not None and i == len(chunks) - 1 else {}
        sent.append(await channel.send(chunk, allowed_mentions=NO_PINGS, **kwargs))
    return sent


async def say_as_client(
    channel: discord.abc.Messageable, lines: Sequence[str], *, chars_per_second: float, longest: float
) -> None:
    """The client's line(s) after a typing indicator: one typing request, then one message
    (two requests in all unless the text is over 2,000 characters)."""
    text = "\n\n".join(line.strip() for line in lines if line.strip())
    if not text:
        return
    await channel.typing()
    delay = typing_seconds(text, chars_per_second, longest)
    if delay:
        await asyncio.sleep(delay)
    await send_text(channel, text)
