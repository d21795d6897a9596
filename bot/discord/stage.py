"""Where role-plays run in Discord: one private thread per session, one turn at a time.

The Stage keeps, per running session, the engine `Session` and a lock. A learner message takes the
lock (asyncio locks are first-come first-served, so messages are answered in the order they were
sent), plays the engine turn, commits it to the store, and only then shows the client's answer. The
database is the truth: after a restart a session is rebuilt from its stored state on the next message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.debrief import SessionRecord
from bot.discord import embeds
from bot.discord.delivery import dm_debrief
from bot.discord.errors import Refusal, answer
from bot.discord.sending import NO_PINGS, say_as_client, send_text
from bot.discord.texts import say
from bot.discord.views import end_view
from bot.engine import Session
from bot.scenario.model import Scenario

if TYPE_CHECKING:
    from bot.discord.app import HeardBot

log = logging.getLogger(__name__)


@dataclass
class Live:
    """A running session as the bot holds it between turns."""

    record: SessionRecord
    session: Session
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    paused: bool = False
    told_paused: bool = False
    nudged: bool = False

    @property
    def id(self) -> int:
        return self.record.id


class Stage:
    def __init__(self, bot: HeardBot) -> None:
        self.bot = bot
        self._live: dict[int, Live] = {}  # session id -> Live
        self._by_thread: dict[int, int] = {}  # thread id -> session id
        self._not_sessions: set[int] = set()  # threads known to hold no running session
        self._loading = asyncio.Lock()

    # --- finding running sessions --------------------------------------------------------------
    async def _adopt(self, record: SessionRecord) -> Live:
        live = self._live.get(record.id)
        if live is None:
            scenario = await self.bot.scenario_version(record.scenario_hash)
            live = Live(record, Session.resume(scenario, record.state), paused=record.status == "paused")
            self._live[record.id] = live
            if record.thread_id is not None:
                self._by_thread[record.thread_id] = record.id
        return live

    async def for_thread(self, thread_id: int) -> Live | None:
        """The running session in this thread, loaded from the database after a restart."""
        session_id = self._by_thread.get(thread_id)
        if session_id is not None:
            return self._live.get(session_id)
        if thread_id in self._not_sessions:
            return None
        async with self._loading:  # two quick messages must not load (and lock) the session twice
            if thread_id in self._by_thread:
                return self._live.get(self._by_thread[thread_id])
            record = await self.bot.store.find_active_session(thread_id=thread_id)
            if record is None:
                if len(self._not_sessions) > 50_000:
                    self._not_sessions.clear()
                self._not_sessions.add(thread_id)
                return None
            return await self._adopt(record)

    async def by_id(self, session_id: int, guild_id: int) -> Live | None:
        """A running session of this guild by id (None if it is over, unknown, or another guild's)."""
        live = self._live.get(session_id)
        if live is not None:
            return live if live.record.guild_id == guild_id else None
        async with self._loading:
            record = await self.bot.store.get_session(session_id, guild_id=guild_id)
            if record is None or record.status not in ("active", "paused"):
                return None
            return await self._adopt(record)

    def _forget(self, live: Live) -> None:
        self._live.pop(live.id, None)
        if live.record.thread_id is not None:
            self._by_thread.pop(live.record.thread_id, None)
            self._not_sessions.add(live.record.thread_id)

    # --- starting ------------------------------------------------------------------------------
    async def open(
        self,
        interaction: discord.Interaction,
        scenario: Scenario,
        learner: discord.Member,
        *,
        facilitator_id: int | None,
    ) -> None:
        """Create the private thread, store the session, add the learner, post the intro and the
        client's opening line; answer the interaction with a link."""
        channel = interaction.channel
        if not isinstance(channel, discord.TextChannel):
            raise Refusal(say("roleplay.need_text_channel"))
        if learner.bot:
            raise Refusal(say("roleplay.learner_is_bot"))
        running = await self.bot.store.list_sessions(
            channel.guild.id, status=("active", "paused"), learner_id=learner.id
        )
        if running:
            raise Refusal(
                say("roleplay.already_running", learner=learner.mention, thread=_thread_link(running[-1]))
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        name = say("roleplay.thread_name", client=scenario.persona.name, learner=learner.display_name)[:100]
        try:
            thread = await channel.create_thread(
                name=name,
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=1440,
            )
        except discord.Forbidden:
            raise Refusal(say("roleplay.cannot_create_thread", channel=channel.mention)) from None
        session = Session.new(scenario, seed=thread.id % 2**31)
        opening = session.start()
        record = await self.bot.store.create_session(
            scenario,
            session.to_dict(),
            opening,
            guild_id=channel.guild.id,
            channel_id=channel.id,
            thread_id=thread.id,
            learner_id=learner.id,
            learner_name=learner.display_name,
            facilitator_id=facilitator_id,
        )
        live = Live(record, session)
        self._live[record.id] = live
        self._by_thread[thread.id] = record.id
        await thread.add_user(learner)
        await thread.send(
            content=say("roleplay.intro", learner=learner.mention),
            embed=embeds.intro(scenario),
            view=end_view(record.id),
            allowed_mentions=NO_PINGS,
        )
        await self._say(thread, opening)
        await interaction.followup.send(
            say("roleplay.started", learner=learner.mention, thread=thread.mention, session=record.id),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    # --- turns -----------------------------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or not isinstance(message.channel, discord.Thread):
            return
        live = await self.for_thread(message.channel.id)
        if live is None or message.author.id != live.record.learner_id:
            return  # facilitators and others may watch and type in the thread
        if not message.content.strip():
            return  # a sticker or a file alone is not a reply
        thread = message.channel
        async with live.lock:
            if live.session.finished or live.id not in self._live:
                return
            if live.paused:
                if not live.told_paused:
                    live.told_paused = True
                    await send_text(thread, say("roleplay.paused_notice"))
                return
            result = live.session.reply(message.content)
            try:
                await self.bot.store.record_turn(live.id, result, live.session.to_dict())
            except BaseException:
                # Not stored, so not said: drop the advanced engine; the next message reloads it.
                self._live.pop(live.id, None)
                self._by_thread.pop(thread.id, None)
                raise
            live.nudged = False
            try:
                await self._say(thread, result.lines)
            except discord.HTTPException as exc:
                # The turn is stored: the learner sees the answer in the debrief, and can go on.
                log.warning(
                    "session %s turn %s stored but the answer could not be sent in thread %s: %s",
                    live.id, result.turn, thread.id, exc,
                )  # fmt: skip
            if result.ended:
                record = await self.bot.store.get_session(live.id)
                await self._wrap_up(live, record or live.record, thread)

    async def _say(self, thread: discord.abc.Messageable, lines: tuple[str, ...] | list[str]) -> None:
        guild_id = getattr(getattr(thread, "guild", None), "id", None)
        cps = self.bot.settings.typing_cps
        if guild_id is not None:
            config = await self.bot.guild_config(guild_id)
            cps = config.typing_cps if config.typing_cps is not None else cps
        await say_as_client(thread, lines, chars_per_second=cps, longest=self.bot.settings.typing_max)

    # --- ending ----------------------------------------------------------------------------------
    async def end(
        self, live: Live, reason: str, *, interaction: discord.Interaction | None = None
    ) -> SessionRecord:
        """End a running session early: closing line, debrief by DM, thread archived and locked."""
        async with live.lock:
            if live.session.finished or live.id not in self._live:
                raise Refusal(say("roleplay.already_over"))
            closing = live.session.end(reason)
            record = await self.bot.store.end_session(live.id, live.session.to_dict(), closing)
            thread = None if reason == "abandoned" else await self._thread(live)
            if thread is not None and closing:
                try:
                    await self._say(thread, closing)
                except discord.HTTPException as exc:
                    log.warning("session %s: closing line not sent: %s", live.id, exc)
            await self._wrap_up(live, record, thread, interaction)
            return record

    async def _wrap_up(
        self,
        live: Live,
        record: SessionRecord,
        thread: discord.Thread | None,
        interaction: discord.Interaction | None = None,
    ) -> None:
        """After the last line: the debrief by DM (or a pointer to /debrief view), then the thread
        archived and locked so the transcript stays as it was."""
        self._forget(live)
        delivered = await dm_debrief(self.bot, record, thread=thread, interaction=interaction)
        if interaction is not None and delivered:
            await answer(interaction, say("roleplay.ended", session=record.id))
        if thread is not None:
            try:
                await thread.edit(archived=True, locked=True)
            except discord.HTTPException as exc:
                log.warning("session %s: thread %s not archived: %s", record.id, thread.id, exc)

    async def _thread(self, live: Live) -> discord.Thread | None:
        thread_id = live.record.thread_id
        if thread_id is None:
            return None
        try:
            return await self._lookup_thread(thread_id)
        except discord.HTTPException:
            return None

    async def _lookup_thread(self, thread_id: int) -> discord.Thread | None:
        """The thread, from the cache or from Discord; raises `discord.NotFound` if it was deleted (and
        `discord.HTTPException` when Discord cannot say)."""
        channel = self.bot.get_channel(thread_id)
        if channel is None:
            channel = await self.bot.fetch_channel(thread_id)
        return channel if isinstance(channel, discord.Thread) else None

    async def end_by_interaction(self, interaction: discord.Interaction, session_id: int) -> None:
        """The End button and /roleplay end: the learner of the session, or a facilitator."""
        from bot.discord.checks import is_facilitator

        try:
            if interaction.guild_id is None:
                raise Refusal(say("errors.guild_only"))
            live = await self.by_id(session_id, interaction.guild_id)
            if live is None:
                raise Refusal(say("roleplay.already_over"))
            facilitator = await is_facilitator(interaction)
            if interaction.user.id != live.record.learner_id and not facilitator:
                raise Refusal(say("roleplay.not_yours"))
            await interaction.response.defer(ephemeral=True, thinking=True)
            reason = "learner" if interaction.user.id == live.record.learner_id else "facilitator"
            await self.end(live, reason, interaction=interaction)
        except Refusal as refusal:
            await answer(interaction, refusal.text)

    async def thread_deleted(self, thread_id: int) -> None:
        """A deleted thread ends its session as abandoned, with a debrief by DM."""
        live = await self.for_thread(thread_id)
        if live is not None:
            with contextlib.suppress(Refusal):
                await self.end(live, "abandoned")

    async def sweep_deleted_threads(self) -> int:
        """After a start-up: end, as abandoned, the open sessions whose thread was deleted while the bot
        was offline (their delete event never came). Returns how many it ended."""
        ended = 0
        for record in await self.bot.store.list_open_sessions():
            if record.thread_id is None:
                continue
            try:
                await self._lookup_thread(record.thread_id)
                continue
            except discord.NotFound:
                pass
            except discord.HTTPException:  # no access for now, or Discord is unwell: decide another time
                continue
            log.info("session %s: its thread is gone; ending it as abandoned", record.id)
            async with self._loading:
                live = await self._adopt(record)
            with contextlib.suppress(Refusal):
                await self.end(live, "abandoned")
                ended += 1
        return ended

    # --- pause, idle ---------------------------------------------------------------------------
    async def set_paused(self, live: Live, paused: bool) -> None:
        async with live.lock:
            if live.paused == paused:
                raise Refusal(say("roleplay.already_paused" if paused else "roleplay.not_paused"))
            await self.bot.store.set_status(live.id, "paused" if paused else "active")
            live.paused, live.told_paused = paused, False
        thread = await self._thread(live)
        if thread is not None:
            await send_text(thread, say("roleplay.paused" if paused else "roleplay.resumed"))

    async def check_idle(self, now: datetime) -> None:
        """One nudge after the idle timeout; the session ends after as long again without a reply."""
        for record in await self.bot.store.list_open_sessions():
            if record.status != "active" or record.guild_id is None:
                continue
            config = await self.bot.guild_config(record.guild_id)
            minutes = config.idle_minutes or self.bot.settings.idle_minutes
            if not minutes:
                continue
            quiet = now - datetime.fromisoformat(record.updated_at)
            live = self._live.get(record.id)
            if live is None:
                async with self._loading:  # never two Live objects (two locks) for one session
                    live = await self._adopt(record)
            # The nudge is stored (transcript line + a flag in the state, cleared by the next turn),
            # so a restart never nudges twice; the quiet clock restarts at the nudge.
            nudged = live.nudged or bool(record.state.get("nudged"))
            if quiet < timedelta(minutes=minutes):
                continue
            if nudged:
                log.info("session %s idle for %s after a nudge: ending it", record.id, quiet)
                with contextlib.suppress(Refusal):
                    await self.end(live, "idle")
                continue
            live.nudged = True
            nudge = say("idle.nudge")
            state = live.session.to_dict()
            state["nudged"] = True
            await self.bot.store.add_client_lines(record.id, [nudge], state)
            thread = await self._thread(live)
            if thread is not None:
                await self._say(thread, [nudge])


def _thread_link(record: SessionRecord) -> str:
    return f"<#{record.thread_id}>" if record.thread_id else f"#{record.id}"
