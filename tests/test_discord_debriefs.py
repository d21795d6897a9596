"""/debrief view and /debrief note, and /cohort report, through SimCord."""

from __future__ import annotations

import csv
import io

from discord_helpers import EMPATHIC, acknowledge_refusals, answer_text


async def _finished_session(server) -> None:
    thread = await server.start_roleplay()
    await server.learner.send(thread, EMPATHIC)
    await server.learner.slash(thread, "roleplay end")


async def test_a_learner_views_their_own_debrief(server):
    await _finished_session(server)

    result = await server.learner.slash(server.channel, "debrief view")

    shown = result.followups or [result.response]
    assert all(m.ephemeral for m in shown)
    assert shown[0].embeds and shown[0].embeds[0].title
    assert shown[-1].attachments[0].filename == "heard-debrief-1.md"


async def test_a_learner_cannot_view_someone_elses_debrief_but_a_facilitator_can(server):
    await _finished_session(server)

    refused = await server.bystander.slash(server.channel, "debrief view", session=1)
    assert "no debrief #1" in answer_text(refused)
    allowed = await server.facilitator.slash(server.channel, "debrief view", session=1)
    assert (allowed.followups or [allowed.response])[0].embeds
    acknowledge_refusals(server.env)


async def test_a_note_is_stored_and_sent_to_the_learner(server):
    await _finished_session(server)

    result = await server.facilitator.slash(
        server.channel, "debrief note", session=1, text="Lovely reflection at the start. @everyone"
    )

    assert "Note saved on session #1 and sent" in answer_text(result)
    (note,) = await server.env.bot.store.list_notes(1)
    assert note.text.startswith("Lovely reflection")
    dm = server.learner.user.dm_channel.history()[-1]
    assert "Lovely reflection at the start." in dm.content
    assert "@everyone" not in dm.content.replace("@\u200beveryone", "")  # escaped, pings nobody


async def test_an_overlong_note_is_refused_with_the_reason(server):
    await _finished_session(server)

    result = await server.facilitator.slash(server.channel, "debrief note", session=1, text="x" * 1001)

    assert "1,001 characters" in answer_text(result)
    assert await server.env.bot.store.list_notes(1) == []
    acknowledge_refusals(server.env)


async def test_the_cohort_report_is_an_embed_with_a_csv(server):
    await _finished_session(server)

    result = await server.facilitator.slash(server.channel, "cohort report")

    message = result.followups[-1] if result.followups else result.response
    assert message.ephemeral and message.embeds[0].title == "Cohort report"
    attachment = message.attachments[0]
    assert attachment.filename == "heard-cohort.csv"
    rows = list(csv.DictReader(io.StringIO((await attachment.read()).decode())))
    assert len(rows) == 1


async def test_a_bad_since_date_is_explained(server):
    result = await server.facilitator.slash(server.channel, "cohort report", since="last week")

    assert "YYYY-MM-DD" in answer_text(result)
    acknowledge_refusals(server.env)
