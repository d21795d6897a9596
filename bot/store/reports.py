"""Debriefs, exports and cohort summaries read from the store: the one place that gathers records
for bot.debrief, shared by the terminal, the `heard` commands and the Discord cogs."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.debrief import Debrief, SessionRecord, SessionSummary, build_debrief, summary_from_labels
from bot.debrief.export import SessionData
from bot.debrief.records import same_name_key
from bot.scenario.load import ScenarioError, find_scenario, parse_scenario
from bot.scenario.model import Scenario
from bot.store.sessions import ANY
from bot.store.store import Store

log = logging.getLogger(__name__)

HISTORY_SESSIONS = 8  # earlier sessions shown in a debrief's progress line
ENDED = ("finished", "abandoned")  # the sessions progress lines and cohort reports count


class DebriefNotFound(LookupError):
    """A session (or the scenario it was played with) is missing; the message says what to do."""


async def stored_scenario(
    store: Store, content_hash: str, cache: dict[str, Scenario | None] | None = None
) -> Scenario | None:
    """The scenario version stored under this hash (what a session started with), parsed once per
    cache; None when it is missing or no longer parses."""
    if cache is not None and cache.get(content_hash) is not None:
        return cache[content_hash]
    found: Scenario | None = None
    version = await store.scenario_version(content_hash) if content_hash else None
    if version is not None:
        scenario_id, source, path = version
        try:
            found = parse_scenario(source, path or f"<stored {scenario_id}>")
        except ScenarioError as exc:
            log.warning("stored version of %s no longer parses: %s", scenario_id, exc)
    if cache is not None and found is not None:
        cache[content_hash] = found
    return found


async def scenario_for(
    store: Store, session: SessionRecord, cache: dict[str, Scenario | None] | None = None
) -> Scenario | None:
    """The exact scenario version the session was played with; else the current one with that id."""
    found = await stored_scenario(store, session.scenario_hash, cache)
    if found is None:
        try:
            found = find_scenario(session.scenario_id)
            log.info("session %s: using the current %s (its stored version is missing)", session.id, found.id)
        except (LookupError, ScenarioError, OSError) as exc:
            log.warning("no scenario %s for session %s: %s", session.scenario_id, session.id, exc)
    return found


async def earlier_sessions(store: Store, session: SessionRecord) -> list[SessionSummary]:
    """The learner's ended sessions in the same server that started before this one (for the
    progress line). Terminal rehearsals have no learner id: they are matched by name."""
    candidates = await store.list_sessions(session.guild_id, status=ENDED, learner_id=session.learner_id)
    name = same_name_key(session.learner_name)
    earlier = [
        s
        for s in candidates
        if (s.started_at, s.id) < (session.started_at, session.id)
        and (session.learner_id is not None or same_name_key(s.learner_name) == name)
    ][-HISTORY_SESSIONS:]
    labels = await store.list_learner_labels([s.id for s in earlier])
    return [summary_from_labels(s, labels.get(s.id, [])) for s in earlier]


async def debrief_for(store: Store, session: SessionRecord, scenario: Scenario) -> Debrief:
    """The debrief of one stored session, with its notes and the learner's progress."""
    turns = await store.list_turns(session.id)
    notes = await store.list_notes(session.id)
    history = await earlier_sessions(store, session)
    return build_debrief(scenario, session, turns, notes, history)


async def load_debrief(store: Store, session_id: int, *, guild_id: int | None = ANY) -> Debrief:
    """One stored session's debrief; DebriefNotFound when the session or its scenario is missing."""
    session = await store.get_session(session_id, guild_id=guild_id)
    if session is None:
        raise DebriefNotFound(f"There is no session {session_id} in {store.path or 'the database'}.")
    scenario = await scenario_for(store, session)
    if scenario is None:
        raise DebriefNotFound(
            f"Session {session_id} was played with scenario {session.scenario_id!r}, which is neither "
            "stored in the database nor in scenarios/. Add the scenario file back and try again."
        )
    return await debrief_for(store, session, scenario)


async def load_sessions(
    store: Store, guild_id: int | None, *, since: str | None = None, scenario_id: str | None = None
) -> list[SessionData]:
    """Whole sessions (transcripts and notes) for exports."""
    sessions = await store.list_sessions(guild_id, since=since, scenario_id=scenario_id)
    ids = [s.id for s in sessions]
    turns = await store.list_turns_many(ids)
    notes = await store.list_notes_many(ids)
    return [SessionData(s, turns.get(s.id, []), notes.get(s.id, [])) for s in sessions]


async def load_summaries(
    store: Store,
    guild_id: int | None,
    *,
    since: str | None = None,
    scenario_id: str | None = None,
    status: Sequence[str] | None = ENDED,
) -> list[SessionSummary]:
    """Per-session summaries for the cohort report (`cohort_report(summaries)`): the learner turns'
    labels and the note counts, in two queries, not whole transcripts."""
    sessions = await store.list_sessions(guild_id, since=since, scenario_id=scenario_id, status=status)
    ids = [s.id for s in sessions]
    labels = await store.list_learner_labels(ids)
    notes = await store.list_notes_many(ids)
    return [summary_from_labels(s, labels.get(s.id, []), len(notes.get(s.id, []))) for s in sessions]
