"""The session engine, as a table of small conversations. A stand-in detector reads the label from the
reply itself ("[advice] ...", "[empathy advice] ..." = empathy first, advice also present), so each
case shows the engine's rules and nothing of the detector's judgement."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence

import pytest

from bot.detect import Detection, detect
from bot.engine import Session, SessionOver
from bot.scenario.load import parse_scenario

CLIENT = """
id: kai
title: Kai
summary: A test client.
persona: {name: Kai}
max_turns: 5
time_up: out_of_time
variables: {trust: 2, openness: 0}
rules:
  - when: {if: "trust <= 0"}
    goto: shutdown
  - when: {label: reactivity}
    says: ["Whoa. Okay."]
    add: {trust: -1}
start: opening
nodes:
  opening:
    says: ["first A", "first B", "first C"]
    branches:
      - when: {label: empathy}
        add: {trust: 1}
        goto: middle
      - when: {label: [empathy, open_question]}
        goto: opening
        note: never taken for empathy (the branch above comes first)
      - when: {label: advice}
        add: {trust: -1}
        says: ["Not a to-do list, please."]
      - when: {mentions: [severance]}
        set: {openness: 3}
        goto: money
      - when: {not_label: [neutral], has: [judgment]}
        add: {trust: -1}
        says: ["That stings."]
        goto: middle
    otherwise:
      goto: opening
  middle:
    says: ["middle line"]
    branches:
      - when: {if: ["trust >= 3", "openness == 0"]}
        goto: breakthrough
  money:
    says: ["money line"]
    branches:
      - when: {label: empathy}
        goto: breakthrough
endings:
  breakthrough:
    outcome: breakthrough
    says: ["Thank you."]
  shutdown:
    outcome: shutdown
    says: ["I'm done here."]
  out_of_time:
    outcome: neutral
    says: ["I have to go."]
