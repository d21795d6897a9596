"""`heard rehearse`: play a client in the terminal, stored like a Discord session, then the debrief.

    heard rehearse                         # list the clients and pick one
    heard rehearse dana-laid-off --coach   # show a hint of what the detector heard after each reply
    heard rehearse dana-laid-off --replies replies.txt --seed 3   # scripted: same output every run
    heard rehearse --resume 12             # continue a stored terminal session where it stopped

Exit codes: 0 the role-play ran (whatever its ending), 1 the database or a stored scenario could not
be used, 2 bad usage (unknown scenario, missing replies file).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import random
import sqlite3
import sys
import threading
from pathlib import Path

from bot.cli.rehearsal import Rehearsal, Replies, Scripted, scripted, typed
from bot.debrief.records import SessionRecord, tidy_name
from bot.detect.lexicon import default_lexicon
from bot.engine import Session
from bot.scenario.load import (
    Library,
    ScenarioError,
    load_folder,
    load_scenario,
    parse_scenario,
    scenario_paths,
    unknown_id,
)
from bot.scenario.model import DIFFICULTIES, Scenario
from bot.store import OPEN_STATUSES, Store, StoreError, default_path


class UsageError(Exception):
    """Bad input from the person at the terminal: the message says what to do (exit 2)."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "rehearse",
        help="role-play a client in the terminal, then read your debrief",
        description="Role-play a client in the terminal. Ctrl-C or Ctrl-D ends the role-play; the "
        "session is stored and its debrief printed either way.",
    )
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="scenario id or .yaml file (default: pick)"
    )
    p.add_argument("--replies", metavar="FILE", help="read one reply per line from FILE ('-' for stdin)")
    p.add_argument("--db", metavar="PATH", help="database file (default: $HEARD_DB or heard.db)")
    p.add_argument("--seed", type=int, help="seed for the client's line variants (scripted runs: 0)")
    p.add_argument("--coach", action="store_true", help="show a hint of what the detector heard")
    p.add_argument("--resume", type=int, metavar="ID", help="continue a stored terminal session")
    p.add_argument(
        "--scenarios",
        action="append",
        metavar="PATH",
        help="scenario folder or file (repeatable; default: $HEARD_SCENARIOS or scenarios/)",
    )
    p.add_argument("--name", default=None, help="your name in the stored session (default: your login)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _load_dotenv()
    try:
        replies_text = _read_replies(args.replies)
    except UsageError as exc:
        return _fail(exc, 2)
    interactive = replies_text is None and sys.stdin.isatty()
    ready = None
    if interactive:
        # Compile the detector's lexicon (a few seconds, once per process) while the learner reads the
        # client's opening and types, so the first reply is answered at once.
        warm_up = threading.Thread(target=default_lexicon, name="heard-lexicon", daemon=True)
        warm_up.start()
        ready = warm_up.join
        replies: Replies = typed()
    else:  # a file, or a pipe read line by line as the conversation goes
        replies = scripted(sys.stdin if replies_text is None else replies_text, sys.stdout)
    with asyncio.Runner() as runner:
        try:
            store = runner.run(Store.open(args.db or default_path()))
        except StoreError as exc:
            return _fail(exc, 1)
        rehearsal: Rehearsal | None = None
        try:
            rehearsal = _prepare(runner, store, args, interactive)
            if rehearsal is None:
                return 1
            rehearsal.ready = ready
            rehearsal.play(replies)
            print(file=sys.stdout)
            print(rehearsal.style.markdown(rehearsal.debrief()), end="", file=sys.stdout)
            if isinstance(replies, Scripted):
                _note_unused(replies, rehearsal.session.state.turn)
            print(f"Saved as session {rehearsal.session_id} in {store.path}.", file=sys.stderr)
            return 0
        except UsageError as exc:
            return _fail(exc, 2)
        except (StoreError, ScenarioError) as exc:
            return _fail(exc, 1)
        except sqlite3.Error as exc:  # e.g. the file stayed locked by another program past the timeout
            return _fail(f"database error in {store.path}: {exc}. Every answered turn is saved", 1)
        finally:
            if rehearsal is not None and not rehearsal.closed:  # still open: it can be continued
                print(
                    f"Session {rehearsal.session_id} is still open; continue it with: "
                    f"heard rehearse --resume {rehearsal.session_id}"
                    + (f" --db {store.path}" if args.db else ""),
                    file=sys.stderr,
                )
            runner.run(store.close())


def _note_unused(replies: Scripted, turn: int) -> None:
    """Say so when the conversation ended before the scripted replies ran out."""
    unused = replies.unused()
    if unused:
        were = "reply was" if unused == 1 else "replies were"
        print(f"note: {unused} {were} not used: the session ended at turn {turn}.", file=sys.stderr)


def _prepare(
    runner: asyncio.Runner, store: Store, args: argparse.Namespace, interactive: bool
) -> Rehearsal | None:
    """A session to play: resumed (--resume, or offered), or new with the chosen scenario."""
    if args.resume is not None:
        return _resume(runner, store, args.resume, args.coach)
    scenario = _choose(args.scenario, scenario_paths(args.scenarios), can_pick=sys.stdin.isatty())
    if scenario is None:
        return None
    if interactive:
        unfinished = runner.run(
            store.list_sessions(None, status=OPEN_STATUSES, scenario_id=scenario.id, limit=1)
        )
        if unfinished and _offer_resume(unfinished[-1], scenario):
            return _resume(runner, store, unfinished[-1].id, args.coach)
        for old in unfinished:  # declined: close it so it is not offered forever
            left = Session.resume(_stored_scenario(runner, store, old), old.state)
            left.end("abandoned")
            runner.run(store.end_session(old.id, left.to_dict()))
    seed = args.seed if args.seed is not None else (random.randrange(1 << 30) if interactive else 0)
    session = Session.new(scenario, seed=seed)
    opening = session.start()
    name = _learner_name(args.name)
    record = runner.run(store.create_session(scenario, session.to_dict(), opening, learner_name=name))
    rehearsal = Rehearsal(runner, store, scenario, session, record.id, coach=args.coach)
    _introduce(scenario, interactive)
    print(f"Session {record.id} in {store.path}.", file=sys.stderr)
    rehearsal.say(opening)
    return rehearsal


def _resume(runner: asyncio.Runner, store: Store, session_id: int, coach: bool) -> Rehearsal:
    record = runner.run(store.get_session(session_id, guild_id=None))
    if record is None:
        raise UsageError(
            f"no terminal session {session_id} in {store.path}. Sessions played in Discord continue in "
            "their thread; check the id and --db."
        )
    if record.status not in OPEN_STATUSES:
        raise UsageError(
            f"session {session_id} has already ended ({record.end_reason}, outcome {record.outcome}); "
            f"start a new one with: heard rehearse {record.scenario_id}"
        )
    scenario = _stored_scenario(runner, store, record)
    session = Session.resume(scenario, record.state)
    rehearsal = Rehearsal(runner, store, scenario, session, record.id, coach=coach)
    print(
        f"Resuming session {record.id} (turn {session.state.turn} of {scenario.max_turns}).", file=sys.stderr
    )
    rehearsal.replay(runner.run(store.list_turns(record.id)))
    return rehearsal


def _stored_scenario(runner: asyncio.Runner, store: Store, record: SessionRecord) -> Scenario:
    """The exact scenario version the session started with, as kept in the database."""
    stored = runner.run(store.scenario_version(record.scenario_hash))
    if stored is None:
        raise StoreError(f"session {record.id}: its scenario version {record.scenario_hash[:12]} is missing")
    _sid, source, path = stored
    return parse_scenario(source, path or f"<session {record.id}>")


def _choose(ident: str | None, paths: list[Path], *, can_pick: bool = True) -> Scenario | None:
    """The scenario named by `ident` (an id or a .yaml file), or the one picked from a list at the
    keyboard. Without a keyboard (`can_pick` false: stdin is a pipe or a file) nothing is read from
    stdin, so piped replies are never taken for a choice."""
    if ident and Path(ident).suffix in (".yaml", ".yml"):
        try:
            return load_scenario(ident)
        except ScenarioError as exc:
            raise UsageError("\n".join(str(p) for p in exc.problems)) from exc
    library = load_folder(*paths)
    if library.errors:
        broken = sorted({p.path for p in library.errors})
        print(
            f"note: {len(broken)} scenario file(s) left out because of errors ({', '.join(broken)}); "
            "see: heard scenarios validate",
            file=sys.stderr,
        )
    if not library:
        where = ", ".join(str(p) for p in paths)
        raise UsageError(f"no scenarios found in {where}; set HEARD_SCENARIOS or pass --scenarios PATH")
    if ident:
        found = library.get(ident)
        if found is None:
            raise UsageError(unknown_id(ident, library, ", ".join(str(p) for p in paths)))
        return found
    if not can_pick:
        # Replies are coming from a pipe or a file: never read one as a pick. Play the easiest client,
        # the one a newcomer would be offered first, and say how to choose another.
        first = _by_difficulty(library)[0]
        others = ", ".join(s.id for s in _by_difficulty(library)[1:])
        print(
            f"note: no scenario named and stdin is not a terminal, so you meet {first.persona.name} "
            f"({first.id}, {first.difficulty}); choose another with: heard rehearse SCENARIO "
            f"(also: {others})",
            file=sys.stderr,
        )
        return first
    return _pick(library)


def _by_difficulty(library: Library) -> list[Scenario]:
    """Easiest first, then by id."""
    order = {level: i for i, level in enumerate(DIFFICULTIES)}
    return sorted(library, key=lambda s: (order.get(s.difficulty, len(order)), s.id))


def _pick(library: Library) -> Scenario | None:
    """List the clients and read a choice (a number or an id) from stdin."""
    scenarios = _by_difficulty(library)  # easiest first, so a newcomer's first pick is one they can reach
    print("Who would you like to meet?")
    for i, s in enumerate(scenarios, 1):
        print(f"  {i}. {s.persona.name} — {s.title} ({s.difficulty}; id {s.id})")
    while True:
        try:
            choice = input(f"Pick a client (1-{len(scenarios)} or an id): ").strip()
        except (EOFError, KeyboardInterrupt):
            print("\nNo client picked.", file=sys.stderr)
            return None
        if choice.isdigit() and 1 <= int(choice) <= len(scenarios):
            return scenarios[int(choice) - 1]
        if choice in library:
            return library.scenarios[choice]
        if choice.isdigit():
            print(f"  There is no client {choice} in the list: choose 1–{len(scenarios)} or type an id.")
            continue
        print(f"  {unknown_id(choice, library, 'the list')}" if choice else "  Type a number or an id.")


def _offer_resume(record: SessionRecord, scenario: Scenario) -> bool:
    turn = record.state.get("turn", 0)
    question = (
        f"You have an unfinished rehearsal with {scenario.persona.name} (session {record.id}, "
        f"{turn} turn{'s' if turn != 1 else ''} in). Resume it? [Y/n] "
    )
    try:
        return input(question).strip().lower() not in ("n", "no")
    except (EOFError, KeyboardInterrupt):
        return False


def _introduce(scenario: Scenario, interactive: bool) -> None:
    p = scenario.persona
    who = ", ".join(str(x) for x in (p.pronouns, p.age) if x)
    print(f"{p.name}{f' ({who})' if who else ''} — {scenario.title}")
    print(scenario.summary)
    if interactive:
        print("Reply as the counsellor. Ctrl-D or Ctrl-C ends the role-play and shows your debrief.")
    print()


def _read_replies(path: str | None) -> list[str] | None:
    if path is None:
        return None
    if path == "-":
        return None  # read from the pipe as the conversation goes
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UsageError(
            f"--replies: no such file {path}; give a text file with one reply per line"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--replies: cannot read {path}: {exc}") from None


def _load_dotenv() -> None:
    """Read .env from the current folder like `heard run` does, so HEARD_DB and HEARD_SCENARIOS agree
    (variables already set win)."""
    env = Path(".env")
    if env.is_file():
        from dotenv import load_dotenv

        load_dotenv(env, override=False)


def _learner_name(given: str | None) -> str:
    """--name with its spacing tidied; without one, or with an empty one (with a note), the login name."""
    name = tidy_name(given or "")
    if name:
        return name
    login = tidy_name(_login())
    if given is not None:
        print(
            f'note: --name is empty; the session is stored under your login name "{login}" instead.'
            if login
            else "note: --name is empty and there is no login name; the session is stored without a name.",
            file=sys.stderr,
        )
    return login


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): the session just has no name
        return ""


def _fail(exc: Exception | str, code: int) -> int:
    print(f"heard rehearse: {exc}", file=sys.stderr)
    return code
