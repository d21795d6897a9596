"""`heard run` (start the Discord bot) and `heard sync [--guild ID]` (register slash commands)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.discord.texts import say

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = sub.add_parser("run", help=say("cli.run_help"), description=say("cli.run_help"))
    run.set_defaults(handler=_run)
    sync = sub.add_parser("sync", help=say("cli.sync_help"), description=say("cli.sync_help"))
    sync.add_argument("--guild", type=int, metavar="ID", help=say("cli.sync_guild_help"))
    sync.set_defaults(handler=_sync)


def _settings():  # type: ignore[no-untyped-def]
    """Settings from the environment, or None after telling the user what to set."""
    from bot.discord.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(say("cli.bad_settings", error=exc), file=sys.stderr)
        return None
    if not settings.token:
        print(say("cli.no_token"), file=sys.stderr)
        return None
    return settings


def _run(args: argparse.Namespace) -> int:
    import discord

    from bot.discord import create_bot

    settings = _settings()
    if settings is None:
        return 2
    logging.getLogger().setLevel(logging.DEBUG if args.verbose else settings.log_level)
    bot = create_bot(settings)
    try:
        bot.run(settings.token, log_handler=None)
    except discord.LoginFailure as exc:
        print(say("cli.login_failed", error=exc), file=sys.stderr)
        return 2
    return 0


def _sync(args: argparse.Namespace) -> int:
    settings = _settings()
    if settings is None:
        return 2
    return asyncio.run(_sync_commands(settings, args.guild))


async def _sync_commands(settings, guild_id: int | None) -> int:  # type: ignore[no-untyped-def]
    import discord

    from bot.discord import create_bot

    bot = create_bot(settings)
    async with bot:
        try:
            await bot.login(settings.token)  # runs setup_hook, which adds the cogs' commands
        except discord.LoginFailure as exc:
            print(say("cli.login_failed", error=exc), file=sys.stderr)
            return 2
        if guild_id is not None:
            guild = discord.Object(guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            print(say("cli.synced_guild", count=len(synced), guild=guild_id))
        else:
            synced = await bot.tree.sync()
            print(say("cli.synced_global", count=len(synced)))
    return 0
