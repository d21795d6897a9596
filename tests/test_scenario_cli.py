"""`heard scenarios …` from the command line: what it prints and the exit codes scripts rely on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main

DATA = Path(__file__).parent / "data"
MINI = DATA / "scenarios" / "mini.yaml"
BROKEN = DATA / "broken"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["scenarios", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_a_good_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(DATA / "scenarios"))
    assert code == 0
    assert out.strip() == "2 scenarios valid"


def test_validate_prints_every_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(BROKEN / "bad-goto.yaml"), str(MINI))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        f'{BROKEN / "bad-goto.yaml"}:42:15: goto "mony": there is no node or ending with that id '
        '(did you mean "money"?)'
    )
    assert lines[-1] == "1 scenario valid, 4 errors in 1 file"


def test_validate_the_whole_broken_folder_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(BROKEN))
    assert code == 1
    assert "Traceback" not in out + err
    assert len({line.split(":")[0] for line in out.splitlines()[:-1]}) == len(list(BROKEN.glob("*.yaml")))


def test_validate_defaults_to_scenarios_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(MINI, tmp_path / "scenarios" / "sam.yaml")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "validate")[:2] == (0, "1 scenario valid\n")


def test_validate_an_empty_folder_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 1 and "no scenario files" in err


def test_lint_warns_but_exits_0_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "scenarios" / "lint-me.yaml")
    code, out, _ = run(capsys, "lint", path)
    assert code == 0
    assert f'{path}:8:23: warning: variable "mood" is changed but never read' in out
    assert run(capsys, "lint", "--strict", path)[0] == 1
    assert run(capsys, "lint", str(BROKEN / "bad-label.yaml"))[0] == 1


def test_graph_by_id_or_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "graph", str(MINI))
    assert code == 0 and "flowchart TD" in out
    (tmp_path / "scenarios").mkdir()
    shutil.copy(MINI, tmp_path / "scenarios" / "sam.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "graph", "mini-sam", "--format", "dot")
    assert code == 0 and out.startswith('digraph "mini-sam"')
    code, _, err = run(capsys, "graph", "nobody")
    assert code == 1 and 'no scenario with id "nobody"' in err and "mini-sam" in err


def test_graph_of_a_broken_file_prints_its_problems(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "graph", str(BROKEN / "bad-outcome.yaml"))
    assert code == 1 and ':75:14: ending "shutdown" outcome "shutdwn"' in err


def test_test_command_passes_and_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "test", str(MINI))
    assert code == 0
    assert "PASS mini-sam: listening reaches a breakthrough" in out and out.endswith("2 passed, 0 failed\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text().replace("path: [money, breakthrough]", "path: [money, shutdown]"))
    code, out, _ = run(capsys, "test", "-q", str(bad))
    assert code == 1
    assert out.splitlines() == [
        "FAIL mini-sam: listening reaches a breakthrough",
        f'  {bad}:83: after reply 2 ("What worries you most about it?") expected "shutdown" but went to '
        '"breakthrough" (detected open_question; branch 1 (label empathy or open_question and trust >= 3 and '
        "openness == 0) → breakthrough)",
        "1 passed, 1 failed",
    ]


def test_walk_prints_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "walk", str(MINI), "--runs", "50", "--seed", "3")
    assert code == 0
    assert out.startswith("walk mini-sam: 50 random runs, seed 3\nendings:\n")
    assert "nodes visited: 2/2 (100%)" in out
    assert "branches taken:" in out and "without an ending:" in out


def test_walk_refuses_zero_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "walk", str(MINI), "--runs", "0")


def test_a_wrong_option_shows_the_usage_of_the_command_it_was_given_to(capsys):
    from bot.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["scenarios", "walk", "laid-off-after-twelve-years", "--runs", "abc"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: heard scenarios walk" in err and "'abc' is not a whole number" in err

    with pytest.raises(SystemExit):
        main(["rehearse", "--bogus"])
    err = capsys.readouterr().err
    assert "usage: heard rehearse" in err and "unrecognized arguments: --bogus" in err
