"""Everything the bot says that is not the client's script lives in messages.yaml; this reads it.

`say("roleplay.started", link=url)` looks a dotted key up and fills `{placeholders}`. `described`
takes a slash command's description and parameter help from the same file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar

import yaml
from discord import app_commands

F = TypeVar("F", bound=Callable[..., Any])


@cache
def _texts() -> dict[str, Any]:
    return yaml.safe_load(files("bot.discord").joinpath("messages.yaml").read_text(encoding="utf-8"))


def _lookup(key: str) -> Any:
    node: Any = _texts()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"bot/discord/messages.yaml has no text {key!r}")
        node = node[part]
    return node


def say(key: str, **fields: Any) -> str:
    """The text at `key`, with `{name}` placeholders filled from `fields`."""
    text = _lookup(key)
    return str(text).format(**fields).strip() if fields else str(text).strip()


def described(key: str) -> Callable[[F], F]:
    """Put under `@app_commands.command`: the description and parameter help from
    `commands.<key>` in messages.yaml (so every word a user reads is in one file)."""
    entry = _lookup(f"commands.{key}")

    def decorate(func: F) -> F:
        func.__doc__ = entry["description"]
        params = entry.get("params") or {}
        return app_commands.describe(**params)(func) if params else func

    return decorate
