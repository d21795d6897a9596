"""The cohort report: one row per learner, as rows, CSV and an embed."""

import csv
import io

import pytest
from debrief_transcripts import good_transcript, poor_transcript, session

from bot.debrief import cohort_csv, cohort_report, render_cohort_embed, summarize
from bot.debrief.cohort import CSV_COLUMNS


def summaries():
    ana = [
        summarize(session(id=1, outcome="shutdown", ending="shutdown", started_at="2026-11-01T10:00"),
                  poor_transcript().turns),
        summarize(session(id=2, started_at="2026-11-03T10:00"), good_transcript().turns),
    ]  # fmt: skip
    ben = [
        summarize(session(id=3, learner_id=8, learner_name="Ben", started_at="2026-11-02T10:00"),
                  good_transcript().turns),
    ]  # fmt: skip
    return ana + ben


def test_one_row_per_learner_with_sessions_endings_share_rq_and_trend():
    rows = cohort_report(summaries())
    assert [r.learner_name for r in rows] == ["Ana", "Ben"]
    ana = rows[0]
    assert ana.sessions == 2
    assert ana.endings["breakthrough"] == 1
    assert ana.endings["shutdown"] == 1
    assert ana.empathic_share == pytest.approx(2 / 6)  # 2 empathic of 6 turns over both sessions
    assert ana.rq == pytest.approx(2 / 2)  # 2 reflections, 2 questions
    assert ana.shares == (0.0, pytest.approx(2 / 3))
    assert ana.change == pytest.approx(2 / 3)
    assert len(ana.trend) == 2


def test_since_and_scenario_filter_sessions():
    rows = cohort_report(summaries(), since="2026-11-02")
    assert {r.learner_name: r.sessions for r in rows} == {"Ana": 1, "Ben": 1}
    assert cohort_report(summaries(), scenario="another-scenario") == []


def test_csv_has_a_header_and_one_line_per_learner():
    text = cohort_csv(cohort_report(summaries()))
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    assert CSV_COLUMNS[:4] == ("learner_id", "learner_name", "sessions", "finished")
    assert {"breakthrough", "shutdown", "empathic_share", "rq", "trend"} <= set(CSV_COLUMNS)
    rows = list(reader)
    assert [r["learner_name"] for r in rows] == ["Ana", "Ben"]
    assert rows[0]["empathic_share"] == "0.333"
    assert rows[0]["rq"] == "1.00"


def test_cohort_embed_is_a_table_and_says_when_nothing_matches():
    embed = render_cohort_embed(cohort_report(summaries()))
    assert "Ana" in embed["description"] and "Ben" in embed["description"]
    assert len(embed["description"]) <= 4096
    assert render_cohort_embed([])["description"] == "No sessions match yet."
