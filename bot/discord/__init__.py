"""Heard in Discord: the bot factory, its settings, cogs and views. The only package that imports
discord (besides the CLI that starts it)."""

from bot.discord.app import HeardBot, create_bot
from bot.discord.settings import Settings, SettingsError

__all__ = ["HeardBot", "Settings", "SettingsError", "create_bot"]
