"""Safety between people and servers: two servers never see each other's sessions, and nothing a
learner types makes the bot ping anyone (SimCord)."""

from __future__ import annotations

from discord_helpers import EMPATHIC, acknowledge_refusals, add_server, answer_text


async def test_two_servers_never_see_each_others_sessions(server):
    other = add_server(server.env, "Other College")
    await server.start_roleplay()  # session 1, in the first server

    active = await other.facilitator.slash(other.channel, "roleplay active")
    assert active.response.embeds[0].description == "No role-plays are running in this server."
    view = await other.facilitator.slash(other.channel, "debrief view", session=1)
    assert "no debrief #1" in answer_text(view)
    end = await other.facilitator.slash(other.channel, "roleplay end", session=1)
    assert "no running role-play" in answer_text(end)
    pause = await other.facilitator.slash(other.channel, "roleplay pause", session=1)
    assert "no running role-play" in answer_text(pause)
    note = await other.facilitator.slash(other.channel, "debrief note", session=1, text="Nice work")
    assert "no debrief #1" in answer_text(note)
    choices = await other.facilitator.autocomplete(other.channel, "roleplay end", "session", "")
    assert choices == []

    assert (await server.env.bot.store.get_session(1)).status == "active"
    assert await server.env.bot.store.list_notes(1) == []
    acknowledge_refusals(server.env)


async def test_mentions_in_a_learner_message_ping_nobody(server):
    role = server.guild.create_role("Everyone-in-cohort")
    thread = await server.start_roleplay()
    mark = len(server.env.http_requests)

    await server.learner.send(thread, f"@everyone @here {role.mention} {server.bystander.mention} {EMPATHIC}")
    await server.learner.slash(thread, "roleplay end")

    bodies = [_message_body(r) for r in server.env.http_requests[mark:]]
    sent = [b for b in bodies if b and ("content" in b or "embeds" in b)]
    assert len(sent) >= 4
    for body in sent:
        assert body.get("allowed_mentions") == {"parse": []}, body


def _message_body(request) -> dict | None:
    """The message a request sends, for channel messages, webhooks and interaction answers."""
    if request.method not in ("POST", "PATCH") or not isinstance(request.json, dict):
        return None
    if request.path.startswith("/interactions/"):
        return request.json.get("data")
    return request.json


async def test_every_message_the_bot_sends_pings_nobody(server):
    thread = await server.start_roleplay()
    await server.learner.send(thread, EMPATHIC)
    await server.learner.slash(thread, "roleplay end")

    posts = [r for r in server.env.http_requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) >= 5
    assert all(r.json.get("allowed_mentions") == {"parse": []} for r in posts)
