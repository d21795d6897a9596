"""A role-play through Discord, end to end: start, turns, end, debrief by DM (SimCord)."""

from __future__ import annotations

import discord
from discord_helpers import EMPATHIC, requests_since, thread_texts


async def test_facilitator_starts_a_roleplay_in_a_private_thread(server):
    thread = await server.start_roleplay()

    create = next(r for r in server.env.http_requests if r.method == "POST" and r.path.endswith("/threads"))
    assert create.json["type"] == discord.ChannelType.private_thread.value
    assert create.json["invitable"] is False
    assert thread.name.startswith("Sam Okafor")
    added = [r for r in server.env.http_requests if r.method == "PUT" and "/thread-members/" in r.path]
    assert added and added[-1].path.endswith(str(server.learner.id))
    intro, opening = thread.history()
    assert intro.embeds[0].title == "Your client: Sam Okafor"
    assert "Facilitator notes" not in [f.name for f in intro.embeds[0].fields]
    assert intro.components  # the End button
    assert "Twenty years" in opening.content or "Chained gates" in opening.content


async def test_learner_reply_takes_a_branch_and_the_client_answers(server):
    thread = await server.start_roleplay()

    await server.learner.send(thread, EMPATHIC)

    assert thread_texts(thread)[-1] == "The severance covers maybe four months. Then what?"
    turns = await server.env.bot.store.list_turns(1)
    learner_turn = next(t for t in turns if t.speaker == "learner")
    assert learner_turn.branch.startswith("branch 1 (label empathy)")


async def test_advice_gets_the_client_bristling(server):
    thread = await server.start_roleplay()

    await server.learner.send(thread, "You should retrain as a welder.")

    assert thread_texts(thread)[-1] == "I didn't come here for a to-do list."


async def test_others_in_the_thread_are_not_learner_turns(server):
    thread = await server.start_roleplay()
    await server.facilitator.send(thread, "I'm just watching, carry on.")

    assert thread_texts(thread)[-1] == "I'm just watching, carry on."
    assert [t.speaker for t in await server.env.bot.store.list_turns(1)] == ["client"]


async def test_a_learner_turn_costs_at_most_two_discord_requests(server):
    thread = await server.start_roleplay()
    mark = len(server.env.http_requests)

    await server.learner.send(thread, EMPATHIC)

    made = [(r.method, r.path.rsplit("/", 1)[-1]) for r in requests_since(server.env, mark)]
    assert made == [("POST", "typing"), ("POST", "messages")]


async def test_ending_locks_the_thread_and_dms_the_debrief(server):
    thread = await server.start_roleplay()
    await server.learner.send(thread, EMPATHIC)

    result = await server.learner.slash(thread, "roleplay end")

    assert result.ephemeral
    edits = [
        r.json for r in server.env.http_requests if r.method == "PATCH" and r.path.endswith(str(thread.id))
    ]
    assert edits[-1]["archived"] is True and edits[-1]["locked"] is True
    dm = server.learner.user.dm_channel.history()
    assert dm and dm[0].embeds
    assert dm[-1].attachments[0].filename.endswith(".md")
    record = await server.env.bot.store.get_session(1)
    assert record.status == "finished" and record.dm_status == "sent"
    assert record.end_reason == "learner"


async def test_the_end_button_ends_the_roleplay(server):
    thread = await server.start_roleplay()
    intro = thread.history()[0]

    await server.learner.click(intro, custom_id=f"heard:end:{1}")

    record = await server.env.bot.store.get_session(1)
    assert record.status == "finished"
    assert server.learner.user.dm_channel.history()
