"""The author's guide (docs/scenarios.md) stays true: its full example is valid, lint-clean and tested."""

from __future__ import annotations

import re
from pathlib import Path

from bot.scenario.graph import to_mermaid
from bot.scenario.lint import lint_scenario
from bot.scenario.load import BUNDLED_DIR, load_scenario, parse_scenario
from bot.scenario.playtest import run_tests, walk

GUIDE = Path(__file__).parents[1] / "docs" / "scenarios.md"


def example_text() -> str:
    match = re.search(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert match, "docs/scenarios.md should open with a ```yaml example"
    return match.group(1)


def test_the_guide_example_is_valid_and_lint_clean() -> None:
    sc = parse_scenario(example_text(), "docs/scenarios.md")
    assert sc.id == "dana-example"
    assert [str(p) for p in lint_scenario(sc)] == []


def test_the_guide_example_tests_pass_and_cover_every_ending() -> None:
    sc = parse_scenario(example_text(), "docs/scenarios.md")
    results = run_tests(sc)
    assert [(r.name, r.difference) for r in results if not r.passed] == []
    assert {t.expect_ending for t in sc.tests} >= set(sc.endings)
    assert set(walk(sc, runs=200).endings) == set(sc.endings)


def test_the_guide_shows_a_mermaid_graph() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert "```mermaid\n%% " in text and "flowchart TD" in text


def test_the_guide_graph_is_the_bundled_scenarios_current_graph() -> None:
    """The guide shows named word lists by name (`mentions $money`); regenerate it when the file changes."""
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"<!-- graph:begin[^\n]*\n```mermaid\n(.*?)\n```\n<!-- graph:end -->", text, re.S)
    assert match, "docs/scenarios.md should hold the graph between graph:begin and graph:end"
    graph = to_mermaid(load_scenario(BUNDLED_DIR / "laid-off-after-twelve-years.yaml"))
    assert match.group(1) == graph
    assert '|"label empathy and mentions $money; trust +1<br/>mentions $money"|' in graph