"""


def stand_in(text: str, extra: Mapping[str, Sequence[str]] | None = None) -> Detection:
    labels = text[1 : text.index("]")].split() if text.startswith("[") else ["neutral"]
    scores = {label: float(len(labels) - i) for i, label in enumerate(labels)}
    return Detection(label=labels[0], scores=scores)


@pytest.fixture(scope="module")
def kai():
    return parse_scenario(CLIENT, "kai.yaml")


def play(scenario, replies: Sequence[str], seed: int = 0, **kwargs):
    session = Session.new(scenario, seed=seed, detector=stand_in, **kwargs)
    opening = session.start()
    return session, opening, [session.reply(r) for r in replies]


@pytest.mark.parametrize(
    ("reply", "node", "branch", "lines", "trust"),
    [
        # Branches are checked in order: the first that holds is taken.
        ("[empathy] that sounds hard", "middle", "branch 1 (label empathy)", ["middle line"], 3),
        ("[open_question] what happened?", "opening", "branch 2", None, 2),
        # A reaction with no goto: the client stays and says only the reaction.
        ("[advice] update your CV", "opening", "branch 3", ["Not a to-do list, please."], 1),
        # Keywords are whole words in any case; `set` replaces a value.
        ("[neutral] What about the Severance?", "money", "branch 4", ["money line"], 2),
        ("[neutral] severances are taxed", "opening", "otherwise", None, 2),
        # `has` looks past the primary label; a reaction and a goto: reaction first, then the new node.
        (
            "[closed_question judgment] is it really that bad?",
            "middle",
            "branch 5",
            ["That stings.", "middle line"],
            1,
        ),
        # Global rules come before the node's branches.
        ("[reactivity empathy] oh no!", "opening", "rule 2 (label reactivity)", ["Whoa. Okay."], 1),
    ],
)
def test_one_reply_from_the_opening(kai, reply, node, branch, lines, trust):
    _, _, [result] = play(kai, [reply])
    assert result.to_node == node or (node == "shutdown" and result.ended)
    assert result.branch.startswith(branch)
    if lines is not None:
        assert list(result.lines) == lines
    assert result.vars["trust"] == trust


def test_a_variable_rule_is_checked_again_after_a_branch_changes_variables(kai):
    # advice takes trust 1 -> 0; "trust <= 0" then ends it in the same turn, after the reaction.
    _, _, [result] = play(kai, ["[advice] update your CV"], variables={"trust": 1})
    assert result.ended and result.ending == "shutdown" and result.outcome == "shutdown"
    assert result.lines == ("Not a to-do list, please.", "I'm done here.")
    assert "then rule 1 (trust <= 0)" in result.branch
    assert result.changes == {"trust": (1, 0)}
    assert result.end_reason == "ending"


def test_variable_checks_all_hold_before_a_branch_is_taken(kai):
    _, _, results = play(kai, ["[empathy] I hear you", "[neutral] mm"], variables={"openness": 1})
    assert results[-1].to_node == "middle"  # openness == 0 fails, so no breakthrough
    _, _, results = play(kai, ["[empathy] I hear you", "[neutral] mm"])
    assert results[-1].ending == "breakthrough" and results[-1].lines == ("Thank you.",)


def test_no_branch_and_no_otherwise_means_the_client_stays_and_speaks_again(kai):
    _, _, [result] = play(kai, ["[neutral] ok"], start="money")
    assert result.to_node == "money" and result.branch.startswith("no branch matched")
    assert result.lines == ("money line",)


def test_variants_are_least_recently_said_and_never_repeat_back_to_back(kai):
    _, opening, results = play(kai, ["[neutral] ok"] * 4, variables={"trust": 9})
    said = [opening[0]] + [r.lines[0] for r in results]
    assert all(a != b for a, b in itertools.pairwise(said))
    for i in range(len(said) - 2):  # any three in a row are the three variants
        assert sorted(said[i : i + 3]) == ["first A", "first B", "first C"]


def test_the_same_seed_replays_the_same_session_and_seeds_vary_the_lines(kai):
    replies = ["[neutral] ok", "[open_question] what?", "[empathy] that hurts"]
    first = play(kai, replies, seed=11)
    again = play(kai, replies, seed=11)
    assert first[1] == again[1] and [r.lines for r in first[2]] == [r.lines for r in again[2]]
    openings = {play(kai, [], seed=s)[1] for s in range(20)}
    assert len(openings) > 1


def test_state_survives_a_json_round_trip_and_continues_identically(kai):
    session, _, _ = play(kai, ["[neutral] ok", "[open_question] how so?"], seed=5)
    stored = json.loads(json.dumps(session.to_dict()))
    resumed = Session.resume(kai, stored, detector=stand_in)
    later = ["[neutral] hm", "[empathy] that sounds lonely", "[neutral] go on"]
    assert [resumed.reply(r) for r in later] == [session.reply(r) for r in later]
    assert resumed.to_dict() == session.to_dict()


def test_the_turn_limit_ends_gracefully_with_the_time_up_ending(kai):
    session, _, results = play(kai, ["[neutral] ok"] * 5, variables={"trust": 9})
    last = results[-1]
    assert [r.ended for r in results] == [False, False, False, False, True]
    assert (last.ending, last.outcome, last.end_reason) == ("out_of_time", "neutral", "time_up")
    assert last.lines[-1] == "I have to go." and len(last.lines) == 2  # the node's line, then goodbye
    with pytest.raises(SessionOver):
        session.reply("[neutral] one more")


def test_ending_early_says_goodbye_once_and_records_who_ended_it(kai):
    session, _, _ = play(kai, ["[neutral] ok"])
    assert session.end("facilitator") == ("I have to go.",)
    assert session.finished
    assert (session.state.ending, session.state.end_reason) == ("out_of_time", "facilitator")
    assert session.end("learner") == ()


def test_the_real_detector_drives_the_same_branches(kai):
    session = Session.new(kai, seed=0)
    session.start()
    assert session.reply("I can see how that would be difficult.").to_node == "middle"
    assert detect("You should update your resume.").label == "advice"
