"""The author tools on small fixtures: lint warnings, graphs, expected-conversation tests, random walks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.scenario.graph import to_dot, to_mermaid
from bot.scenario.lint import lint_scenario
from bot.scenario.load import load_scenario, parse_scenario
from bot.scenario.playtest import reply_bank, run_test, run_tests, walk

DATA = Path(__file__).parent / "data" / "scenarios"
MINI = DATA / "mini.yaml"


def messages(path: Path) -> list[str]:
    return [p.message for p in lint_scenario(load_scenario(path))]


# --- lint ---------------------------------------------------------------------------------------
def test_lint_names_each_weakness_with_its_place() -> None:
    problems = lint_scenario(load_scenario(DATA / "lint-me.yaml"))
    assert all(p.severity == "warning" for p in problems)
    assert str(problems[1]) == (
        f'{DATA / "lint-me.yaml"}:8:23: variable "mood" is changed but never read by an `if`; '
        "use it or remove it"
    )
    text = "\n".join(p.message for p in problems)
    assert 'node "hello" has one line but the learner may hear it more than once' in text
    assert 'node "loop" can be left only through `otherwise`' in text
    assert 'node "loop2" is a dead end' in text
    assert 'node "hallway" branch 2 can never be taken: branch 1 before it always applies' in text
    assert 'node "loop" has no model_reply' in text
    assert 'node "hello" has a model_reply but no `why`' in text
    assert 'ending "done" is not reached by any test' in text
    assert (
        "no branch looks at the labels open_question, closed_question, self_focus, judgment, reactivity"
        in text
    )


def test_lint_is_quiet_about_what_is_done_well() -> None:
    text = "\n".join(messages(MINI))
    assert "opening" not in text  # three variants, a model reply and a why, several ways out
    assert "variable" not in text  # trust and openness are both read by an `if`
    assert 'ending "breakthrough"' not in text and 'ending "shutdown"' not in text  # tests reach them


# --- graph --------------------------------------------------------------------------------------
def test_mermaid_graph_labels_branches_and_colours_endings() -> None:
    out = to_mermaid(load_scenario(MINI))
    assert out.splitlines()[1] == "flowchart TD"
    # branches between the same two nodes share an arrow; the note is shown
    assert (
        '-->|"label empathy; trust +1 (Sam relaxes when he feels heard.)<br/>mentions #quot;severance#quot;"|'
        in out
    )
    assert '|"label advice or judgment; trust -1<br/>' in out  # reactions that stay: a loop
    assert '|"trust #lt;= 0"|' in out  # the global rule, escaped for Mermaid
    assert ":::shutdown" in out and "classDef shutdown fill:#f4b6b6" in out
    assert '-.->|"after 6 turns"|' in out


def test_mermaid_ids_survive_awkward_node_names() -> None:
    text = MINI.read_text().replace("money", "end").replace('"end"', '"money"')
    out = to_mermaid(parse_scenario(text))
    assert "<b>end</b>" in out
    assert not any(line.strip().startswith("end") for line in out.splitlines())


def test_dot_graph() -> None:
    out = to_dot(load_scenario(MINI))
    assert out.startswith('digraph "mini-sam" {') and out.endswith("}")
    assert '"opening" -> "money" [label="label empathy; trust +1 (Sam relaxes when he feels heard.)\\n' in out
    assert 'fillcolor="#b7e4c7"' in out  # breakthrough is green
    assert '"opening" -> "opening" [label="otherwise", style=dashed];' in out


# --- expected conversations --------------------------------------------------------------------
def test_the_fixture_tests_pass() -> None:
    results = run_tests(load_scenario(MINI))
    assert [r.passed for r in results] == [True, True]
    assert results[0].path == ("money", "breakthrough")


def test_a_failing_test_reports_the_first_difference() -> None:
    sc = load_scenario(MINI)
    wrong = replace(sc.tests[0], replies=("You should retrain as a welder.", "What worries you?"))
    result = run_test(sc, wrong)
    assert not result.passed
    assert result.difference.startswith(
        'after reply 1 ("You should retrain as a welder.") expected "money" but went to "opening" '
        "(detected advice;"
    )


def test_expected_ending_and_variables_are_checked() -> None:
    sc = load_scenario(MINI)
    test = sc.tests[0]
    assert run_test(sc, replace(test, expect_nodes=(), expect_vars={"trust": 9})).difference == (
        "expected trust = 9 at the end but it is 4"
    )
    short = replace(test, replies=test.replies[:1], expect_nodes=("money",))
    assert (
        run_test(sc, short).difference
        == 'expected ending "breakthrough" but the conversation is still at "money"'
    )


def test_replies_after_the_end_are_a_failure() -> None:
    sc = load_scenario(MINI)
    test = replace(sc.tests[1], replies=(*sc.tests[1].replies, "Hello?"))
    assert (
        run_test(sc, test).difference
        == 'reply 2 ("Hello?") is never used: the session already ended at "shutdown"'
    )


def test_tests_can_start_anywhere_with_given_variables() -> None:
    sc = load_scenario(MINI)
    assert run_test(sc, sc.tests[1]).passed  # starts at "money" with trust 1


# --- random walks ------------------------------------------------------------------------------
def test_walk_covers_the_fixture_and_is_repeatable() -> None:
    sc = load_scenario(MINI)
    report = walk(sc, runs=200, seed=7)
    assert set(report.endings) == {"breakthrough", "shutdown", "out_of_time"}
    assert report.nodes_seen >= set(sc.nodes)
    assert all(report.branches_taken[key] for key in report.all_branches)
    assert not report.errors
    assert walk(sc, runs=200, seed=7).render() == report.render()
    assert walk(sc, runs=200, seed=8).render() != report.render()


def test_walk_reports_runs_that_hit_the_turn_limit() -> None:
    report = walk(load_scenario(DATA / "lint-me.yaml"), runs=50)
    text = report.render()
    assert report.timed_out
    assert "runs that hit the turn limit (4) without an ending:" in text
    assert "never taken: hallway branch 2 (label advice → done)" in text


def test_the_reply_bank_has_every_label() -> None:
    from bot.detect.labels import LABELS

    bank = reply_bank()
    assert set(LABELS) <= set(bank)
    assert all(len(bank[label]) >= 3 for label in LABELS)


def test_the_reply_bank_mostly_says_what_it_means() -> None:
    """A walk is only as good as its replies: nearly all should get the label they are filed under."""
    from bot.detect import detect

    pairs = [
        (label, reply)
        for label, replies in reply_bank().items()
        if label != "mention_templates"
        for reply in replies
    ]
    wrong = [(label, reply, detect(reply).label) for label, reply in pairs if detect(reply).label != label]
    assert len(wrong) <= len(pairs) // 10, wrong
