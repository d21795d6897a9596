"""Shared fixtures. The Discord ones (SimCord) build Heard's real bot on a temporary database."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from discord_helpers import Server, add_server, close_bots, make_bot


@pytest.fixture
async def simcord_bot(tmp_path: Path):
    """The bot SimCord's `simcord_env` fixture runs: typing delay 0, a temp SQLite file."""
    yield make_bot(tmp_path)
    await close_bots()


@pytest.fixture
async def server(simcord_env) -> Server:
    """A synced bot and one server with a training channel, a facilitator, a learner, a bystander."""
    synced = await simcord_env.bot.tree.sync()
    server = add_server(simcord_env)
    server.commands = {c.name: c for c in synced}
    return server


@pytest.fixture
def keyboard(monkeypatch) -> Callable[..., None]:
    """`keyboard(lines, echo=False)`: stdin is a terminal and `input()` returns these lines in turn, then
    raises EOFError (Ctrl-D). With `echo`, each prompt is printed, as a real terminal shows it."""

    def type_lines(lines: Iterable[str], echo: bool = False) -> None:
        typed = iter(lines)

        def fake_input(prompt: str = "") -> str:
            if echo:
                print(prompt, end="")
            try:
                return next(typed)
            except StopIteration:
                raise EOFError from None

        monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
        monkeypatch.setattr("builtins.input", fake_input)

    return type_lines
