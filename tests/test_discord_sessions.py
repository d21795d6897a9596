"""Sessions that outlive the moment: restarts, closed DMs, deleted threads, pauses, idle learners,
and messages that arrive while the client is still answering (SimCord)."""

from __future__ import annotations

from discord_helpers import EMPATHIC, acknowledge_refusals, answer_text, make_bot, thread_texts


async def test_after_a_restart_the_learner_continues_where_they_were(server, tmp_path):
    thread = await server.start_roleplay()
    intro = thread.history()[0]

    await server.env.restart_bot(make_bot(tmp_path))
    await server.learner.send(thread, EMPATHIC)

    assert thread_texts(thread)[-1] == "The severance covers maybe four months. Then what?"
    # The End button sent before the restart still works.
    await server.learner.click(intro, custom_id="heard:end:1")
    record = await server.env.bot.store.get_session(1)
    assert record.status == "finished"
    assert [t.speaker for t in await server.env.bot.store.list_turns(1)][:3] == [
        "client",
        "learner",
        "client",
    ]


async def test_closed_dms_get_a_pointer_to_debrief_view_and_the_failure_is_stored(server):
    thread = await server.start_roleplay()
    dm = server.learner.user.dm_channel
    server.env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007,
                            message="Cannot send messages to this user")  # fmt: skip

    result = await server.learner.slash(thread, "roleplay end")

    notice = "/debrief view session:1"
    assert notice in thread_texts(thread)[-1]
    assert notice in answer_text(result)
    record = await server.env.bot.store.get_session(1)
    assert record.dm_status == "failed" and record.status == "finished"
    dm_posts = [
        r for r in server.env.http_requests if r.method == "POST" and r.path == f"/channels/{dm.id}/messages"
    ]
    assert len(dm_posts) == 1  # no retry loop


async def test_a_deleted_thread_abandons_the_session_with_a_debrief(server):
    thread = await server.start_roleplay()
    await server.learner.send(thread, EMPATHIC)

    server.env.backend.delete_channel(thread.id)  # a moderator deletes the thread
    await server.env.settle()

    record = await server.env.bot.store.get_session(1)
    assert record.status == "abandoned" and record.end_reason == "abandoned"
    assert server.learner.user.dm_channel.history()[-1].attachments


async def test_a_thread_deleted_while_the_bot_was_offline_abandons_its_session_at_start_up(
    server, tmp_path, monkeypatch
):
    thread = await server.start_roleplay()
    await server.learner.send(thread, EMPATHIC)
    # The bot is down when a moderator deletes the thread: it never hears of it.
    monkeypatch.setattr(server.env.bot.stage, "thread_deleted", _deaf)
    server.env.backend.delete_channel(thread.id)
    await server.env.settle()
    assert (await server.env.bot.store.get_session(1)).status == "active"

    await server.env.restart_bot(make_bot(tmp_path))
    await server.env.settle()

    record = await server.env.bot.store.get_session(1)
    assert record.status == "abandoned" and record.end_reason == "abandoned"
    assert server.learner.user.dm_channel.history()[-1].attachments  # the debrief still reaches them
    turns = await server.env.bot.store.list_turns(1)
    assert any(t.speaker == "learner" and t.text == EMPATHIC for t in turns)  # nothing said is lost


async def _deaf(thread_id: int) -> None:
    return None


async def test_while_paused_the_client_waits_and_says_so_once(server):
    thread = await server.start_roleplay()

    paused = await server.facilitator.slash(thread, "roleplay pause")
    assert paused.ephemeral
    await server.learner.send(thread, EMPATHIC)
    await server.learner.send(thread, "Are you there?")
    texts = thread_texts(thread)
    assert sum("paused" in t for t in texts) == 2  # the announcement and one notice, not one per message
    assert [t.speaker for t in await server.env.bot.store.list_turns(1)] == ["client"]

    await server.facilitator.slash(thread, "roleplay resume")
    await server.learner.send(thread, EMPATHIC)
    assert thread_texts(thread)[-1] == "The severance covers maybe four months. Then what?"
    assert (await server.env.bot.store.get_session(1)).status == "active"


async def test_an_idle_learner_is_nudged_once_then_the_session_ends(server):
    thread = await server.start_roleplay()  # idle timeout: 10 minutes

    await server.env.advance_time(11 * 60)
    assert thread_texts(thread)[-1] == "…are you still there?"
    await server.env.advance_time(5 * 60)
    assert sum(t == "…are you still there?" for t in thread_texts(thread)) == 1
    await server.env.advance_time(5 * 60)

    record = await server.env.bot.store.get_session(1)
    assert record.status == "finished" and record.end_reason == "idle"
    assert server.learner.user.dm_channel.history()


async def test_messages_sent_while_the_client_answers_are_taken_in_order(server):
    thread = await server.start_roleplay()
    backend = server.env.backend
    # Two messages land before the bot has answered the first (SimCord's actors wait for the bot
    # after each message, so post both straight into the simulated Discord, then let it run).
    backend.create_message(thread.id, server.learner.id, EMPATHIC)
    backend.create_message(thread.id, server.learner.id, "What scares you most about that?")
    await server.env.settle()

    turns = await server.env.bot.store.list_turns(1)
    learner = [t.text for t in turns if t.speaker == "learner"]
    assert learner == [EMPATHIC, "What scares you most about that?"]
    assert thread_texts(thread)[-2:] == [
        "The severance covers maybe four months. Then what?",
        "Thanks. Maybe I can think about what comes next.",
    ]
    assert (await server.env.bot.store.get_session(1)).ending == "breakthrough"


async def test_ending_twice_says_it_is_already_over(server):
    thread = await server.start_roleplay()
    await server.learner.slash(thread, "roleplay end")

    again = await server.facilitator.slash(server.channel, "roleplay end", session=1)

    assert "no running role-play" in answer_text(again)
    acknowledge_refusals(server.env)


async def test_a_failed_send_never_loses_the_stored_turn(server):
    thread = await server.start_roleplay()
    server.env.inject_error("POST", f"/channels/{thread.id}/messages", status=500)

    await server.learner.send(thread, EMPATHIC)  # Discord fails the client's answer once

    turns = await server.env.bot.store.list_turns(1)
    assert [t.speaker for t in turns] == ["client", "learner", "client"]
    await server.learner.send(thread, "Okay.")
    assert thread_texts(thread)[-1] == "The severance covers maybe four months. Then what?"


async def test_missing_thread_permissions_are_explained(server):
    server.env.inject_error("POST", f"/channels/{server.channel.id}/threads", status=403, code=50013,
                            message="Missing Permissions")  # fmt: skip

    result = await server.facilitator.slash(server.channel, "roleplay start", scenario="mini-sam",
                                            learner=server.learner)  # fmt: skip

    assert "Create Private Threads" in answer_text(result)
    assert await server.env.bot.store.list_open_sessions() == []
    acknowledge_refusals(server.env)


async def test_a_restart_after_the_nudge_does_not_nudge_again(server, tmp_path):
    thread = await server.start_roleplay()  # idle timeout: 10 minutes

    await server.env.advance_time(11 * 60)
    await server.env.restart_bot(make_bot(tmp_path))
    await server.env.advance_time(5 * 60)

    assert sum(t == "…are you still there?" for t in thread_texts(thread)) == 1
    turns = await server.env.bot.store.list_turns(1)
    assert turns[-1].speaker == "client" and turns[-1].text == "…are you still there?"
    await server.env.advance_time(6 * 60)
    record = await server.env.bot.store.get_session(1)
    assert record.status == "finished" and record.end_reason == "idle"
