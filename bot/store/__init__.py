"""Heard's SQLite store (aiosqlite): numbered migrations, WAL, one transaction per turn."""

from bot.store.db import DEFAULT_DB, default_path
from bot.store.errors import SessionNotFound, StoreError
from bot.store.guilds import GuildConfig, UploadedScenario
from bot.store.sessions import ANY, OPEN_STATUSES, STATUSES
from bot.store.store import Store

__all__ = [
    "ANY",
    "DEFAULT_DB",
    "OPEN_STATUSES",
    "STATUSES",
    "GuildConfig",
    "SessionNotFound",
    "Store",
    "StoreError",
    "UploadedScenario",
    "default_path",
]
