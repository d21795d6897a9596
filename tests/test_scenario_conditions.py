"""Named word lists (`words:` and `mentions: [$money]`) and any-of conditions (`when: {any: [...]}`),
from the YAML an author writes to what the engine, the validator, the graph, lint and walk make of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from bot.detect import Detection
from bot.engine import Session
from bot.scenario.graph import to_dot, to_mermaid
from bot.scenario.lint import lint_scenario
from bot.scenario.load import ScenarioError, parse_scenario
from bot.scenario.model import WordList
from bot.scenario.playtest import run_tests, walk

CLIENT = """\
id: ana
title: Ana
summary: A test client for word lists and any-of conditions.
persona: {name: Ana}
max_turns: 6
time_up: out_of_time
variables: {trust: 2}
words:
  money: [severance, mortgage, bills, employment insurance]
  family: [kids, son, daughter]
rules:
  - when: {any: [{if: "trust <= 0"}, {label: judgment}]}
    goto: shutdown
start: intro
nodes:
  intro:
    says: ["They let me go on a Tuesday.", "Tuesday. Of all days.", "It was a Tuesday."]
    model_reply: "That sounds like it came out of nowhere."
    why: Reflecting the shock first.
    branches:
      - when: {mentions: [$money, redundancy]}
        goto: money
      - when: {if: "trust >= 2", any: [{label: empathy}, {mentions: $family}]}
        add: {trust: 1}
        goto: home
      - when: {label: advice}
        add: {trust: -1}
        says: ["Please. Not a list."]
      - when: {label: [open_question, closed_question, self_focus, reactivity]}
        says: ["Mm."]
    otherwise:
      says: ["Sorry, I lost my thread."]
  money:
    says: ["The severance runs out in May."]
    model_reply: "May is close. That sounds frightening."
    why: Reflect the fear, not the budget.
    branches:
      - when: {label: empathy}
        goto: breakthrough
      - when: {mentions: $money}
        says: ["I know. I know."]
    otherwise:
      goto: intro
  home:
    says: ["The kids don't know yet."]
    model_reply: "Keeping it from the kids sounds heavy."
    why: Name the weight of the secret.
    branches:
      - when: {label: empathy}
        goto: breakthrough
    otherwise:
      goto: intro
endings:
  breakthrough: {outcome: breakthrough, says: ["Thank you."]}
  shutdown: {outcome: shutdown, says: ["I have to go."]}
  out_of_time: {outcome: neutral, says: ["Time's up."]}
tests:
  - name: money talk, then warmth
    replies: ["What about the mortgage?", "That sounds really frightening."]
    expect: {path: [money, breakthrough], ending: breakthrough}
  - name: a judgment ends it through the any-of rule
    replies: ["At least you got a severance package, be grateful."]
    expect: {ending: shutdown}
  - name: saying nothing runs out the clock
    replies: [Okay., Mm., Right., Okay., Mm., Right.]
    expect: {ending: out_of_time}
