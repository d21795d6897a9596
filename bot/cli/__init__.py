"""The `heard` command line (also `python -m bot`). Each command group lives in its own module,
which exposes `register(subparsers)`; handlers return an exit code."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import debrief, detect, discord_cmds, rehearse, scenarios

COMMAND_MODULES = (rehearse, detect, scenarios, debrief, discord_cmds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="heard",
        description="Heard: practise empathy with a simulated career-counselling client.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _innermost(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.ArgumentParser:
    """The (sub)command parser that `argv` names, so its usage line is the one shown on an error."""
    for token in argv:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction) and token in action.choices:
                parser = action.choices[token]
                break
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = detect.shorthand(sys.argv[1:] if argv is None else argv)
    args, extras = parser.parse_known_args(argv)
    if extras:  # "heard rehearse --bogus": the error and usage of `heard rehearse`, not of `heard`
        _innermost(parser, argv).error(f"unrecognized arguments: {' '.join(extras)}")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # aiosqlite logs every statement at DEBUG: -v is for Heard's own detail.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
