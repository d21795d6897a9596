"""The lexicon is data: phrase syntax, word sets, typos, and clear errors for a broken file."""

from __future__ import annotations

import pytest

from bot.detect.evaluate import LabelMap, MapError, evaluate
from bot.detect.lexicon import LexiconError, compile_lexicon, default_data, parse_lexicon_text
from bot.detect.matcher import analyse
from bot.detect.model import Detection
from bot.detect.phrases import expand


def test_phrase_syntax_expands_alternatives_optional_words_and_word_sets():
    assert expand("(can|could) see [how]", {}) == ["can see", "can see how", "could see", "could see how"]
    assert expand("thanks (so much )?for", {}) == ["thanks for", "thanks so much for"]
    assert expand("i am {f}", {"f": ["sad", "fed up"]}) == ["i am fed up", "i am sad"]
    assert expand("Don’t WORRY", {}) == ["dont worry"]


def test_a_big_word_set_at_the_end_of_a_phrase_stays_a_slot():
    feelings = [f"word{i}" for i in range(12)]
    assert expand("you feel {f}", {"f": feelings}) == ["you feel @f"]


def _tiny(**extra):
    data = {
        "settings": {"negation_window": 3},
        "negators": ["not"],
        "aliases": {"u": "you"},
        "words": {"intens": ["really"]},
        "labels": {
            "advice": [{"name": "tip", "phrases": ["you should"]}],
            "empathy": [{"name": "reflection", "phrases": ["sounds ~ hard"]}],
        },
    }
    data.update(extra)
    return compile_lexicon(data)


def test_a_lexicon_can_be_compiled_from_plain_data():
    lex = _tiny()
    labels = [c.label for c in analyse("u should go, it sounds really hard", lexicon=lex).cues]
    assert labels == ["advice", "empathy"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"labels": {"kindness": [{"phrases": ["x"]}]}}, "not a detector label"),
        ({"labels": {"advice": {"phrases": ["x"]}}}, "expected a list of groups"),
        ({"labels": {"advice": [{"phrase": ["x"]}]}}, "expected a mapping with a `phrases:` list"),
        ({"labels": {"advice": [{"phrases": ["you (should"]}]}}, 'missing ")"'),
        ({"labels": {"advice": [{"phrases": ["you {nope}"]}]}}, "unknown word set {nope}"),
        ({"labels": {"advice": [{"phrases": ["x"], "negated": "happy"}]}}, "is not a label"),
        ({"labels": {"advice": [{"phrases": ["x"], "wieght": 2}]}}, "unknown key(s) wieght"),
        ({"negators": ["not", False]}, 'put words like "no" or "yes" in quotes'),
        ({"aliases": {"u": "you all"}}, "one word for one word"),
    ],
)
def test_a_broken_lexicon_says_which_section_and_entry(change, message):
    with pytest.raises(LexiconError, match=None) as info:
        _tiny(**change)
    assert message in str(info.value)


def test_invalid_yaml_is_a_lexicon_error():
    with pytest.raises(LexiconError, match="not valid YAML"):
        parse_lexicon_text("labels: [unclosed")


def test_the_shipped_lexicon_has_a_section_for_every_label():
    from bot.detect.labels import LABELS

    assert set(default_data()["labels"]) == set(LABELS)


def test_evaluation_scores_precision_recall_and_f1_per_class():
    label_map = LabelMap.from_data(
        {
            "classes": ["empathy", "advice", "other"],
            "gold": {"E": "empathy", "A": "advice", "X": None},
            "predicted": {
                lab: "other"
                for lab in (
                    "open_question",
                    "closed_question",
                    "self_focus",
                    "judgment",
                    "reactivity",
                    "neutral",
                )
            },
        }
    )
    verdicts = {"good": "empathy", "tip": "advice", "oops": "advice"}

    def fake(text: str) -> Detection:
        return Detection(label=verdicts[text], scores={verdicts[text]: 1.0})

    report = evaluate([("good", "E"), ("tip", "A"), ("oops", "E"), ("skip", "X")], label_map, fake)
    assert report.total == 3 and report.skipped == {"X": 1}
    precision, recall, f1, support = report.per_class()["advice"]
    assert (precision, recall, support) == (0.5, 1.0, 1)
    assert f1 == pytest.approx(2 / 3)
    assert report.per_class()["empathy"][:2] == (1.0, 0.5)
    assert report.misses[("empathy", "advice")][0].text == "oops"


def test_a_label_map_must_name_a_class_for_every_heard_label():
    with pytest.raises(MapError, match="must give a class for"):
        LabelMap.from_data({"classes": ["a"], "gold": {}, "predicted": {}})


def test_the_esconv_map_scores_question_labels_as_one_class():
    esconv = LabelMap.builtin("esconv")
    assert esconv.predicted["open_question"] == esconv.predicted["closed_question"] == "question"
    assert esconv.gold_class("Affirmation and Reassurance") is None


def _groups():
    for label, section in default_data()["labels"].items():
        for group in section:
            yield label, group


@pytest.mark.parametrize(
    ("rule", "example"),
    [(f"{label}/{group['name']}", example) for label, group in _groups() for example in group["examples"]],
)
def test_every_lexicon_group_fires_on_its_own_examples(rule, example):
    from bot.detect import detect

    fired = [e.rule.split(" (")[0] for e in detect(example).evidence if not e.cancelled]
    assert rule in fired, f"{example!r} did not fire {rule} (fired: {fired})"


def test_every_lexicon_group_has_a_name_and_examples():
    for label, group in _groups():
        assert group.get("name"), f"a group of {label} has no name"
        assert group.get("examples"), f"{label}/{group['name']} has no examples"
