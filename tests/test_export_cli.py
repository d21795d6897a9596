"""`heard debrief`, `heard export` and `heard cohort` against a real SQLite file."""

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest
from debrief_transcripts import detection

from bot.cli import main
from bot.debrief import summarize
from bot.debrief.export import CSV_COLUMNS
from bot.engine.session import Session
from bot.scenario.load import load_scenario
from bot.store import Store
from bot.store.reports import load_summaries

MINI = Path(__file__).parent / "data" / "scenarios" / "mini.yaml"
LABELS = {
    "That sounds like a real loss.": ("empathy", "sounds like"),
    "What worries you most?": ("open_question", "What"),
    "You should retrain as a welder.": ("advice", "You should"),
}


def fake_detect(text, extra=None):
    label, cue = LABELS.get(text, ("neutral", ""))
    return detection(text, label, *([cue] if cue else []))


async def _fill(path: Path) -> None:
    scenario = load_scenario(MINI)
    plays = [
        (42, ["You should retrain as a welder.", "You should retrain as a welder."]),
        (42, ["That sounds like a real loss.", "What worries you most?"]),
        (77, ["That sounds like a real loss."]),
    ]
    async with await Store.open(path) as store:
        for guild, replies in plays:
            s = Session.new(scenario, seed=1, detector=fake_detect)
            rec = await store.create_session(
                scenario, s.to_dict(), s.start(), guild_id=guild, learner_id=5, learner_name="Ana"
            )
            for reply in replies:
                if not s.finished:
                    await store.record_turn(rec.id, s.reply(reply), s.to_dict())
            if not s.finished:
                await store.end_session(rec.id, s.to_dict(), s.end())
        await store.add_note(2, "Lovely reflection.", author_id=9, author_name="Ms Lee")


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "heard.db"
    asyncio.run(_fill(path))
    return str(path)


def test_debrief_prints_a_stored_sessions_debrief(db, capsys):
    assert main(["debrief", "2", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Debrief — Sam and the closed plant")
    assert "**Breakthrough** · Sam felt heard" in out
    assert "- **Ms Lee**" in out and "Lovely reflection." in out
    assert "## Progress" in out  # session 1 of the same learner in the same server came first


def test_debrief_as_json(db, capsys):
    assert main(["debrief", "1", "--db", db, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "shutdown"
    assert data["counts"]["advice"] >= 1


def test_debrief_of_a_missing_session_says_so(db, capsys):
    assert main(["debrief", "99", "--db", db]) == 1
    assert "There is no session 99" in capsys.readouterr().err


def test_export_csv_has_one_row_per_line_and_note_of_the_guild_only(db, tmp_path, capsys):
    out = tmp_path / "export.csv"
    assert main(["export", "--guild", "42", "--format", "csv", "--out", str(out), "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert {r["session_id"] for r in rows} == {"1", "2"}
    assert {r["kind"] for r in rows} == {"client", "learner", "note"}
    advice = [r for r in rows if r["kind"] == "learner" and r["label"] == "advice"]
    assert advice and advice[0]["evidence"] == "advice: You should"
    assert "Wrote 2 session(s)" in capsys.readouterr().err


def test_export_json_and_since(db, capsys):
    assert main(["export", "--guild", "42", "--format", "json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["session_id"] for s in data["sessions"]] == [1, 2]
    assert data["sessions"][1]["notes"][0]["author"] == "Ms Lee"
    assert data["sessions"][1]["turns"][1]["detection"]["label"] == "empathy"
    assert main(["export", "--guild", "42", "--since", "2999-01-01", "--format", "json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["sessions"] == []


def test_export_markdown_holds_every_debrief(db, capsys):
    assert main(["export", "--guild", "42", "--format", "md", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.count("# Debrief — ") == 2


def test_bad_guild_and_date_are_usage_errors(db, capsys):
    with pytest.raises(SystemExit):
        main(["export", "--guild", "abc", "--format", "csv", "--db", db])
    assert "not a server id" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "--guild", "42", "--since", "2026-13-40", "--format", "csv", "--db", db])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_cohort_table_and_csv(db, capsys):
    assert main(["cohort", "--guild", "42", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Ana" in out and "sessions" in out
    assert main(["cohort", "--guild", "42", "--format", "csv", "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["sessions"] == "2"


async def test_cohort_summaries_read_from_labels_match_the_full_transcripts(db):
    async with await Store.open(db) as store:
        fast = await load_summaries(store, 42)
        full = [
            summarize(s, await store.list_turns(s.id), await store.list_notes(s.id))
            for s in await store.list_sessions(42)
        ]
    assert fast == full
    assert [s.notes for s in fast] == [0, 1]
