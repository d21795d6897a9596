"""Loading scenario files: every problem named with path:line:column, and a library that survives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.scenario.load import (
    MAX_BYTES,
    ScenarioError,
    find_scenario,
    load_folder,
    load_scenario,
    parse_scenario,
)
from bot.scenario.problems import Problem

DATA = Path(__file__).parent / "data"
MINI = DATA / "scenarios" / "mini.yaml"
BROKEN = DATA / "broken"
LIBYAML = hasattr(yaml, "CSafeLoader")

# Each broken fixture and the first (or only) message it must give, exactly as printed.
EXPECTED = {
    "unknown-key.yaml": '4:1: unknown key "sumary" in the scenario (did you mean "summary"?)',
    "wrong-type.yaml": "18:12: max_turns should be a whole number, not text",
    "missing-field.yaml": '2:1: the scenario is missing "title"',
    "bad-goto.yaml": '42:15: goto "mony": there is no node or ending with that id (did you mean "money"?)',
    "bad-label.yaml": '44:32: "judgement" is not a detector label (did you mean "judgment"?)',
    "bad-outcome.yaml": '75:14: ending "shutdown" outcome "shutdwn" is not one of: breakthrough, progress, '
    'neutral, shutdown (did you mean "shutdown"?)',
    "undeclared-var.yaml": '41:15: variable "trst" in add is not declared (did you mean "trust"?)',
    "empty-variants.yaml": '55:11: node "money" says is an empty list; give at least one line',
    "bad-if.yaml": '27:16: cannot read the condition "trust =< 0"; write `variable op number`, '
    "e.g. `trust >= 3`, with op one of <= >= == != < >",
    "time-up-node.yaml": '19:10: time_up must name an ending; "opening" is a node',
    "test-unknown-node.yaml": '92:12: test start "mone": there is no node with that id '
    '(did you mean "money"?)',
    # PyYAML words this differently with and without libyaml; both name the place and the missing ']'.
    "syntax.yaml": "3:1: YAML syntax error: "
    + ("did not find expected ',' or ']'" if LIBYAML else "expected ',' or ']', but got '<stream end>'"),
    "no-path-to-ending.yaml": '7:8: no path from start "hello" leads to an ending; add a goto to an ending '
    "(running out of turns should not be the only way out)",
    "unreachable-node.yaml": '14:3: node "limbo" is unreachable: no goto leads to it from start "hello"',
    "not-a-mapping.yaml": "1:1: the scenario should be a mapping (key: value lines), not a list",
}


def test_the_fixture_loads_with_every_feature() -> None:
    sc = load_scenario(MINI)
    assert sc.id == "mini-sam"
    assert sc.persona.name == "Sam Okafor" and sc.persona.age == 51
    assert list(sc.nodes) == ["opening", "money"] and set(sc.endings) == {
        "breakthrough",
        "shutdown",
        "out_of_time",
    }
    assert sc.variables == {"trust": 2, "openness": 0} and sc.meter_var == "trust"
    assert sc.phrases == {"advice": ("retrain as a welder",)}
    assert str(sc.rules[0].when.checks[0]) == "trust <= 0"
    opening = sc.nodes["opening"]
    assert len(opening.says) == 3 and opening.feels == ("shock", "grief")
    assert opening.branches[1].when.label == ("advice", "judgment")
    assert opening.branches[3].when.not_label == ("empathy", "open_question")
    assert opening.branches[3].when.has == ("self_focus",)
    assert opening.branches[2].when.mentions == ("severance",)
    assert opening.branches[0].note == "Sam relaxes when he feels heard."
    assert sc.nodes["money"].branches[0].set == {"openness": 1}
    assert sc.tests[1].start == "money" and sc.tests[1].vars == {"trust": 1}
    assert sc.tests[0].expect_nodes == ("money", "breakthrough") and sc.tests[0].expect_vars["openness"] == 1


def test_source_path_and_hash_are_kept() -> None:
    text = MINI.read_text(encoding="utf-8")
    sc = load_scenario(MINI)
    assert sc.source == text and sc.path == str(MINI)
    assert len(sc.content_hash) == 64
    assert parse_scenario(text + "\n# edited\n").content_hash != sc.content_hash


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_names_the_place_and_the_fix(name: str) -> None:
    path = BROKEN / name
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    messages = [str(p) for p in caught.value.problems]
    assert f"{path}:{EXPECTED[name]}" in messages


def test_every_broken_fixture_is_covered() -> None:
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BROKEN / "undeclared-var.yaml")
    assert [p.line for p in caught.value.problems] == [41, 62, 93]


def test_problem_prints_like_a_compiler_message() -> None:
    assert str(Problem("a.yaml", 3, 7, "bad thing")) == "a.yaml:3:7: bad thing"


def test_a_type_error_in_a_branch_does_not_hide_the_others() -> None:
    text = (
        MINI.read_text()
        .replace("add: {trust: 1}", "add: {trust: lots}")
        .replace("goto: money\n", "goto: nowhere\n", 1)
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "x.yaml")
    messages = [p.message for p in caught.value.problems]
    assert 'add "trust" should be a whole number, not text' in messages
    assert any(m.startswith('goto "nowhere"') for m in messages)


def test_duplicate_keys_and_ids_shared_by_a_node_and_an_ending() -> None:
    text = (
        MINI.read_text()
        .replace("language: en", "language: en\nlanguage: fr")
        .replace(
            "  out_of_time:\n    outcome",
            "  money:\n    outcome: neutral\n    says: [x]\n  out_of_time:\n    outcome",
        )
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "x.yaml")
    messages = [p.message for p in caught.value.problems]
    assert '"language" appears twice in the scenario; keep one' in messages
    assert '"money" appears twice in endings; names must be unique' not in messages
    assert any("same id as a node" in m for m in messages)


def test_an_empty_rule_condition_is_refused() -> None:
    text = MINI.read_text().replace('- when: {if: "trust <= 0"}', "- when: {}")
    with pytest.raises(ScenarioError, match="a rule needs a condition"):
        parse_scenario(text, "x.yaml")


def test_unsafe_yaml_tags_are_never_constructed() -> None:
    text = MINI.read_text().replace(
        "title: Sam and the closed plant", "title: !!python/object/apply:os.system [echo hi]"
    )
    with pytest.raises(ScenarioError, match="title should be text, not a list"):
        parse_scenario(text, "x.yaml")


def test_a_file_over_one_megabyte_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(MINI.read_text() + "#" * MAX_BYTES)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(big)
    assert "limited to 1 MB" in str(caught.value.problems[0])


def test_empty_and_non_utf8_files_give_a_message(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "latin.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    library = load_folder(tmp_path)
    messages = {Path(p.path).name: p.message for p in library.problems}
    assert messages["empty.yaml"].startswith("the file is empty")
    assert messages["latin.yaml"] == "the file is not UTF-8 text; save it as UTF-8"


def test_a_folder_with_a_broken_file_still_loads_the_others(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "mini.yaml")
    shutil.copy(BROKEN / "bad-goto.yaml", tmp_path / "bad-goto.yaml")
    library = load_folder(tmp_path)
    assert list(library.scenarios) == ["mini-sam"]
    assert library.errors and all(p.path.endswith("bad-goto.yaml") for p in library.errors)


def test_duplicate_ids_across_a_folder(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "a.yaml")
    shutil.copy(MINI, tmp_path / "b.yaml")
    library = load_folder(tmp_path)
    assert library.scenarios["mini-sam"].path == str(tmp_path / "a.yaml")
    [problem] = library.problems
    assert str(problem) == (
        f'{tmp_path / "b.yaml"}:2:5: duplicate scenario id "mini-sam" (also used by {tmp_path / "a.yaml"}); '
        "ids must be unique across the library"
    )


def test_a_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    library = load_folder(tmp_path / "nope")
    assert [p.message for p in library.problems] == ["no such file or folder"]


def test_find_scenario_by_id_or_path(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "sam.yaml")
    assert find_scenario("mini-sam", tmp_path).id == "mini-sam"
    assert find_scenario(MINI).id == "mini-sam"
    with pytest.raises(LookupError, match='no scenario with id "nobody"'):
        find_scenario("nobody", tmp_path)


def test_editor_lock_files_are_not_scenarios(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "sam.yaml")
    (tmp_path / ".#sam.yaml").write_text("not: [a scenario")
    library = load_folder(tmp_path)
    assert list(library.scenarios) == ["mini-sam"] and library.problems == []


def test_required_text_may_not_be_empty() -> None:
    text = MINI.read_text().replace("title: Sam and the closed plant", 'title: ""')
    with pytest.raises(ScenarioError, match="3:8: title is empty"):
        parse_scenario(text, "x.yaml")


def test_tabs_get_a_hint() -> None:
    with pytest.raises(ScenarioError, match="YAML does not allow tabs for indentation; use spaces"):
        parse_scenario("id: x\nnodes:\n\topening: {}\n", "x.yaml")