"""


def stand_in(text: str, extra: Mapping[str, Sequence[str]] | None = None) -> Detection:
    """Reads the labels off the reply: `[empathy advice] ...` is empathy, with advice also present."""
    labels = text[1 : text.index("]")].split() if text.startswith("[") else ["neutral"]
    scores = {label: float(len(labels) - i) for i, label in enumerate(labels)}
    return Detection(label=labels[0], scores=scores)


@pytest.fixture(scope="module")
def ana():
    return parse_scenario(CLIENT, "ana.yaml")


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "ana.yaml")
    return [str(p) for p in caught.value.problems]


# --- loading ------------------------------------------------------------------------------------
def test_a_named_list_is_read_once_and_shared_by_the_conditions_that_name_it(ana) -> None:
    money = WordList("money", ("severance", "mortgage", "bills", "employment insurance"))
    assert ana.words["money"] == money
    first = ana.nodes["intro"].branches[0].when
    assert first.lists == (money,) and first.mentions == ("redundancy",)
    assert first.words == (*money.words, "redundancy")
    assert ana.nodes["money"].branches[1].when.lists[0] is first.lists[0]


def test_any_holds_alternatives_and_keeps_the_other_parts(ana) -> None:
    when = ana.nodes["intro"].branches[1].when
    assert [str(c) for c in when.checks] == ["trust >= 2"]
    assert [alt.label for alt in when.any] == [("empathy",), ()]
    assert [wl.name for wl in when.any[1].lists] == ["family"]


# --- validation ---------------------------------------------------------------------------------
BRANCH = '      - when: {if: "trust >= 2", any: [{label: empathy}, {mentions: $family}]}\n'
ANY = "nodes.intro.branches[2].when.any"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{mentions: [$money, redundancy]}",
            "{mentions: [$mony, redundancy]}",
            '21:27: mentions "$mony": there is no word list with that name (did you mean "$money"?)',
        ),
        (
            "{mentions: [$money, redundancy]}",
            "{mentions: [$pets, redundancy]}",
            '21:27: mentions "$pets": there is no word list with that name; '
            "declare it under `words:` at the top of the file",
        ),
        (
            BRANCH,
            BRANCH.replace("{label: empathy}", "{label: empathic}"),
            f'23:48: {ANY}[1].label: "empathic" is not a detector label (did you mean "empathy"?)',
        ),
        (
            BRANCH,
            BRANCH.replace("{label: empathy}", "{lable: empathy}"),
            f'23:41: unknown key "lable" in {ANY}[1] (did you mean "label"?)',
        ),
        (
            BRANCH,
            BRANCH.replace("$family", "$famly"),
            f'23:69: {ANY}[2].mentions "$famly": there is no word list with that name '
            '(did you mean "$family"?)',
        ),
        (
            BRANCH,
            BRANCH.replace("{label: empathy}", '{if: "trust =< 2"}'),
            f'23:45: {ANY}[1].if: cannot read the condition "trust =< 2"; write `variable op number`, '
            "e.g. `trust >= 3`, with op one of <= >= == != < >",
        ),
        (
            BRANCH,
            BRANCH.replace("{label: empathy}", '{if: "trst > 1"}'),
            '23:45: variable "trst" in if is not declared (did you mean "trust"?)',
        ),
        (
            BRANCH,
            BRANCH.replace("{label: empathy}", "{any: [{label: empathy}]}"),
            f"23:46: {ANY}[1].any: any inside any is not supported; put all the alternatives in one any, "
            "or split the branch in two",
        ),
        (
            BRANCH,
            BRANCH.replace("{label: empathy}", "{}"),
            f"23:40: {ANY}[1] is empty; an empty condition always holds, so the any would too",
        ),
        (
            BRANCH,
            BRANCH.replace("[{label: empathy}, {mentions: $family}]", "[]"),
            f"23:39: {ANY} is an empty list; give the alternatives, one of which must hold",
        ),
        (
            BRANCH,
            BRANCH.replace("[{label: empathy}, {mentions: $family}]", "{label: empathy}"),
            f"23:39: {ANY} should be a list of conditions, e.g. any: [{{label: empathy}}, {{has: advice}}], "
            "not a mapping (key: value lines)",
        ),
        (
            '{if: "trust <= 0"}, {label: judgment}',
            '{if: "trust <= 0"}, {label: judgement}',
            '12:46: rules[1].when.any[2].label: "judgement" is not a detector label '
            '(did you mean "judgment"?)',
        ),
        (
            "family: [kids, son, daughter]",
            "family: [kids, son, $money]",
            '10:23: word list "family" includes "$money"; a list holds words, not other lists '
            "(name both lists in the condition instead)",
        ),
        (
            "family: [kids, son, daughter]",
            "family: []",
            '10:11: word list "family" is empty; give at least one word',
        ),
        (
            "  family: [kids",
            "  2pets: [dog]\n  family: [kids",
            '10:3: word list "2pets" should start with a letter and use only letters, digits, _ and -',
        ),
    ],
)
def test_each_mistake_is_named_with_its_place(old: str, new: str, message: str) -> None:
    assert old in CLIENT
    assert problems(CLIENT.replace(old, new, 1)) == [f"ana.yaml:{message}"]  # and nothing else


def test_a_dollar_amount_is_a_word_not_a_list() -> None:
    sc = parse_scenario(CLIENT.replace("$money, redundancy", "$money, $500"), "ana.yaml")
    assert sc.nodes["intro"].branches[0].when.mentions == ("$500",)


# --- the engine ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reply", "vars_", "node", "branch", "trust"),
    [
        # A named list: any of its words, whole words, any case; mixed with a literal word.
        ("[neutral] The MORTGAGE is due.", {}, "money", 'branch 1 (mentions $money or "redundancy")', 2),
        ("[neutral] Was it a redundancy?", {}, "money", "branch 1", 2),
        ("[neutral] Any Employment Insurance yet?", {}, "money", "branch 1", 2),
        ("[neutral] mortgages are hard", {}, "intro", "otherwise", 2),
        # any: one alternative is enough (empathy, or mentions the family)...
        ("[empathy] that sounds hard", {}, "home", "branch 2 (trust >= 2 and either (label empathy) or", 3),
        ("[open_question] how are the kids?", {}, "home", "branch 2", 3),
        # ...but the other parts must hold too: with trust 1, neither alternative helps.
        ("[empathy] that sounds hard", {"trust": 1}, "intro", "otherwise", 1),
        ("[open_question] how are the kids?", {"trust": 1}, "intro", "branch 4", 1),
        # An any-of rule: the label alternative...
        ("[judgment] be grateful", {}, "shutdown", "rule 1", 2),
    ],
)
def test_a_reply_is_routed_by_named_lists_and_any(ana, reply, vars_, node, branch, trust) -> None:
    session = Session.new(ana, detector=stand_in, variables=vars_)
    session.start()
    result = session.reply(reply)
    assert (result.to_node, result.vars["trust"]) == (node, trust)
    assert result.branch.startswith(branch)


def test_a_rule_with_a_variable_inside_any_takes_over_after_a_branch(ana) -> None:
    # ...and the variable alternative, re-checked after advice takes trust from 1 to 0.
    session = Session.new(ana, detector=stand_in, variables={"trust": 1})
    session.start()
    result = session.reply("[advice] make a budget")
    assert result.ending == "shutdown"
    assert "then rule 1 (either (trust <= 0) or (label judgment))" in result.branch


def test_the_real_detector_and_the_bundled_tests_agree(ana) -> None:
    assert [(r.name, r.difference) for r in run_tests(ana) if not r.passed] == []


# --- author tools ---------------------------------------------------------------------------------
def test_the_graph_shows_list_names_and_alternatives(ana) -> None:
    mermaid = to_mermaid(ana)
    assert '-->|"mentions $money or #quot;redundancy#quot;"|' in mermaid
    assert '|"trust #gt;= 2 and either (label empathy) or (mentions $family); trust +1"|' in mermaid
    assert '|"either (trust #lt;= 0) or (label judgment)"|' in mermaid
    assert "employment insurance" not in mermaid  # the list's name stands for its words
    assert 'label="mentions $money or \\"redundancy\\""' in to_dot(ana)


def test_lint_warns_about_a_list_no_condition_names(ana) -> None:
    text = CLIENT.replace("family: [kids, son, daughter]", "family: [kids, son, daughter]\n  pets: [dog]")
    warnings = [str(p) for p in lint_scenario(parse_scenario(text, "ana.yaml"))]
    assert warnings == [
        'ana.yaml:11:3: word list "pets" is not used by any condition; name it in a `mentions:` as "$pets", '
        "or remove it"
    ]


def test_lint_warns_about_a_list_name_written_without_its_dollar(ana) -> None:
    text = CLIENT.replace("{mentions: $family}", "{mentions: family}")
    warnings = [str(p) for p in lint_scenario(parse_scenario(text, "ana.yaml"))]
    assert warnings == [
        'ana.yaml:10:3: word list "family" is not used by any condition; name it in a `mentions:` as '
        '"$family", or remove it',
        'ana.yaml:23:9: node "intro" branch 2 mentions the word "family", and there is a word list "family": '
        'write "$family" to use the list',
    ]


def test_lint_counts_what_alternatives_read(ana) -> None:
    # trust and judgment are read only inside `any`; lint must not call them unused.
    assert [str(p) for p in lint_scenario(ana)] == []


def test_walk_reaches_branches_behind_lists_and_alternatives(ana) -> None:
    report = walk(ana, runs=200, seed=3)
    assert not report.errors
    assert [key for key in report.all_branches if not report.branches_taken[key]] == []
    assert set(report.endings) == {"breakthrough", "shutdown", "out_of_time"}


PIP = """\
id: pip
title: Pip
summary: Only a warm reply about the pets gets through.
persona: {name: Pip}
max_turns: 4
time_up: out_of_time
words: {pets: [hamster, goldfish]}
start: chat
nodes:
  chat:
    says: ["My hamster died.", "The goldfish is next, probably.", "Sorry. It's silly."]
    branches:
      - when: {label: empathy, any: [{mentions: $pets}, {mentions: [zucchini]}]}
        goto: done
    otherwise:
      says: ["Mm."]
endings:
  done: {outcome: breakthrough, says: ["Thanks."]}
  out_of_time: {outcome: neutral, says: ["Bye."]}
"""


def test_walk_aims_a_reply_at_an_alternative_it_has_to_build() -> None:
    # Only "warmth + a pet word" (or zucchini) takes the branch; no reply in the bank is both.
    report = walk(parse_scenario(PIP, "pip.yaml"), runs=50, seed=1)
    assert report.branches_taken["chat branch 1"] > 0 and report.endings["done"] > 0
