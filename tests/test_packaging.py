"""`pip install .` carries the bundled scenarios: the top-level scenarios/ folder installs as the data
package `heard_scenarios`, and the code finds it from a checkout and from site-packages alike."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from bot.cli import main
from bot.discord.settings import Settings
from bot.scenario.load import BUNDLED_DIR, BUNDLED_PACKAGE, bundled_dir, load_folder

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
SHIPPED = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))


def test_the_bundled_folder_holds_the_seven_scenarios() -> None:
    library = load_folder(BUNDLED_DIR)
    assert library.errors == []
    assert len(library) == 7
    assert sorted(Path(s.path).stem for s in library) == SHIPPED


def test_every_package_and_the_scenarios_are_in_the_distribution() -> None:
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bot").rglob("__init__.py")}
    listed = set(SETUPTOOLS["packages"])
    assert on_disk - listed == set(), "add the new package to [tool.setuptools] packages in pyproject.toml"
    assert BUNDLED_PACKAGE in listed
    assert SETUPTOOLS["package-dir"][BUNDLED_PACKAGE] == "scenarios"
    assert "*.yaml" in SETUPTOOLS["package-data"]["*"]


def test_an_installed_copy_reads_the_data_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # site-packages after `pip install .`: bot/ and heard_scenarios/ side by side, no pyproject.toml.
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "scenarios", site / BUNDLED_PACKAGE)
    monkeypatch.syspath_prepend(str(site))
    found = bundled_dir(checkout=site)
    assert found == site / BUNDLED_PACKAGE
    assert sorted(Path(s.path).stem for s in load_folder(found)) == SHIPPED


def test_a_checkout_reads_its_own_scenarios_folder(tmp_path: Path) -> None:
    assert bundled_dir(checkout=ROOT) == ROOT / "scenarios"
    # Neither a checkout nor an installed package: the path named in "no scenarios found in …".
    assert bundled_dir(checkout=tmp_path, package="no_such_heard_data") == tmp_path / "scenarios"


def test_validate_outside_the_repository_checks_the_bundled_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEARD_SCENARIOS", raising=False)
    assert main(["scenarios", "validate"]) == 0
    assert capsys.readouterr().out.strip() == "7 scenarios valid"


def test_the_discord_bot_outside_the_repository_loads_the_bundled_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # `heard run` after `pip install .`, with no scenarios/ of its own
    assert Settings.from_env({}).scenario_dirs == (BUNDLED_DIR,)
    assert Settings.from_env({"HEARD_SCENARIOS": "mine"}).scenario_dirs == (Path("mine"),)
