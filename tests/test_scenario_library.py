"""The bundled library (scenarios/) as a learner and a facilitator rely on it: every client loads
clean, passes its own expected conversations, and every ending can really be reached."""

from __future__ import annotations

import pytest

from bot.detect import detect
from bot.scenario.lint import lint_scenario
from bot.scenario.load import BUNDLED_DIR, load_folder
from bot.scenario.playtest import run_tests, walk

LIBRARY = load_folder(BUNDLED_DIR)
IDS = sorted(LIBRARY.scenarios)


def test_the_library_loads_without_errors_and_has_at_least_six_clients():
    assert [str(p) for p in LIBRARY.errors] == []
    assert len({sc.persona.name for sc in LIBRARY}) >= 6
    assert {sc.difficulty for sc in LIBRARY} >= {"beginner", "advanced"}


@pytest.mark.parametrize("scenario_id", IDS)
def test_lint_finds_no_errors(scenario_id):
    problems = lint_scenario(LIBRARY.scenarios[scenario_id])
    assert [str(p) for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_scenarios_own_conversations_pass_and_cover_every_ending(scenario_id):
    sc = LIBRARY.scenarios[scenario_id]
    results = run_tests(sc)
    assert [r for r in results if not r.passed] == []
    assert {t.expect_ending for t in sc.tests if t.expect_ending} == set(sc.endings)


@pytest.mark.parametrize("scenario_id", IDS)
def test_random_playthroughs_reach_every_ending(scenario_id):
    report = walk(LIBRARY.scenarios[scenario_id], runs=200, seed=0)
    assert report.errors == []
    assert set(report.endings) == set(LIBRARY.scenarios[scenario_id].endings)


@pytest.mark.parametrize("scenario_id", IDS)
def test_a_client_is_a_person_with_enough_to_say(scenario_id):
    sc = LIBRARY.scenarios[scenario_id]
    assert len(sc.nodes) >= 10
    assert len(sc.nodes[sc.start].says) >= 3
    assert {e.outcome for e in sc.endings.values()} >= {"breakthrough", "shutdown"}
    assert sc.meter_var in sc.variables


@pytest.mark.parametrize("scenario_id", IDS)
def test_typing_the_model_reply_counts_as_listening(scenario_id):
    """A learner who types the debrief's suggested reply must be heard as empathic or curious."""
    sc = LIBRARY.scenarios[scenario_id]
    off = {
        node.id: detect(node.model_reply, sc.phrases).label
        for node in sc.nodes.values()
        if node.model_reply and detect(node.model_reply, sc.phrases).label not in ("empathy", "open_question")
    }
    assert off == {}
