"""Who may run what: every facilitator command refuses a plain member, found by walking the
command tree (so a new command cannot slip through), and the Manage Server gate on /heard config."""

from __future__ import annotations

import discord
import pytest
import simcord
from discord import app_commands
from discord_helpers import SCENARIO_ID, acknowledge_refusals, answer_text

# The only commands any member may run; everything else is for facilitators (or server managers).
MEMBER_COMMANDS = {"roleplay practice", "roleplay end", "scenario list", "scenario show", "debrief view"}


def _value(param: app_commands.Parameter, server) -> object:
    kind = param.type
    if kind is discord.AppCommandOptionType.string:
        return SCENARIO_ID
    if kind is discord.AppCommandOptionType.integer:
        return 1
    if kind is discord.AppCommandOptionType.number:
        return 1.0
    if kind is discord.AppCommandOptionType.boolean:
        return True
    if kind is discord.AppCommandOptionType.user:
        return server.learner
    if kind is discord.AppCommandOptionType.attachment:
        return ("x.yaml", b"id: x\n")
    raise AssertionError(f"add a test value for {kind} (parameter {param.name})")


def facilitator_commands(bot) -> list[app_commands.Command]:
    leaves = [c for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)]
    assert {c.qualified_name for c in leaves} >= MEMBER_COMMANDS, "a member command was renamed"
    return [c for c in leaves if c.qualified_name not in MEMBER_COMMANDS]


async def test_a_plain_member_is_refused_on_every_facilitator_command(server):
    await server.start_roleplay()  # so session arguments point at something real
    commands = facilitator_commands(server.env.bot)
    assert len(commands) >= 9

    for command in commands:
        options = {p.name: _value(p, server) for p in command.parameters if p.required}
        name = command.qualified_name
        root = server.commands[name.split()[0]]
        try:
            result = await server.bystander.slash(server.channel, name, **options)
        except simcord.SetupError as hidden:
            # Hidden by default_permissions (the Discord-side hint). An admin may change that
            # hint, so let this member see the command and check the bot still refuses.
            assert "default-member-permissions" in str(hidden), (name, hidden)
            server.guild.set_command_permissions(root.id, {server.bystander: True})
            result = await server.bystander.slash(server.channel, name, **options)
        assert result.ephemeral, name
        text = answer_text(result)
        assert text.startswith(("Only facilitators", "You need the")), (name, text)

    record = await server.env.bot.store.get_session(1)
    assert record.status == "active"  # nothing was ended, paused or changed along the way
    assert await server.env.bot.store.list_uploaded_scenarios(server.guild.id) == []
    assert len(acknowledge_refusals(server.env)) == len(commands)


async def test_a_member_with_the_configured_role_is_a_facilitator(server):
    admin_role = server.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = server.guild.add_member(server.env.create_user("admin"), roles=[admin_role])
    trainers = server.guild.create_role("Trainers")
    trainer = server.guild.add_member(server.env.create_user("trainer"), roles=[trainers])

    before = await trainer.slash(server.channel, "roleplay active")
    assert before.response.content.startswith("Only facilitators")

    saved = await admin.slash(server.channel, "heard config", facilitator_role=trainers)
    assert saved.response.content.startswith("Saved.")
    after = await trainer.slash(server.channel, "roleplay active")
    assert after.response.embeds[0].title == "Running role-plays"
    acknowledge_refusals(server.env)


@pytest.mark.parametrize("allowed", [False, True])
async def test_self_practice_follows_the_server_setting(server, allowed):
    if allowed:
        await server.env.bot.set_guild_config(server.guild.id, allow_self_practice=True)

    result = await server.learner.slash(server.channel, "roleplay practice", scenario=SCENARIO_ID)

    if allowed:
        assert len(server.channel.threads) == 1
        assert "is running in" in answer_text(result)
    else:
        assert result.response.content.startswith("Self-practice is off")
        assert server.channel.threads == []
        acknowledge_refusals(server.env)
