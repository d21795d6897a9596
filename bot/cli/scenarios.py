"""`heard scenarios validate|lint|graph|test|walk`: the scenario author's toolchain.

The logic lives in bot/scenario (load, lint, graph, playtest); this module parses arguments, prints,
and turns results into exit codes (0 fine, 1 problems found, 2 bad usage).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.scenario.load import Library, ScenarioError, find_scenario, load_folder, scenario_paths
from bot.scenario.model import Scenario

PATHS_HELP = "files or folders (default: $HEARD_SCENARIOS, else scenarios/)"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = sub.add_parser("scenarios", help="check, lint, graph, test and play-test scenario files")
    cmds = group.add_subparsers(dest="scenarios_command", metavar="ACTION")
    group.set_defaults(handler=lambda args: _usage(group))

    p = cmds.add_parser("validate", help="report errors as path:line:column (exit 1 on any error)")
    p.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    p.set_defaults(handler=validate)

    p = cmds.add_parser("lint", help="errors plus warnings worth a look (exit 1 only on errors)")
    p.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.set_defaults(handler=lint)

    p = cmds.add_parser("graph", help="the conversation as a Mermaid or Graphviz graph")
    p.add_argument("scenario", metavar="ID", help="scenario id or path to a file")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    _scenarios_option(p)
    p.set_defaults(handler=graph)

    p = cmds.add_parser("test", help="run the expected conversations under each scenario's `tests:`")
    p.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    p.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    p.set_defaults(handler=test)

    p = cmds.add_parser("walk", help="random playthroughs with node, branch and ending coverage")
    p.add_argument("scenario", metavar="ID", help="scenario id or path to a file")
    _scenarios_option(p)
    p.add_argument("--runs", type=_positive, default=100, help="playthroughs (default 100)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same report)")
    p.set_defaults(handler=walk)


def _scenarios_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scenarios",
        action="append",
        metavar="PATH",
        help="where to look the id up (repeatable; default: $HEARD_SCENARIOS, else scenarios/)",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _library(paths: Sequence[str]) -> Library | None:
    """The scenarios in these paths, or None (after saying so) when there are no scenario files."""
    where_paths = scenario_paths(list(paths))
    library = load_folder(*where_paths)
    if not library.scenarios and not library.problems:
        where = " ".join(str(p) for p in where_paths)
        print(f"no scenario files (*.yaml, *.yml) found in {where}", file=sys.stderr)
        return None
    return library


def _print_problems(library: Library) -> None:
    for p in sorted(library.problems, key=lambda p: p.sort_key()):
        print(p if p.is_error else f"{p.path}:{p.line}:{p.column}: warning: {p.message}")


def _summary(library: Library) -> str:
    errors = len(library.errors)
    warnings = len(library.problems) - errors
    parts = [f"{len(library)} scenario{'s' if len(library) != 1 else ''} valid"]
    if errors:
        bad = len({p.path for p in library.errors})
        parts.append(f"{errors} error{'s' if errors != 1 else ''} in {bad} file{'s' if bad != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def _load_one(ident: str, folders: list[str] | None) -> Scenario | None:
    try:
        return find_scenario(ident, scenario_paths(folders))
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
    except LookupError as exc:
        print(exc.args[0], file=sys.stderr)
    return None


# --- handlers ---------------------------------------------------------------------------------------
def validate(args: argparse.Namespace) -> int:
    library = _library(args.paths)
    if library is None:
        return 1
    _print_problems(library)
    print(_summary(library))
    return 1 if library.errors else 0


def lint(args: argparse.Namespace) -> int:
    from bot.scenario.lint import lint_scenario

    library = _library(args.paths)
    if library is None:
        return 1
    for scenario in library:
        library.problems.extend(lint_scenario(scenario))
    _print_problems(library)
    print(_summary(library))
    return 1 if library.errors or (args.strict and library.problems) else 0


def graph(args: argparse.Namespace) -> int:
    from bot.scenario.graph import to_dot, to_mermaid

    scenario = _load_one(args.scenario, args.scenarios)
    if scenario is None:
        return 1
    print(to_dot(scenario) if args.format == "dot" else to_mermaid(scenario))
    return 0


def test(args: argparse.Namespace) -> int:
    from bot.scenario.playtest import run_tests

    library = _library(args.paths)
    if library is None:
        return 1
    _print_problems(library)
    passed = failed = 0
    for scenario in library:
        for result in run_tests(scenario):
            if result.passed:
                passed += 1
                if not args.quiet:
                    print(f"PASS {scenario.id}: {result.name}")
            else:
                failed += 1
                print(f"FAIL {scenario.id}: {result.name}")
                print(f"  {Path(scenario.path)}:{result.line}: {result.difference}")
    print(
        f"{passed} passed, {failed} failed"
        + (f", {len(library.errors)} file errors" if library.errors else "")
    )
    return 1 if failed or library.errors else 0


def walk(args: argparse.Namespace) -> int:
    from bot.scenario.playtest import walk as random_walk

    scenario = _load_one(args.scenario, args.scenarios)
    if scenario is None:
        return 1
    report = random_walk(scenario, runs=args.runs, seed=args.seed)
    print(report.render())
    return 1 if report.errors else 0
