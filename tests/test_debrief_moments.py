"""Which turns a debrief picks as moments, and how the learner's words are quoted."""

from debrief_transcripts import OPENING, Transcript, good_transcript, poor_transcript, scenario, session

from bot.debrief import build_debrief


def poor():
    return build_debrief(scenario(), session(outcome="shutdown", ending="shutdown"), poor_transcript().turns)


def test_the_poor_session_shows_where_trust_fell_and_the_feeling_left_unreflected():
    d = poor()
    assert [m.turn for m in d.moments] == [1, 2, 3]
    assert [m.kind for m in d.moments] == ["drop", "missed", "drop"]
    assert d.moments[0].why_chosen == "trust fell 2 → 1"
    assert d.moments[1].why_chosen == "a chance to reflect what the client felt (shock, shame)"


def test_a_good_session_shows_at_most_two_rises_including_the_reply_that_reached_the_ending():
    d = build_debrief(scenario(), session(), good_transcript().turns)
    assert [(m.turn, m.kind) for m in d.moments] == [(1, "rise"), (3, "rise")]
    assert d.moments[1].why_chosen == "trust rose 4 → 5"


def test_a_moment_carries_client_line_feelings_and_the_model_reply():
    m = poor().moments[0]
    assert m.client_line == OPENING
    assert m.feels == ("shock", "shame")
    assert m.model_reply.startswith("Twelve years, and it ended")
    assert m.why == "Reflecting the shock first shows Dana you heard her."
    assert m.label == "advice"


def test_the_detected_phrase_is_marked_in_the_learners_words():
    q = poor().moments[0].quote
    assert q.text == "You should update your LinkedIn today."
    assert [(q.text[m.start : m.end], m.label) for m in q.marks] == [("You should", "advice")]
    assert q.pieces() == [("You should", True), (" update your LinkedIn today.", False)]


def test_a_misstep_while_the_client_feels_something_is_a_moment_even_without_a_meter_change():
    t = (
        Transcript()
        .client(OPENING, trust=2)
        .learner("I hear you.", "empathy", "I hear you")
        .client(OPENING, trust=2)
        .learner("When I was fired I just moved on.", "self_focus", "When I was")
        .client(OPENING, trust=2)
        .learner("Okay.", "neutral")
        .client(OPENING, trust=2)
    )
    d = build_debrief(scenario(), session(), t.turns)
    kinds = {m.turn: m.kind for m in d.moments}
    assert kinds[2] == "misstep"
    assert d.moments[[m.turn for m in d.moments].index(2)].why_chosen.endswith("feeling shock, shame")
    assert 2 <= len(d.moments) <= 4


def test_at_most_four_moments_in_turn_order():
    t = Transcript().client(OPENING, trust=5)
    trust = 5
    for n in range(10):
        trust -= 1 if n % 2 else -1
        t.learner(f"You should try thing {n}.", "advice", "You should").client(OPENING, trust=trust)
    d = build_debrief(scenario(max_turns=20), session(), t.turns)
    turns = [m.turn for m in d.moments]
    assert len(turns) == 4
    assert turns == sorted(turns)


def test_the_best_empathic_turn_is_quoted_as_a_strength():
    d = build_debrief(scenario(), session(), good_transcript().turns)
    assert d.strength is not None
    assert d.strength.turn == 1
    assert d.strength.quote.text == "That sounds like a real shock."
    assert d.strength.quote.marks[0].label == "empathy"


def test_no_strength_when_nothing_was_empathic():
    assert poor().strength is None


def test_adjacent_cues_are_marked_as_one_run():
    t = (
        Transcript()
        .client(OPENING)
        .learner("You should apply to amazon.", "advice", "You should", "apply to amazon")
    )
    d = build_debrief(scenario(), session(), t.turns)
    q = d.transcript[0].quote
    assert [(q.text[m.start : m.end]) for m in q.marks] == ["You should apply to amazon"]
