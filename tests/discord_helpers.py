"""A small Discord world for Heard's SimCord tests: one server with a training channel, a
facilitator (by role), a learner and a bystander. Typing delay 0, a temporary SQLite file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.discord import HeardBot, Settings, create_bot

SCENARIOS = Path(__file__).parent / "data" / "scenarios"
SCENARIO_ID = "mini-sam"
EMPATHIC = "I can see how that would be difficult"


def make_settings(tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "db_path": tmp_path / "heard.db",
        "scenario_dirs": (SCENARIOS,),
        "typing_cps": 0.0,
        "idle_minutes": 10.0,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


# Bots made in a test; SimCord never calls bot.close(), so the fixture closes their databases
# (an open aiosqlite connection is a thread that would keep pytest from exiting).
MADE: list[HeardBot] = []


def make_bot(tmp_path: Path, **changes: object) -> HeardBot:
    bot = create_bot(make_settings(tmp_path, **changes))
    MADE.append(bot)
    return bot


async def close_bots() -> None:
    while MADE:
        store = getattr(MADE.pop(), "store", None)
        if store is not None:
            await store.close()


@dataclass
class Server:
    env: simcord.Env
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    facilitator: simcord.MemberActor
    learner: simcord.MemberActor
    bystander: simcord.MemberActor
    commands: dict[str, Any] = field(default_factory=dict)  # synced top-level commands by name

    async def start_roleplay(self, learner: simcord.MemberActor | None = None) -> simcord.ChannelHandle:
        """/roleplay start as the facilitator; returns the new private thread."""
        before = {t.id for t in self.channel.threads}
        result = await self.facilitator.slash(
            self.channel, "roleplay start", scenario=SCENARIO_ID, learner=learner or self.learner
        )
        assert result.ephemeral, result
        (thread,) = [t for t in self.channel.threads if t.id not in before]
        return thread


def add_server(env: simcord.Env, name: str = "Career Centre") -> Server:
    guild = env.create_guild(name)
    channel = guild.create_text_channel("training")
    coaches = guild.create_role("Coaches", permissions=discord.Permissions(manage_threads=True))
    return Server(
        env=env,
        guild=guild,
        channel=channel,
        facilitator=guild.add_member(env.create_user(f"coach-{name[:4].lower()}"), roles=[coaches]),
        learner=guild.add_member(env.create_user(f"learner-{name[:4].lower()}")),
        bystander=guild.add_member(env.create_user(f"bystander-{name[:4].lower()}")),
    )


def thread_texts(thread: simcord.ChannelHandle) -> list[str]:
    return [m.content for m in thread.history()]


def requests_since(env: simcord.Env, mark: int) -> list[simcord.HttpLogEntry]:
    return env.http_requests[mark:]


def acknowledge_refusals(env: simcord.Env) -> list[BaseException]:
    """SimCord re-raises every error the command tree saw at teardown, even handled ones. Refusals
    (not a facilitator, a bad argument) are expected answers: acknowledge those, keep any bug."""
    from discord import app_commands

    from bot.discord.errors import Refusal

    expected = (app_commands.CheckFailure, Refusal)
    errors = env.errors
    unexpected = [
        e
        for e in errors
        if not isinstance(e, expected)
        and not (isinstance(e, app_commands.CommandInvokeError) and isinstance(e.original, expected))
    ]
    assert not unexpected, unexpected
    return errors


def answer_text(result: simcord.InteractionResult) -> str:
    """What the user read last in answer to a command (a deferred answer edits the response)."""
    if result.followups:
        return result.followups[-1].content
    return result.response.content if result.response else ""
