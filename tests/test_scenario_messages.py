"""What an author reads for common slips: each message exact, at the line and column of the mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.scenario.lint import lint_scenario
from bot.scenario.load import ScenarioError, parse_scenario

MINI = (Path(__file__).parent / "data" / "scenarios" / "mini.yaml").read_text(encoding="utf-8")
LIBYAML = hasattr(yaml, "CSafeLoader")
# PyYAML words a block-indentation error differently with and without libyaml.
NO_KEY = "did not find expected key" if LIBYAML else "expected <block end>, but found '<block mapping start>'"
COLON = "in this context" if LIBYAML else "here"

SAYS_DEEPER = """\
    says:
      - "Twenty years on that line, and now the gates are chained."
      - "I drove past the plant this morning. Chained gates."
      - "Twenty years. Just like that."
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "x.yaml")
    return [str(p) for p in caught.value.problems]


def edit(old: str, new: str) -> str:
    assert old in MINI
    return MINI.replace(old, new, 1)


# --- YAML syntax errors point at the likely mistake ---------------------------------------------
SYNTAX = {
    "an unclosed quote is found where it opens, not where YAML gave up": (
        edit("title: Sam and the closed plant", "title: \"The first job that wasn't"),
        "x.yaml:3:8: YAML syntax error: line 3 opens a quote that is probably never closed; "
        "close it on the same line (YAML could not read on at line 25, column 13)",
    ),
    "an unclosed single quote": (
        edit("title: Sam and the closed plant", "title: 'Sam and the closed plant"),
        "x.yaml:3:8: YAML syntax error: line 3 opens a quote that is probably never closed; "
        "close it on the same line (YAML could not read on at line 14, column 17)",
    ),
    "an unclosed quote inside brackets": (
        edit('advice: ["retrain as a welder"]', 'advice: ["retrain as a welder]'),
        "x.yaml:25:12: YAML syntax error: line 25 opens a quote that is probably never closed; "
        "close it on the same line (YAML could not read on at line 27, column 17)",
    ),
    "an unclosed quote on the last line": (
        MINI + 'extra: "oops\n',
        "x.yaml:99:8: YAML syntax error: line 99 opens a quote that is probably never closed; "
        "close it on the same line (YAML could not read on at line 100, column 1)",
    ),
    "a colon in plain text": (
        edit("title: Sam and the closed plant", "title: a: b"),
        f"x.yaml:3:9: YAML syntax error: mapping values are not allowed {COLON}; "
        "if this is text containing ': ', put the whole value in quotes",
    ),
    "says indented deeper than the rest of its node": (
        edit('  money:\n    says: ["The', '  money:\n      says: ["The'),
        f"x.yaml:56:5: YAML syntax error: {NO_KEY} (in the block that starts at line 31, column 3); "
        "line 55 is indented 6 spaces and line 56 4, yet they seem to belong to the same block: "
        "probably one of them is indented wrongly",
    ),
    "a multi-line says indented deeper": (
        edit(SAYS_DEEPER, "  " + SAYS_DEEPER.replace("\n    ", "\n      ")),
        f"x.yaml:36:5: YAML syntax error: {NO_KEY} (in the block that starts at line 31, column 3); "
        "line 32 is indented 6 spaces and line 36 4, yet they seem to belong to the same block: "
        "probably one of them is indented wrongly",
    ),
    "a line indented under one that opens no block": (
        edit("    feels: [fear]", "     feels: [fear]"),
        f"x.yaml:56:6: YAML syntax error: {NO_KEY} (in the block that starts at line 55, column 5); "
        "line 56 is indented more than line 55, which does not open a block: "
        "probably one of them is indented wrongly",
    ),
}


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_syntax_errors_say_what_to_fix(case: str) -> None:
    text, expected = SYNTAX[case]
    assert problems(text) == [expected]


def test_a_quoted_value_over_several_lines_is_not_blamed() -> None:
    # A legal two-line quote, then an unrelated slip: the hint is about the slip, not the quote.
    text = edit("summary: Sam lost", 'summary: "Sam lost\n  a job" \nfacilitator_notes: a: b\nx: Sam lost')
    assert problems(text) == [
        f"x.yaml:6:21: YAML syntax error: mapping values are not allowed {COLON}; "
        "if this is text containing ': ', put the whole value in quotes"
    ]


