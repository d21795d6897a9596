"""/scenario list, show, upload and remove, through SimCord."""

from __future__ import annotations

from discord_helpers import SCENARIO_ID, SCENARIOS, acknowledge_refusals, answer_text, thread_texts

MINI = (SCENARIOS / "mini.yaml").read_text(encoding="utf-8")


async def test_list_shows_the_clients(server):
    result = await server.learner.slash(server.channel, "scenario list")

    assert result.ephemeral
    assert "Sam and the closed plant" in result.response.embeds[0].description


async def test_only_facilitators_see_the_facilitator_notes(server):
    learner = await server.learner.slash(server.channel, "scenario show", scenario=SCENARIO_ID)
    coach = await server.facilitator.slash(server.channel, "scenario show", scenario=SCENARIO_ID)

    assert "Facilitator notes" not in [f.name for f in learner.response.embeds[0].fields]
    assert "Facilitator notes" in [f.name for f in coach.response.embeds[0].fields]


async def test_scenario_autocomplete_offers_this_servers_scenarios(server):
    choices = await server.facilitator.autocomplete(server.channel, "roleplay start", "scenario", "sam")

    assert [c["value"] for c in choices] == [SCENARIO_ID]


async def test_an_uploaded_scenario_is_ready_at_once_and_shadows_the_bundled_one(server):
    upload = MINI.replace("id: mini-sam", "id: mini-sam-2").replace("title: Sam and", "title: Sam (v2) and")

    result = await server.facilitator.slash(
        server.channel, "scenario upload", file=("sam2.yaml", upload.encode())
    )
    assert "`mini-sam-2`" in answer_text(result) and "is ready" in answer_text(result)
    choices = await server.facilitator.autocomplete(server.channel, "roleplay start", "scenario", "sam")
    assert {c["value"] for c in choices} == {SCENARIO_ID, "mini-sam-2"}

    shadow = MINI.replace("I didn't come here for a to-do list.", "Spare me the advice.")
    result = await server.facilitator.slash(
        server.channel, "scenario upload", file=("mini.yaml", shadow.encode())
    )
    assert "replaces the bundled scenario" in answer_text(result)
    thread = await server.start_roleplay()
    await server.learner.send(thread, "You should retrain as a welder.")
    assert thread_texts(thread)[-1] == "Spare me the advice."


async def test_a_broken_upload_answers_with_file_line_and_column(server):
    broken = MINI.replace("goto: money\n        note:", "goto: monee\n        note:")

    result = await server.facilitator.slash(
        server.channel, "scenario upload", file=("sam.yaml", broken.encode())
    )

    text = answer_text(result)
    assert "sam.yaml:" in text and "monee" in text
    assert await server.env.bot.store.list_uploaded_scenarios(server.guild.id) == []
    acknowledge_refusals(server.env)


async def test_an_oversized_upload_is_refused(server):
    big = MINI + "#" * (257 * 1024)

    result = await server.facilitator.slash(
        server.channel, "scenario upload", file=("big.yaml", big.encode())
    )

    assert "at most 256 KB" in answer_text(result)
    acknowledge_refusals(server.env)


async def test_a_non_yaml_upload_is_refused(server):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

    result = await server.facilitator.slash(server.channel, "scenario upload", file=("photo.png", png))

    assert "isn't a text file" in answer_text(result)
    prose = await server.facilitator.slash(
        server.channel, "scenario upload", file=("notes.yaml", b"Just some notes, not a scenario.")
    )
    assert "can't be used yet" in answer_text(prose)
    acknowledge_refusals(server.env)


async def test_removing_an_upload_brings_the_bundled_one_back_and_running_sessions_keep_theirs(server):
    shadow = MINI.replace("I didn't come here for a to-do list.", "Spare me the advice.")
    await server.facilitator.slash(server.channel, "scenario upload", file=("mini.yaml", shadow.encode()))
    thread = await server.start_roleplay()

    result = await server.facilitator.slash(server.channel, "scenario remove", scenario=SCENARIO_ID)
    assert "bundled version is used again" in answer_text(result)
    await server.learner.send(thread, "You should retrain as a welder.")
    assert thread_texts(thread)[-1] == "Spare me the advice."  # the version the session started with

    missing = await server.facilitator.slash(server.channel, "scenario remove", scenario=SCENARIO_ID)
    assert "was uploaded to this server" in answer_text(missing)
    acknowledge_refusals(server.env)
