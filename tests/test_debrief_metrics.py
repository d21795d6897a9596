"""Each debrief number on a hand-built transcript whose answer is known."""

import pytest
from debrief_transcripts import (
    MONEY,
    OPENING,
    Transcript,
    good_transcript,
    poor_transcript,
    scenario,
    session,
)

from bot.debrief import build_debrief, summarize
from bot.debrief.metrics import open_share_band, rq_band, sparkline


def debrief(transcript: Transcript, **kw):
    return build_debrief(scenario(), session(**kw), transcript.turns)


def test_two_reflections_and_one_question_is_rq_2_good():
    d = debrief(good_transcript())
    assert d.rq.value == pytest.approx(2.0)
    assert d.rq.band == "good"
    assert d.rq.shown == "2.0 : 1"


def test_counts_and_empathic_share():
    d = debrief(good_transcript())
    assert d.turns == 3
    assert d.counts["empathy"] == 2
    assert d.counts["open_question"] == 1
    assert d.counts["advice"] == 0
    assert d.empathic_share == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("reflections", "opens", "closeds", "rq_band_word", "open_band_word"),
    [
        (2, 1, 0, "good", "good"),  # 2:1 and 100% open
        (1, 1, 0, "fair", "good"),  # 1:1
        (1, 1, 1, "not_yet", "fair"),  # 0.5:1, 50% open (MITI 3.1.1 fair)
        (3, 7, 3, "not_yet", "good"),  # 70% open is good
        (0, 0, 2, "not_yet", "not_yet"),  # closed questions only
        (0, 0, 0, "none", "none"),  # nothing to judge
        (3, 0, 0, "good", "none"),  # reflections and no questions at all
    ],
)
def test_miti_bands(reflections, opens, closeds, rq_band_word, open_band_word):
    counts = {"empathy": reflections, "open_question": opens, "closed_question": closeds}
    assert rq_band(counts).band == rq_band_word
    assert open_share_band(counts).band == open_band_word


def test_open_question_share_of_the_poor_session_is_zero_not_yet():
    d = debrief(poor_transcript(), outcome="shutdown", ending="shutdown")
    assert d.open_share.value == 0.0
    assert d.open_share.band == "not_yet"
    assert d.rq.value == 0.0


def test_meter_follows_trust_over_the_session():
    d = debrief(poor_transcript(), outcome="shutdown", ending="shutdown")
    assert d.meter_var == "trust"
    assert d.meter_values == (2, 1, 1, 0)
    assert len(d.meter_line) == 4
    assert d.meter_line[0] > d.meter_line[-1]  # block characters are ordered by height


def test_advice_before_the_client_asked_is_flagged():
    d = debrief(poor_transcript(), outcome="shutdown", ending="shutdown")
    assert d.unasked_advice == (1,)


def test_advice_after_the_client_asked_is_not_flagged():
    t = Transcript().client(MONEY, node="money").learner("You could call the bank.", "advice", "You could")
    assert debrief(t).unasked_advice == ()


def test_headline_uses_the_endings_meaning():
    d = debrief(poor_transcript(), outcome="shutdown", ending="shutdown")
    assert d.ending_summary == "Dana shut down."
    assert d.outcome == "shutdown"
    assert d.path == ("opening", "shutdown")


def test_zero_learner_turns_gives_an_empty_debrief_without_dividing_by_zero():
    d = debrief(Transcript().client(OPENING), outcome=None, ending=None)
    assert d.empty
    assert d.turns == 0
    assert d.empathic_share == 0.0
    assert d.rq.band == "none"
    assert d.moments == ()
    assert d.strength is None


def test_progress_compares_with_earlier_sessions_of_the_same_learner():
    earlier = [
        summarize(session(id=n, started_at=f"2026-11-0{n}T10:00:00+00:00"), poor_transcript().turns)
        for n in (1, 2)
    ]
    d = build_debrief(scenario(), session(id=5), good_transcript().turns, history=earlier)
    assert d.progress is not None
    assert d.progress.shares == (0.0, 0.0, pytest.approx(2 / 3))
    assert d.progress.change == pytest.approx(2 / 3)
    assert len(d.progress.sparkline) == 3


def test_no_progress_line_without_earlier_sessions():
    assert debrief(good_transcript()).progress is None


def test_sparkline_is_flat_for_constant_values_and_spans_the_blocks():
    assert sparkline([1, 1, 1]) == "▅▅▅"
    assert sparkline([0, 1], 0, 1) == "▁█"
    assert sparkline([]) == ""


def test_meter_starts_from_the_stored_opening_not_the_scenario_default():
    t = Transcript().client(OPENING, trust=5).learner("Okay.", "neutral").client(OPENING, trust=4)
    assert debrief(t).meter_values == (5, 4)
