"""The same debrief as Markdown, Discord embeds (within Discord's limits) and JSON."""

import json

import pytest
from debrief_transcripts import OPENING, Transcript, good_transcript, note, poor_transcript, scenario, session

from bot.debrief import NoteError, build_debrief, render_embeds, render_json, render_markdown, validate_note
from bot.debrief.embeds import escape, size
from bot.debrief.texts import texts


def poor(notes=()):
    return build_debrief(
        scenario(), session(outcome="shutdown", ending="shutdown"), poor_transcript().turns, notes
    )


def check_discord_limits(messages):
    assert messages, "at least one message"
    for embeds in messages:
        assert 1 <= len(embeds) <= 10
        assert sum(size(e) for e in embeds) <= 6000
        for e in embeds:
            assert size(e) > 0
            assert len(e.get("title", "")) <= 256
            assert len(e.get("description", "")) <= 4096
            assert len(e.get("fields", [])) <= 25
            for f in e.get("fields", []):
                assert 0 < len(f["name"]) <= 256
                assert 0 < len(f["value"]) <= 1024
            assert len(e.get("footer", {}).get("text", "")) <= 2048


def test_markdown_shows_headline_skills_moments_and_model_reply():
    md = render_markdown(poor([note("Try reflecting before advising.")]))
    assert md.startswith("# Debrief — Twelve years, then a box")
    assert "**Shutdown** · Dana shut down." in md
    assert "Trust " in md and "2 → 0" in md
    assert "Reflections per question: 0.0 : 1 — **not yet** (fair 1 : 1, good 2 : 1; MITI 4.2.1)" in md
    assert "Advice before Dana asked for it: turn 1" in md
    assert "> **You:** **You should** update your LinkedIn today." in md
    assert "Dana was feeling: shock, shame." in md
    assert "A reply that would have helped: “Twelve years, and it ended in fifteen minutes." in md
    assert "- **Ms Lee**, 2026-11-20 11:00: Try reflecting before advising." in md


def test_markdown_of_a_good_session_quotes_a_strength():
    d = build_debrief(scenario(), session(), good_transcript().turns)
    md = render_markdown(d)
    assert "**Breakthrough** · Dana felt heard." in md
    assert "## A strength" in md
    assert "That **sounds like** a real shock." in md
    assert "2.0 : 1 — **good**" in md


def test_zero_turn_debrief_is_short_and_says_so():
    d = build_debrief(scenario(), session(outcome=None, ending=None), Transcript().client(OPENING).turns)
    md = render_markdown(d)
    assert texts().zero_turns in md
    assert "## Skills" not in md
    messages = render_embeds(d)
    check_discord_limits(messages)
    assert texts().zero_turns in messages[0][0]["description"]
    assert render_json(d)["empty"] is True


def long_session(turns: int = 60) -> Transcript:
    t = Transcript().client(OPENING * 8, trust=5)
    trust = 5
    for n in range(turns):
        trust += 1 if n % 3 == 0 else -1
        reply = f"You should really try this idea number {n}. " * 30  # ~1,300 characters each
        t.learner(reply, "advice", "You should").client(OPENING * 8, trust=trust)
    return t


def test_a_60_turn_session_fits_discords_limits():
    d = build_debrief(
        scenario(max_turns=60), session(), long_session().turns, [note("x" * 1000) for _ in range(30)]
    )
    assert 2 <= len(d.moments) <= 4
    messages = render_embeds(d)
    check_discord_limits(messages)
    # every turn is still in the attachment
    assert render_markdown(d).count("**You:**") >= 60


def test_embed_colour_follows_the_outcome():
    assert render_embeds(poor())[0][0]["color"] == texts().colour("shutdown")
    good = build_debrief(scenario(), session(), good_transcript().turns)
    assert render_embeds(good)[0][0]["color"] == texts().colour("breakthrough")
    assert texts().colour("shutdown") != texts().colour("breakthrough")


def test_learner_text_cannot_ping_or_format_in_embeds():
    text = "@everyone look at <@123> **now** [click](http://x.y) `code`"
    t = Transcript().client(OPENING).learner(text, "advice", "look at").client(OPENING, trust=1)
    d = build_debrief(scenario(), session(), t.turns)
    dumped = json.dumps(render_embeds(d), ensure_ascii=False)
    assert "@everyone" not in dumped
    assert "<@123>" not in dumped
    assert "\\\\*\\\\*now\\\\*\\\\*" in dumped  # the learner's asterisks are escaped
    assert "\\\\[click\\\\]" in dumped
    assert "**look at**" in dumped  # the marked phrase is still bold


def test_escape_keeps_plain_text_readable():
    assert escape("It's fine, really - thanks.") == "It's fine, really - thanks."
    assert escape("# not a heading") == "\\# not a heading"


def test_json_is_serialisable_and_carries_marked_phrases():
    data = render_json(poor())
    text = json.dumps(data)
    assert json.loads(text)["rq"]["band"] == "not_yet"
    first = data["moments"][0]
    assert first["quote"]["marks"][0]["text"] == "You should"
    assert data["unasked_advice"] == [1]
    assert data["meter_values"] == [2, 1, 1, 0]


def test_notes_over_1000_characters_are_refused_with_a_clear_message():
    assert validate_note("  Well done.  ") == "Well done."
    assert validate_note("x" * 1000) == "x" * 1000
    with pytest.raises(NoteError, match=r"1,001 characters; notes can be at most 1,000"):
        validate_note("x" * 1001)
    with pytest.raises(NoteError, match="empty"):
        validate_note("   ")


def test_json_has_every_debrief_field():
    from dataclasses import fields

    from bot.debrief import Debrief

    assert {f.name for f in fields(Debrief)} <= set(render_json(poor()))


def test_discord_accepts_the_embeds_and_counts_them_within_limits():
    import discord

    d = build_debrief(scenario(max_turns=60), session(), long_session().turns, [note("y" * 1000)] * 12)
    for message in render_embeds(d):
        embeds = [discord.Embed.from_dict(e) for e in message]
        assert sum(len(e) for e in embeds) <= 6000  # discord.py's own count of the embed characters
        assert all(e.colour is not None for e in embeds)
