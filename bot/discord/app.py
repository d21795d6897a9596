"""`create_bot(settings)`: Heard's discord.py bot, ready for `bot.run(token)` or SimCord.

Start-up work happens in `setup_hook` (open the database, load scenarios, add cogs, register the
End button), never in `on_ready`. Slash commands are synced only when asked (`heard sync`, the owner
command), or to HEARD_DEV_GUILD at start during development.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.ext import commands

from bot.detect import detect
from bot.discord.errors import HeardTree
from bot.discord.sending import NO_PINGS
from bot.discord.settings import Settings
from bot.discord.stage import Stage
from bot.discord.views import EndButton
from bot.scenario.load import Library, load_folder, parse_scenario
from bot.scenario.model import Scenario
from bot.store import GuildConfig, Store
from bot.store.reports import stored_scenario

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Guilds (threads), guild messages + message content (learner replies; privileged: enable it in
    the developer portal), DM messages."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    wanted.dm_messages = True
    return wanted


class HeardBot(commands.Bot):
    store: Store
    stage: Stage

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=NO_PINGS,
            tree_cls=HeardTree,
            help_command=None,
            owner_ids=set(settings.owner_ids) or None,
        )
        self.settings = settings
        self.library = Library()
        self._versions: dict[str, Scenario | None] = {}  # content hash -> parsed scenario
        self._guild_scenarios: dict[int, dict[str, Scenario]] = {}
        self._configs: dict[int, GuildConfig] = {}

    async def setup_hook(self) -> None:
        from bot.discord.cogs import COGS

        # The store's clock is Discord's: in tests SimCord moves it, so idle timeouts can be tested.
        self.store = await Store.open(self.settings.db_path, clock=discord.utils.utcnow)
        self.library = load_folder(*self.settings.scenario_dirs)
        for problem in self.library.problems:
            log.warning("scenario left out: %s", problem)
        log.info("%d scenario(s) loaded from %s", len(self.library.scenarios),
                 ", ".join(map(str, self.settings.scenario_dirs)))  # fmt: skip
        # Compile the lexicon now (about a second, once per process) rather than on a learner's
        # first reply.
        await asyncio.to_thread(detect, "")
        self.stage = Stage(self)
        for cog in COGS:
            await self.add_cog(cog(self))
        # The End button rebuilds itself from its custom_id, so buttons sent before a restart work.
        self.add_dynamic_items(EndButton)
        if self.settings.dev_guild:
            guild = discord.Object(self.settings.dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d command(s) to development guild %s", len(synced), guild.id)

    async def close(self) -> None:
        await super().close()
        store = getattr(self, "store", None)
        if store is not None:
            await store.close()

    # --- what cogs share ---------------------------------------------------------------------
    async def guild_config(self, guild_id: int) -> GuildConfig:
        config = self._configs.get(guild_id)
        if config is None:
            config = self._configs[guild_id] = await self.store.get_guild_config(guild_id)
        return config

    async def set_guild_config(self, guild_id: int, **changes: object) -> GuildConfig:
        config = self._configs[guild_id] = await self.store.set_guild_config(guild_id, **changes)
        return config

    async def scenarios(self, guild_id: int) -> dict[str, Scenario]:
        """The scenarios this guild can use: the bundled library, with this guild's uploads on top
        (an upload shadows a bundled scenario of the same id, in this guild only)."""
        cached = self._guild_scenarios.get(guild_id)
        if cached is not None:
            return cached
        found = dict(self.library.scenarios)
        for upload in await self.store.list_uploaded_scenarios(guild_id):
            try:
                found[upload.scenario_id] = self._version(upload.hash, upload.source, upload.path)
            except Exception:  # a stored upload that no longer loads must not hide the others
                log.exception("uploaded scenario %s in guild %s does not load", upload.scenario_id, guild_id)
        self._guild_scenarios[guild_id] = found
        return found

    def forget_guild_scenarios(self, guild_id: int) -> None:
        self._guild_scenarios.pop(guild_id, None)

    async def scenario_version(self, content_hash: str) -> Scenario:
        """The exact scenario a session started with (sessions keep their version)."""
        scenario = await stored_scenario(self.store, content_hash, self._versions)
        if scenario is None:
            raise LookupError(f"scenario version {content_hash[:12]} is not in the database")
        return scenario

    def _version(self, content_hash: str, source: str, path: str) -> Scenario:
        scenario = self._versions.get(content_hash)
        if scenario is None:
            scenario = self._versions[content_hash] = parse_scenario(source, path or "<stored>")
        return scenario


def create_bot(settings: Settings) -> HeardBot:
    return HeardBot(settings)