# --- values that make no sense -------------------------------------------------------------------
VALUES = {
    "a non-integer start value is one error, and the variable still counts as declared": (
        ("trust: 2\n", "trust: 2.5\n"),
        'x.yaml:21:10: variables "trust" should be a whole number, not a decimal number',
    ),
    "a negative age": (("age: 51", "age: -3"), "x.yaml:10:8: persona age -3 should be between 10 and 110"),
    "an age no client has": (
        ("age: 51", "age: 510"),
        "x.yaml:10:8: persona age 510 should be between 10 and 110",
    ),
    "a number as language": (
        ("language: en", "language: 42"),
        'x.yaml:5:11: language "42" should be a language code such as en or fr-CA',
    ),
    "a word as language": (
        ("language: en", "language: English"),
        'x.yaml:5:11: language "English" should be a language code such as en or fr-CA',
    ),
    "a number as a name": (
        ("name: Sam Okafor", "name: 42"),
        "x.yaml:8:9: persona name should be text, not a whole number (quote it if you mean the text)",
    ),
    "true/false as pronouns": (
        ("pronouns: he/him", "pronouns: yes"),
        "x.yaml:9:13: persona pronouns should be text, not true/false (quote it if you mean the text)",
    ),
}


@pytest.mark.parametrize("case", sorted(VALUES))
def test_bad_values_are_refused_once(case: str) -> None:
    (old, new), expected = VALUES[case]
    assert problems(edit(old, new)) == [expected]


def test_sensible_values_still_load() -> None:
    text = (
        edit("language: en", "language: fr-CA")
        .replace("age: 51", "age: 16")
        .replace("name: Sam Okafor", 'name: "42"')
    )
    sc = parse_scenario(text, "x.yaml")
    assert (sc.language, sc.persona.age, sc.persona.name) == ("fr-CA", 16, "42")


# --- lint says what is true, where it is --------------------------------------------------------
def lint(text: str, about: str) -> list[str]:
    """The lint warnings that mention `about` (mini.yaml has warnings of its own)."""
    return [str(p) for p in lint_scenario(parse_scenario(text, "x.yaml")) if about in p.message]


def test_a_variable_nothing_uses_is_declared_but_never_used() -> None:
    text = edit("  openness: 0\n", "  openness: 0\n  mood: 3\n")
    assert lint(text, "variable") == [
        'x.yaml:23:3: variable "mood" is declared but never used: no branch changes it and no `if` '
        "reads it; use it or remove it"
    ]


def test_a_variable_only_read_is_read_but_never_changed() -> None:
    text = edit("  openness: 0\n", "  openness: 0\n  mood: 3\n").replace("trust <= 0", "mood <= 0")
    assert lint(text, "variable") == [
        'x.yaml:23:3: variable "mood" is read by an `if` but no branch changes it (no `set:` or `add:`), '
        "so it always stays 3"
    ]


def test_a_meter_nothing_changes() -> None:
    text = edit("meter: trust", "meter: mood").replace("  openness: 0\n", "  openness: 0\n  mood: 3\n")
    assert lint(text, "variable") == [
        'x.yaml:23:3: variable "mood" is the meter but no branch changes it (no `set:` or `add:`), '
        "so the debrief always shows 3"
    ]


def test_branch_warnings_point_at_the_branch() -> None:
    text = edit(
        "      - when: {label: [advice, judgment]}", "      - says: [Mm.]\n      - when: {label: advice}"
    )
    assert lint(text, "never be taken") == [
        f'x.yaml:{line}:9: node "opening" branch {n} can never be taken: branch 2 before it always applies'
        for line, n in ((45, 3), (48, 4), (50, 5))
    ]


def test_a_list_name_without_its_dollar_is_pointed_at_in_its_rule() -> None:
    text = edit(
        "rules:\n", "words: {money: [severance]}\nrules:\n  - when: {mentions: [money]}\n    goto: money\n"
    )
    assert lint(text, "write") == [
        'x.yaml:28:5: rule 1 mentions the word "money", and there is a word list "money": '
        'write "$money" to use the list'
    ]
