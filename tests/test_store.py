"""The SQLite store: what a facilitator or learner relies on when sessions are saved and read back."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.engine import Session
from bot.scenario.load import load_scenario
from bot.store import GuildConfig, SessionNotFound, Store, StoreError
from bot.store.migrations import SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "data" / "rehearse" / "sam-fixture.yaml"
EMPATHIC = "I can see how that would be difficult."
ADVICE = "You should update your resume."


@pytest.fixture
def scenario():
    return load_scenario(FIXTURE)


@pytest.fixture
async def store(tmp_path):
    store = await Store.open(tmp_path / "heard.db")
    yield store
    await store.close()


async def start(store: Store, scenario, **ids) -> tuple[Session, int]:
    session = Session.new(scenario, seed=1)
    opening = session.start()
    record = await store.create_session(scenario, session.to_dict(), opening, **ids)
    return session, record.id


async def test_a_new_file_gets_the_current_schema_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "new.db"
    async with await Store.open(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    async with await Store.open(path) as store:  # opening again migrates nothing and loses nothing
        assert await store.list_sessions(None) == []


async def test_a_missing_folder_or_a_foreign_file_gives_a_clear_message(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        await Store.open(tmp_path / "nowhere" / "heard.db")
    junk = tmp_path / "notes.txt"
    junk.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError, match="not a Heard database"):
        await Store.open(junk)


async def test_a_database_from_a_newer_heard_is_refused(tmp_path):
    path = tmp_path / "future.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}").connection.close()
    with pytest.raises(StoreError, match="Upgrade Heard"):
        await Store.open(path)


async def test_the_opening_line_and_each_turn_are_in_the_transcript(store, scenario):
    session, sid = await start(store, scenario, learner_name="Ana")
    result = session.reply(EMPATHIC)
    await store.record_turn(sid, result, session.to_dict())

    turns = await store.list_turns(sid)
    assert [(t.seq, t.speaker) for t in turns] == [(1, "client"), (2, "learner"), (3, "client")]
    opening, learner, client = turns
    assert opening.node == "opening" and opening.vars == {"trust": 2}
    assert learner.text == EMPATHIC and learner.detection.label == "empathy"
    assert learner.node == "opening" and "label empathy" in learner.branch
    assert client.node == "family" and client.vars == {"trust": 3}
    record = await store.get_session(sid)
    assert record.status == "active" and record.learner_name == "Ana"
    assert record.state == session.to_dict()


async def test_reaching_an_ending_finishes_the_session(store, scenario):
    session, sid = await start(store, scenario)
    for text in (ADVICE, ADVICE):
        await store.record_turn(sid, session.reply(text), session.to_dict())
    record = await store.get_session(sid)
    assert (record.status, record.outcome, record.ending, record.end_reason) == (
        "finished",
        "shutdown",
        "shutdown",
        "ending",
    )
    assert record.ended_at is not None
    assert (await store.list_turns(sid))[-1].text == "Okay. I should go."


async def test_a_stored_session_resumes_with_the_scenario_version_it_started_with(store, scenario):
    session, sid = await start(store, scenario)
    await store.record_turn(sid, session.reply(EMPATHIC), session.to_dict())
    record = await store.get_session(sid)
    scenario_id, source, _path = await store.scenario_version(record.scenario_hash)
    assert scenario_id == "sam-fixture" and source == scenario.source
    again = Session.resume(scenario, record.state)
    assert again.reply(EMPATHIC).lines == session.reply(EMPATHIC).lines


async def test_ending_early_stores_the_closing_line_and_the_reason(store, scenario):
    session, sid = await start(store, scenario)
    closing = session.end("facilitator")
    record = await store.end_session(sid, session.to_dict(), closing)
    assert (record.status, record.end_reason, record.outcome) == ("finished", "facilitator", "neutral")
    assert (await store.list_turns(sid))[-1].text == closing[0]

    deleted_thread, sid2 = await start(store, scenario)
    record = await store.end_session(sid2, {**deleted_thread.to_dict(), "end_reason": "abandoned"})
    assert record.status == "abandoned"


async def test_a_failed_write_leaves_no_half_turn(store, scenario):
    session, sid = await start(store, scenario)
    result = session.reply(EMPATHIC)
    with pytest.raises(SessionNotFound):
        await store.record_turn(sid + 99, result, session.to_dict())
    assert len(await store.list_turns(sid + 99)) == 0


async def test_running_sessions_are_found_by_thread_and_paused_ones_too(store, scenario):
    _, sid = await start(store, scenario, guild_id=1, channel_id=10, thread_id=100, learner_id=7)
    assert (await store.find_active_session(thread_id=100)).id == sid
    await store.set_status(sid, "paused")
    found = await store.find_active_session(thread_id=100)
    assert found.status == "paused"
    await store.set_status(sid, "active")
    assert await store.find_active_session(thread_id=999) is None
    assert (await store.find_active_session(channel_id=10)).id == sid


async def test_listing_never_crosses_guilds(store, scenario):
    _, a = await start(store, scenario, guild_id=1, learner_id=7)
    _, b = await start(store, scenario, guild_id=2, learner_id=7)
    _, terminal = await start(store, scenario)
    assert [s.id for s in await store.list_sessions(1)] == [a]
    assert [s.id for s in await store.list_sessions(2, learner_id=7)] == [b]
    assert [s.id for s in await store.list_sessions(None)] == [terminal]
    assert await store.get_session(a, guild_id=2) is None
    assert (await store.get_session(a, guild_id=1)).id == a


async def test_listing_filters_by_status_learner_scenario_and_date(tmp_path, scenario):
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    async with await Store.open(tmp_path / "h.db", clock=lambda: now[0]) as store:
        _, old = await start(store, scenario, guild_id=1, learner_id=7)
        now[0] += timedelta(days=10)
        session, new = await start(store, scenario, guild_id=1, learner_id=8)
        await store.end_session(new, {**session.to_dict(), "end_reason": "learner"})
        assert [s.id for s in await store.list_sessions(1, since=datetime(2026, 1, 5, tzinfo=UTC))] == [new]
        assert [s.id for s in await store.list_sessions(1, status="active")] == [old]
        assert [s.id for s in await store.list_sessions(1, status=("active", "finished"))] == [old, new]
        assert [s.id for s in await store.list_sessions(1, learner_id=8)] == [new]
        assert await store.list_sessions(1, scenario_id="someone-else") == []
        assert [s.id for s in await store.list_sessions(1, limit=1)] == [new]
        assert [s.id for s in await store.list_open_sessions()] == [old]


async def test_notes_are_kept_with_author_and_too_long_ones_are_refused(store, scenario):
    _, sid = await start(store, scenario, guild_id=1)
    note = await store.add_note(sid, "Great reflection at turn 2.", author_id=5, author_name="Coach Kim")
    assert (note.author_name, note.text) == ("Coach Kim", "Great reflection at turn 2.")
    assert await store.list_notes(sid) == [note]
    with pytest.raises(ValueError, match="at most 1,000"):
        await store.add_note(sid, "x" * 1001, author_id=5, author_name="Coach Kim")
    with pytest.raises(SessionNotFound):
        await store.add_note(sid + 50, "hello", author_id=5, author_name="Coach Kim")


async def test_notes_of_many_sessions_come_back_grouped_by_session(store, scenario):
    _, first = await start(store, scenario, guild_id=1)
    _, second = await start(store, scenario, guild_id=1)
    _, quiet = await start(store, scenario, guild_id=1)
    a = await store.add_note(first, "Lovely pacing.", author_id=5, author_name="Coach Kim")
    b = await store.add_note(second, "Try one reflection first.", author_id=5, author_name="Coach Kim")
    c = await store.add_note(first, "And a good summary.", author_id=6, author_name="Coach Lee")

    notes = await store.list_notes_many([first, second, quiet])

    assert notes == {first: [a, c], second: [b], quiet: []}


async def test_dm_status_is_recorded(store, scenario):
    _, sid = await start(store, scenario, guild_id=1)
    await store.set_dm_status(sid, "failed")
    assert (await store.get_session(sid)).dm_status == "failed"


async def test_guild_config_has_defaults_and_keeps_unchanged_settings(store):
    assert await store.get_guild_config(1) == GuildConfig(1)
    await store.set_guild_config(1, facilitator_role_id=42, allow_self_practice=True)
    await store.set_guild_config(1, idle_minutes=15)
    assert await store.get_guild_config(1) == GuildConfig(1, 42, True, None, 15)
    assert await store.get_guild_config(2) == GuildConfig(2)
    with pytest.raises(ValueError, match="unknown guild setting"):
        await store.set_guild_config(1, colour="red")


async def test_uploaded_scenarios_belong_to_one_guild(store, scenario):
    await store.add_uploaded_scenario(1, scenario, uploaded_by=5)
    [upload] = await store.list_uploaded_scenarios(1)
    assert (upload.scenario_id, upload.source) == ("sam-fixture", scenario.source)
    assert await store.list_uploaded_scenarios(2) == []
    assert await store.remove_uploaded_scenario(1, "sam-fixture")
    assert await store.list_uploaded_scenarios(1) == []


async def test_forgetting_a_learner_deletes_their_sessions_in_that_guild_only(store, scenario):
    _, mine = await start(store, scenario, guild_id=1, learner_id=7)
    _, elsewhere = await start(store, scenario, guild_id=2, learner_id=7)
    _, theirs = await start(store, scenario, guild_id=1, learner_id=8, facilitator_id=7)
    await store.add_note(theirs, "Watch the pace.", author_id=7, author_name="Ana")
    assert await store.forget_learner(7, guild_id=1) == 1
    assert await store.get_session(mine) is None and await store.list_turns(mine) == []
    assert await store.get_session(elsewhere) is not None
    assert (await store.get_session(theirs)).facilitator_id is None
    assert (await store.list_notes(theirs))[0].author_name == "(removed)"


async def test_many_transcripts_are_read_in_one_call(store, scenario):
    _, a = await start(store, scenario, guild_id=1)
    _, b = await start(store, scenario, guild_id=1)
    many = await store.list_turns_many([a, b])
    assert [len(many[a]), len(many[b])] == [1, 1]


async def test_concurrent_sessions_never_mix_their_turns(store, scenario):
    # 40 role-plays answering at once, as in a busy cohort: each transcript stays whole and in order.
    async def play(n: int) -> int:
        session, sid = await start(store, scenario, guild_id=1, learner_id=n)
        for text in ("ok", "hmm", "I see"):
            await store.record_turn(sid, session.reply(text), session.to_dict())
        return sid

    ids = await asyncio.gather(*(play(n) for n in range(40)))
    for sid in ids:
        turns = await store.list_turns(sid)
        assert [t.seq for t in turns] == list(range(1, len(turns) + 1))
        assert [t.text for t in turns if t.speaker == "learner"] == ["ok", "hmm", "I see"]
        assert (await store.get_session(sid)).state["turn"] == 3


async def test_two_processes_can_share_the_database_file(tmp_path, scenario):
    # The bot and a terminal rehearsal may use the same heard.db; WAL + busy timeout let both write.
    path = tmp_path / "shared.db"
    async with await Store.open(path) as bot, await Store.open(path) as terminal:
        (a_session, a), (b_session, b) = await asyncio.gather(
            start(bot, scenario, guild_id=1), start(terminal, scenario)
        )
        await asyncio.gather(
            bot.record_turn(a, a_session.reply(EMPATHIC), a_session.to_dict()),
            terminal.record_turn(b, b_session.reply(ADVICE), b_session.to_dict()),
        )
        assert len(await terminal.list_turns(a)) == 3 and len(await bot.list_turns(b)) == 3


async def test_an_older_database_is_migrated_and_keeps_its_sessions(tmp_path, scenario):
    from bot.store.migrations import MIGRATIONS

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    old.execute("INSERT INTO scenario_versions VALUES (?, ?, ?, '', '2026-01-01')",
                (scenario.content_hash, scenario.id, scenario.source))  # fmt: skip
    old.execute(
        "INSERT INTO sessions (scenario_id, scenario_hash, state, started_at, updated_at) "
        "VALUES (?, ?, ?, '2026-01-01', '2026-01-01')",
        (scenario.id, scenario.content_hash, json.dumps(Session.new(scenario).to_dict())),
    )
    old.execute("INSERT INTO turns (session_id, seq, speaker, text, at) VALUES (1, 1, 'client', 'Hi.', '')")
    old.commit()
    old.close()
    async with await Store.open(path) as store:
        record = await store.get_session(1)
        session = Session.resume(scenario, record.state)
        await store.record_turn(1, session.reply(EMPATHIC), session.to_dict())
        turns = await store.list_turns(1)
        assert [(t.seq, t.speaker) for t in turns] == [(1, "client"), (2, "learner"), (3, "client")]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


async def test_an_idle_nudge_is_added_to_the_transcript(store, scenario):
    _, sid = await start(store, scenario, guild_id=1)
    await store.add_client_lines(sid, ["Are you still there?"])
    turns = await store.list_turns(sid)
    assert (turns[-1].seq, turns[-1].speaker, turns[-1].text) == (2, "client", "Are you still there?")


async def test_learner_labels_come_back_per_session_in_order(store, scenario):
    session, sid = await start(store, scenario, guild_id=1)
    for text in (EMPATHIC, ADVICE):
        await store.record_turn(sid, session.reply(text), session.to_dict())
    assert await store.list_learner_labels([sid]) == {sid: ["empathy", "advice"]}
