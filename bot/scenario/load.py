"""Loading scenario files: safe YAML, every problem at once, and a library that survives a broken file.

scenario = load_scenario("scenarios/dana-laid-off.yaml")   # raises ScenarioError
library = load_folder("scenarios")                          # never raises on a bad file
for problem in library.problems: print(problem)             # path:line:column: message
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.scenario.checks import check
from bot.scenario.model import Scenario
from bot.scenario.parse import parse_tree
from bot.scenario.problems import ERROR, Problem, ScenarioError
from bot.scenario.yamlread import Reader, compose, position

log = logging.getLogger(__name__)

MAX_BYTES = 1024 * 1024
SUFFIXES = (".yaml", ".yml")
# The bundled library lives in scenarios/ at the top of the repository; pyproject.toml installs that
# folder as the data package `heard_scenarios`, so `pip install .` carries it too.
BUNDLED_PACKAGE = "heard_scenarios"
_CHECKOUT = Path(__file__).resolve().parents[2]


def bundled_dir(checkout: Path = _CHECKOUT, package: str = BUNDLED_PACKAGE) -> Path:
    """The bundled library's folder: scenarios/ when running from a source checkout (editable install,
    PYTHONPATH), else the installed data package; the checkout path when neither is found."""
    source = checkout / "scenarios"
    if (checkout / "pyproject.toml").is_file() and source.is_dir():
        return source
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return source


BUNDLED_DIR = bundled_dir()

__all__ = [
    "BUNDLED_DIR",
    "BUNDLED_PACKAGE",
    "MAX_BYTES",
    "Library",
    "Problem",
    "ScenarioError",
    "bundled_dir",
    "default_folder",
    "find_scenario",
    "load_folder",
    "load_scenario",
    "parse_scenario",
    "scenario_files",
    "scenario_paths",
    "split_paths",
    "unknown_id",
]


@dataclass
class Library:
    """The valid scenarios of one or more folders, by id, and the problems of the files left out."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def get(self, ident: str) -> Scenario | None:
        return self.scenarios.get(ident)

    def __contains__(self, ident: object) -> bool:
        return ident in self.scenarios

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self.scenarios.values())

    def __len__(self) -> int:
        return len(self.scenarios)


def parse_scenario(text: str, path: str = "<string>") -> Scenario:
    """A Scenario from YAML text, or ScenarioError listing every problem (path:line:column)."""
    scenario, problems = _parse(text, path)
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate one scenario file (refused above 1 MB)."""
    text, problems = _read(Path(path))
    if text is None:
        raise ScenarioError(problems)
    return parse_scenario(text, str(path))


def load_folder(*paths: str | Path) -> Library:
    """Every scenario in these files and folders (folders searched for *.yaml / *.yml, recursively).

    Broken files are left out with their problems recorded; so is a second file using an id already
    taken (the first, in path order, wins).
    """
    library = Library()
    where: dict[str, str] = {}
    for file in scenario_files(*paths, problems=library.problems):
        text, problems = _read(file)
        scenario = None
        if text is not None:
            scenario, problems = _parse(text, str(file))
        library.problems.extend(problems)
        if scenario is None:
            continue
        if scenario.id in library.scenarios:
            line, column = _id_position(scenario)
            library.problems.append(
                Problem(
                    str(file),
                    line,
                    column,
                    f'duplicate scenario id "{scenario.id}" (also used by {where[scenario.id]}); '
                    "ids must be unique across the library",
                )
            )
            continue
        where[scenario.id] = str(file)
        library.scenarios[scenario.id] = scenario
    log.debug("loaded %d scenario(s), %d problem(s)", len(library.scenarios), len(library.problems))
    return library


def scenario_files(*paths: str | Path, problems: list[Problem] | None = None) -> list[Path]:
    """The scenario files named by these paths, folders expanded, in a stable order.

    A file reached twice (named twice, or named and inside a named folder) is listed once.
    """
    files: list[Path] = []
    seen: set[Path] = set()

    def add(file: Path) -> None:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            files.append(file)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if _is_scenario_file(p)):
                add(file)
        elif path.is_file():
            add(path)
        elif problems is not None:
            problems.append(Problem(str(path), 1, 1, "no such file or folder"))
    return files


def _read(path: Path) -> tuple[str | None, list[Problem]]:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(where, 1, 1, f"file is {size:,} bytes; scenario files are limited to 1 MB")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(where, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(where, line, column, "the file is not UTF-8 text; save it as UTF-8")]


def _parse(text: str, path: str) -> tuple[Scenario | None, list[Problem]]:
    reader = Reader(path)
    if len(text.encode("utf-8")) > MAX_BYTES:
        reader.report(None, "scenario text is larger than 1 MB")
        return None, reader.problems
    root = compose(text, reader)
    if root is None:
        if not reader.problems:
            reader.report(None, "the file is empty; a scenario starts with `id:`, `title:` and so on")
        return None, reader.problems
    parsed = parse_tree(root, reader)
    if parsed is not None:
        check(parsed, reader)
    problems = sorted(reader.problems, key=Problem.sort_key)
    if parsed is None or any(p.severity == ERROR for p in problems):
        return None, problems
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return replace(parsed.scenario, path=path, content_hash=digest, source=text), problems


def _id_position(scenario: Scenario) -> tuple[int, int]:
    """Where `id:` is written in the scenario's own source (for duplicate-id messages)."""
    reader = Reader(scenario.path)
    root = compose(scenario.source, reader)
    if root is not None and hasattr(root, "value"):
        for key, value in root.value:
            if getattr(key, "value", None) == "id":
                return position(value)
    return 1, 1


