"""The Discord layer's small parts on their own: settings, the CLI without a token, text splitting,
escaping, and the message file (every text the code asks for exists)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.discord.sending import quote, split_text, typing_seconds
from bot.discord.settings import Settings, SettingsError
from bot.discord.texts import say

DISCORD_PACKAGE = Path(__file__).parent.parent / "bot" / "discord"


def test_settings_come_from_the_environment():
    settings = Settings.from_env(
        {
            "DISCORD_TOKEN": " abc ",
            "HEARD_DB": "/tmp/x.db",
            "HEARD_SCENARIOS": "scenarios,more",
            "HEARD_DEV_GUILD": "123",
            "HEARD_TYPING_CPS": "0",
            "HEARD_IDLE_MINUTES": "2.5",
            "HEARD_LOG_LEVEL": "debug",
        }
    )
    assert settings.token == "abc"
    assert settings.db_path == Path("/tmp/x.db")
    assert settings.scenario_dirs == (Path("scenarios"), Path("more"))
    assert (settings.dev_guild, settings.typing_cps, settings.idle_minutes) == (123, 0.0, 2.5)
    assert settings.log_level == "DEBUG"


def test_defaults_without_any_variables():
    settings = Settings.from_env({})
    assert settings.token is None and settings.db_path == Path("heard.db")
    assert settings.scenario_dirs == (Path("scenarios"),)


def test_a_bad_number_names_the_variable():
    with pytest.raises(SettingsError, match="HEARD_IDLE_MINUTES='soon'"):
        Settings.from_env({"HEARD_IDLE_MINUTES": "soon"})


def test_heard_run_without_a_token_says_what_to_set_and_exits_2(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)

    assert main(["run"]) == 2
    assert main(["sync", "--guild", "1"]) == 2

    err = capsys.readouterr().err
    assert "DISCORD_TOKEN=your-bot-token" in err and "Run it in your server" in err


def test_long_text_is_split_under_discords_limit_at_word_boundaries():
    text = ("The severance covers maybe four months. " * 120).strip()

    chunks = split_text(text)

    assert len(chunks) == 3 and all(len(c) <= 2000 for c in chunks)
    assert " ".join(chunks) == text


def test_a_word_longer_than_the_limit_is_cut_hard():
    assert [len(c) for c in split_text("x" * 4500)] == [2000, 2000, 500]


def test_learner_text_quoted_back_cannot_ping_or_format():
    shown = quote("@everyone look at **this** <@&123>")
    assert "@everyone" not in shown and "\\*\\*this\\*\\*" in shown


def test_typing_takes_longer_for_longer_replies_up_to_a_cap():
    assert typing_seconds("hi", 0, 6) == 0
    assert typing_seconds("x" * 30, 30, 6) == 1
    assert typing_seconds("x" * 3000, 30, 6) == 6


def test_every_text_the_code_asks_for_is_in_messages_yaml():
    sources = [p.read_text() for p in DISCORD_PACKAGE.rglob("*.py")]
    sources.append((DISCORD_PACKAGE.parent / "cli" / "discord_cmds.py").read_text())
    said = {k for src in sources for k in re.findall(r"""\bsay\(\s*["']([a-z_.]+)["']""", src)}
    described = {k for src in sources for k in re.findall(r"""\bdescribed\(\s*["']([a-z_.]+)["']""", src)}
    assert len(said) > 40 and len(described) > 10
    for key in sorted(said):
        assert say(key), key  # raises KeyError naming the missing text
    for key in sorted(described):
        assert say(f"commands.{key}.description"), key


async def test_a_development_guild_gets_the_commands_at_start(tmp_path):
    import simcord
    from discord_helpers import close_bots, make_bot

    dev_guild = 1456074443980800777
    bot = make_bot(tmp_path, dev_guild=dev_guild)
    env = simcord.Env(bot)
    guild = env.create_guild("Dev", id=dev_guild)
    channel = guild.create_text_channel("training")
    member = guild.add_member(env.create_user("dev"))
    await env.start()
    try:
        with env.time_context():
            assert "scenario list" in member.available_commands(channel)  # no `heard sync` needed
    finally:
        await env.shutdown()
        await close_bots()
