"""`heard detect`: JSON lines from stdin, --explain for a person, and `eval` on a labelled CSV."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from bot.cli import main

SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "esconv-dev.csv"


def _run(capsys, monkeypatch, argv, stdin: bytes = b""):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_one_json_object_per_input_line(capsys, monkeypatch):
    replies = "That sounds really hard\nYou should update your resume\n\nWhat happened next?\n"
    code, out, _ = _run(capsys, monkeypatch, ["detect"], replies.encode())
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["label"] for d in lines] == ["empathy", "advice", "neutral", "open_question"]
    first = lines[0]
    assert {"label", "scores", "evidence"} <= set(first)
    assert first["evidence"][0] == {
        "label": "empathy",
        "text": "That sounds really hard",
        "start": 0,
        "end": 23,
        "rule": "empathy/reflection",
        "cancelled": False,
    }


def test_bytes_that_are_not_utf8_do_not_stop_the_batch(capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, ["detect"], b"caf\xe9 sounds hard\nYou should rest\n")
    assert code == 0
    assert [json.loads(line)["label"] for line in out.splitlines()] == ["empathy", "advice"]


def test_explain_marks_the_evidence_and_says_why(capsys, monkeypatch):
    code, out, _ = _run(
        capsys, monkeypatch, ["detect", "--explain", "I hear you, but you should update your CV"]
    )
    assert code == 0
    assert "[I hear you](empathy)" in out
    assert "[you should](advice)" in out
    assert "Label:  advice" in out
    assert "after 'but'" in out


def test_explain_with_several_replies_explains_each(capsys, monkeypatch):
    code, out, err = _run(
        capsys, monkeypatch, ["detect", "--explain", "That sounds hard", "You should quit", "What happened?"]
    )
    assert (code, err) == (0, "")
    assert [line for line in out.splitlines() if line.startswith("Label:")] == [
        "Label:  empathy",
        "Label:  advice",
        "Label:  open_question",
    ]


def test_explain_lists_cancelled_cues(capsys, monkeypatch):
    _, out, _ = _run(capsys, monkeypatch, ["detect", "--explain", "I never said you should quit"])
    assert "Cues cancelled:" in out
    assert "negated by 'never'" in out


def _csv(tmp_path: Path, rows: list[tuple[str, str]], header=("text", "label")) -> Path:
    import csv

    path = tmp_path / "replies.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_eval_prints_per_label_scores_confusion_and_misses(capsys, monkeypatch, tmp_path):
    path = _csv(
        tmp_path,
        [
            ("That sounds really hard", "empathy"),
            ("You should update your resume", "advice"),
            ("What happened?", "open_question"),
            ("Have you tried networking?", "empathy"),  # a miss: it is advice
        ],
    )
    code, out, _ = _run(capsys, monkeypatch, ["detect", "eval", str(path)])
    assert code == 0
    assert "macro-F1" in out and "accuracy 0.750" in out
    assert "Confusion" in out
    assert "gold empathy → detected advice" in out
    assert "Have you tried networking?" in out


def test_eval_with_a_label_map_file_and_json_output(capsys, monkeypatch, tmp_path):
    path = _csv(
        tmp_path,
        [("That sounds hard", "Reflection"), ("Try yoga", "Tip"), ("ok", "Chit")],
        header=("reply", "kind"),
    )
    label_map = tmp_path / "map.yaml"
    label_map.write_text(
        "classes: [empathy, advice, other]\n"
        "gold: {Reflection: empathy, Tip: advice, Chit: null}\n"
        "predicted: {open_question: other, closed_question: other, self_focus: other, judgment: other,\n"
        "            reactivity: other, neutral: other}\n"
    )
    argv = [
        "detect",
        "eval",
        str(path),
        "--text-col",
        "reply",
        "--label-col",
        "kind",
        "--map",
        str(label_map),
        "--json",
    ]
    code, out, _ = _run(capsys, monkeypatch, argv)
    assert code == 0
    report = json.loads(out)
    assert report["total"] == 2 and report["skipped"] == {"Chit": 1}
    assert report["accuracy"] == 1.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["detect", "eval", "nope.csv"], "cannot read nope.csv"),
        (["detect", "eval", "{csv}", "--label-col", "strategy"], "no column 'strategy'"),
        (["detect", "eval", "{csv}", "--map", "nothing-like-this"], "no label map 'nothing-like-this'"),
        (["detect", "eval", "{csv}", "--map", "{bad_map}"], "not one of"),
    ],
)
def test_eval_errors_say_what_and_where_without_a_traceback(capsys, monkeypatch, tmp_path, argv, message):
    path = _csv(tmp_path, [("hi", "neutral")])
    bad_map = tmp_path / "bad.yaml"
    bad_map.write_text("classes: [a]\ngold: {x: b}\n")
    argv = [a.format(csv=path, bad_map=bad_map) for a in argv]
    code, out, err = _run(capsys, monkeypatch, argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_eval_on_the_shipped_esconv_map(capsys, monkeypatch, tmp_path):
    path = _csv(
        tmp_path,
        [
            ("So you feel stuck.", "Restatement or Paraphrasing"),
            ("Bye!", "Others"),
            ("Don't worry, it will be fine", "Affirmation and Reassurance"),
        ],
        header=("text", "strategy"),
    )
    code, out, _ = _run(
        capsys, monkeypatch, ["detect", "eval", str(path), "--label-col", "strategy", "--map", "esconv"]
    )
    assert code == 0
    assert "2 rows scored with the esconv map; 1 not scored" in out


@pytest.mark.skipif(not SHARED_DEV.exists(), reason="../shared/data/esconv-dev.csv is not present")
def test_dev_set_macro_f1_does_not_regress(capsys, monkeypatch):
    argv = ["detect", "eval", str(SHARED_DEV), "--label-col", "strategy", "--map", "esconv", "--json"]
    code, out, _ = _run(capsys, monkeypatch, argv)
    assert code == 0
    report = json.loads(out)
    print(f"\nESConv dev macro-F1 {report['macro_f1']:.3f}, accuracy {report['accuracy']:.3f}")
    assert report["macro_f1"] >= 0.60


def test_replies_given_as_arguments_are_labelled_one_json_line_each(capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, ["detect", "That sounds really hard", "You should quit"])
    assert code == 0
    assert [json.loads(line)["label"] for line in out.splitlines()] == ["empathy", "advice"]


def test_a_reply_that_reads_like_a_command_word_is_still_a_reply(capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, ["-v", "detect", "Update your CV"])
    assert code == 0
    assert json.loads(out)["label"] == "advice"


def test_eval_without_a_map_uses_the_shipped_one_when_the_labels_are_its_own(capsys, monkeypatch, tmp_path):
    path = _csv(
        tmp_path,
        [
            ("That sounds really hard", "Reflection of feelings"),
            ("You should update your resume", "Providing Suggestions"),
            ("What happened?", "Question"),
            ("You've got this, don't worry", "Affirmation and Reassurance"),
        ],
        header=("text", "strategy"),
    )
    code, out, err = _run(capsys, monkeypatch, ["detect", "eval", str(path), "--label-col", "strategy"])
    assert code == 0
    assert "scored with the shipped esconv map" in err
    assert "3 rows scored with the esconv map; 1 not scored" in out
    assert "accuracy 1.000" in out
    assert "Worst misses" not in out


def test_eval_without_a_map_on_unknown_labels_says_which_labels_it_saw(capsys, monkeypatch, tmp_path):
    path = _csv(tmp_path, [("That sounds hard", "Reflection"), ("Try yoga", "Tip")])
    code, _, err = _run(capsys, monkeypatch, ["detect", "eval", str(path)])
    assert code == 1
    assert "labels seen: Reflection, Tip" in err and "--map" in err


def test_eval_averages_over_the_classes_the_file_or_the_detector_uses(capsys, monkeypatch, tmp_path):
    path = _csv(tmp_path, [("That sounds really hard", "empathy"), ("What happened?", "open_question")])
    code, out, _ = _run(capsys, monkeypatch, ["detect", "eval", str(path)])
    assert code == 0
    assert "macro-F1 1.000" in out and "over the 2 classes" in out
    assert "2 rows scored" in out


def test_eval_names_the_line_of_a_quote_that_is_never_closed(capsys, monkeypatch, tmp_path):
    path = tmp_path / "replies.csv"
    path.write_text('text,label\nThat sounds hard,empathy\n"You should quit,advice\nHi,neutral\n')
    code, out, err = _run(capsys, monkeypatch, ["detect", "eval", str(path)])
    assert (code, out) == (2, "")
    assert f"{path}: line 3: a quote opens a field there and is never closed" in err
    assert "Traceback" not in err


def test_eval_suggests_the_label_a_typo_meant(capsys, monkeypatch, tmp_path):
    path = _csv(tmp_path, [("That sounds really hard", "empathy"), ("You should quit", "empthy")])
    code, out, err = _run(capsys, monkeypatch, ["detect", "eval", str(path)])
    assert code == 0
    assert "1 row scored" in out
    assert 'not scored: "empthy" (1 row): did you mean "empathy"?' in err
