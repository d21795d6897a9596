"""Where the author tools look for scenarios: --scenarios, else HEARD_SCENARIOS, else scenarios/ (the
same rule as `heard rehearse`), and a file reached twice is read once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.scenario.load import scenario_files, scenario_paths

DATA = Path(__file__).parent / "data" / "scenarios"
REPO_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A personal library (lib/ holding mini-sam) in a folder without a scenarios/ of its own."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(DATA / "mini.yaml", folder / "sam.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEARD_SCENARIOS", raising=False)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["scenarios", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_graph_and_walk_find_an_id_in_heard_scenarios(lib, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HEARD_SCENARIOS", "lib")
    code, out, err = run(capsys, "graph", "mini-sam")
    assert (code, err) == (0, "")
    assert out.startswith("%% mini-sam: Sam and the closed plant\nflowchart")
    code, out, _ = run(capsys, "walk", "mini-sam", "--runs", "3")
    assert code == 0
    assert out.startswith("walk mini-sam: 3 random runs, seed 0")


def test_validate_with_no_path_checks_heard_scenarios(lib, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HEARD_SCENARIOS", f"lib,{REPO_SCENARIOS}")
    code, out, _ = run(capsys, "validate")
    assert (code, out.strip()) == (0, "8 scenarios valid")


def test_the_scenarios_option_beats_the_environment(lib, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HEARD_SCENARIOS", str(REPO_SCENARIOS))
    code, _, _ = run(capsys, "graph", "mini-sam", "--scenarios", "lib")
    assert code == 0
    code, _, err = run(capsys, "walk", "forty-rejections", "--scenarios", "lib")
    assert code == 1
    assert err.strip() == 'no scenario with id "forty-rejections" in lib. Available: mini-sam'


def test_an_unknown_id_names_the_folders_searched(lib, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HEARD_SCENARIOS", "lib")
    code, _, err = run(capsys, "graph", "mini-som")
    assert code == 1
    assert err.strip() == (
        'no scenario with id "mini-som" in lib. Did you mean "mini-sam"? Available: mini-sam'
    )


def test_rehearse_and_the_author_tools_share_one_rule(monkeypatch) -> None:
    monkeypatch.setenv("HEARD_SCENARIOS", "a, b")
    assert scenario_paths() == [Path("a"), Path("b")]
    assert scenario_paths(["c"]) == [Path("c")]
    assert scenario_paths(env="") == scenario_paths(env="  ")  # empty: the default folder


def test_a_folder_and_a_file_inside_it_are_not_duplicates(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(REPO_SCENARIOS), str(REPO_SCENARIOS / "nurse-burnout.yaml"))
    assert (code, out.strip()) == (0, "7 scenarios valid")


def test_the_same_file_named_twice_is_read_once(lib, capsys) -> None:
    code, out, _ = run(capsys, "validate", "lib/sam.yaml", "lib/sam.yaml", "./lib/../lib/sam.yaml")
    assert (code, out.strip()) == (0, "1 scenario valid")
    assert scenario_files("lib/sam.yaml", "lib") == [Path("lib/sam.yaml")]


def test_two_files_with_one_id_are_still_duplicates(lib, capsys) -> None:
    shutil.copy(lib / "sam.yaml", lib / "sam-copy.yaml")
    code, out, _ = run(capsys, "validate", "lib")
    assert code == 1
    assert 'duplicate scenario id "mini-sam" (also used by lib/sam-copy.yaml)' in out