def default_folder() -> Path:
    """scenarios/ in the working directory when there is one, else the bundled library."""
    here = Path("scenarios")
    return here if here.is_dir() else BUNDLED_DIR


def split_paths(value: str) -> list[str]:
    """HEARD_SCENARIOS-style text as paths: separated by commas or the system's path separator."""
    return [p.strip() for chunk in value.split(os.pathsep) for p in chunk.split(",") if p.strip()]


def scenario_paths(given: list[str] | None = None, env: str | None = None) -> list[Path]:
    """Where scenarios are read from: the paths given (--scenarios), else HEARD_SCENARIOS (`env`, read
    from the environment when None), else default_folder()."""
    if given:
        return [Path(p) for p in given]
    text = os.environ.get("HEARD_SCENARIOS", "") if env is None else env
    return [Path(p) for p in split_paths(text)] or [default_folder()]


def find_scenario(
    ident_or_path: str | Path, folders: str | Path | Sequence[str | Path] | None = None
) -> Scenario:
    """A scenario named by a file path, or by its id in `folders` (default: scenario_paths()).

    Raises ScenarioError (broken file) or LookupError (no such id; the message lists the ids).
    """
    path = Path(ident_or_path)
    if path.suffix in SUFFIXES or path.is_file():
        return load_scenario(path)
    if folders is None:
        where: list[str | Path] = list(scenario_paths())
    elif isinstance(folders, str | Path):
        where = [folders]
    else:
        where = list(folders)
    library = load_folder(*where)
    found = library.get(str(ident_or_path))
    if found is not None:
        return found
    broken = [p for p in library.errors if p.path.endswith((f"{ident_or_path}.yaml", f"{ident_or_path}.yml"))]
    if broken:
        raise ScenarioError(broken)
    raise LookupError(unknown_id(str(ident_or_path), library, ", ".join(str(w) for w in where)))


def unknown_id(ident: str, library: Library, where: str) -> str:
    """What to say when no scenario has this id: the closest id, and the ones there are."""
    close = difflib.get_close_matches(ident, list(library.scenarios), n=1)
    hint = f' Did you mean "{close[0]}"?' if close else ""
    known = ", ".join(sorted(library.scenarios)) or "none"
    return f'no scenario with id "{ident}" in {where}.{hint} Available: {known}'


def _is_scenario_file(path: Path) -> bool:
    # Editors leave hidden lock and backup files (.#dana.yaml); they are not scenarios.
    return path.suffix in SUFFIXES and not path.name.startswith(".") and path.is_file()
