"""CSV exports open safely in a spreadsheet: what a learner typed never runs as a formula."""

import asyncio
import csv
import io
from pathlib import Path

import pytest
from debrief_transcripts import detection

from bot.cli import main
from bot.debrief import cohort_csv, cohort_report
from bot.debrief.csvsafe import csv_text, safe_cell
from bot.engine.session import Session
from bot.scenario.load import load_scenario
from bot.store import Store
from bot.store.reports import load_summaries

MINI = Path(__file__).parent / "data" / "scenarios" / "mini.yaml"
HOSTILE_NAME = "=cmd|' /C calc'!A0"
HOSTILE_REPLIES = ['=HYPERLINK("http://x","click")', "@SUM(1+1)", "-3"]


def _neutral(text, extra=None):
    return detection(text, "neutral")


async def _fill(path: Path) -> None:
    scenario = load_scenario(MINI)
    async with await Store.open(path) as store:
        s = Session.new(scenario, seed=1, detector=_neutral)
        rec = await store.create_session(
            scenario, s.to_dict(), s.start(), guild_id=None, learner_id=5, learner_name=HOSTILE_NAME
        )
        for reply in HOSTILE_REPLIES:
            if not s.finished:
                await store.record_turn(rec.id, s.reply(reply), s.to_dict())
        if not s.finished:
            await store.end_session(rec.id, s.to_dict(), s.end())
        await store.add_note(rec.id, "+1 good session", author_id=9, author_name="@facilitator")


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "heard.db"
    asyncio.run(_fill(path))
    return str(path)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+cmd", "'+cmd"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("I feel =ish about it", "I feel =ish about it"),  # only the first character matters
        ("", ""),
    ],
)
def test_text_that_would_start_a_formula_gets_a_leading_quote(typed, written):
    assert safe_cell(typed) == written


@pytest.mark.parametrize("number", ["-3", "+0.125", "-0.5", "1e-3", "-.5", "42", -3, 0.25, None])
def test_plain_numbers_stay_numbers(number):
    # A negative number is data a facilitator sorts and sums, not a formula: left as it is.
    assert safe_cell(number) == number


def test_csv_text_neutralises_every_cell():
    text = csv_text(["name", "reply"], [{"name": "@Ana", "reply": "=1+1"}, {"name": "Bo", "reply": "-3"}])
    assert list(csv.reader(io.StringIO(text))) == [["name", "reply"], ["'@Ana", "'=1+1"], ["Bo", "-3"]]


def test_heard_export_csv_quotes_formula_replies_names_and_notes(db, capsys):
    assert main(["export", "--guild", "terminal", "--format", "csv", "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    replies = [r["text"] for r in rows if r["kind"] == "learner"]
    # A negative number is kept as the number it is; the formulas are shown as text.
    assert replies == ['\'=HYPERLINK("http://x","click")', "'@SUM(1+1)", "-3"]
    assert {r["learner_name"] for r in rows} == {"'" + HOSTILE_NAME}
    note = next(r for r in rows if r["kind"] == "note")
    assert (note["text"], note["author"]) == ("'+1 good session", "'@facilitator")


def test_heard_cohort_csv_quotes_a_formula_learner_name(db, capsys):
    assert main(["cohort", "--guild", "terminal", "--format", "csv", "--db", db]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["learner_name"] == "'" + HOSTILE_NAME
    assert row["sessions"] == "1"


def test_discord_cohort_attachment_uses_the_same_safe_csv(db):
    async def rows():
        async with await Store.open(db) as store:
            return cohort_report(await load_summaries(store, None))

    (row,) = csv.DictReader(io.StringIO(cohort_csv(asyncio.run(rows()))))
    assert row["learner_name"] == "'" + HOSTILE_NAME
