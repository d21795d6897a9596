"""`heard debrief SESSION_ID`, `heard export --guild ID` and `heard cohort --guild ID`.

The records are gathered by bot.store.reports (shared with the Discord cogs); the debrief logic
itself is in bot/debrief.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.debrief import cohort_csv, cohort_report, render_json, render_markdown
from bot.debrief.export import export_csv, export_json, export_markdown
from bot.scenario.model import Scenario
from bot.store import Store, StoreError, default_path
from bot.store.reports import DebriefNotFound, load_debrief, load_sessions, load_summaries, scenario_for

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """A session, guild or scenario the user named does not exist; the message says what to do."""


def store_path(store: Store) -> str:
    return str(getattr(store, "path", "") or "the database")


# --- commands -----------------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("debrief", help="print the debrief of a stored session")
    p.add_argument("session_id", metavar="SESSION_ID", type=_session_id, help="the session's number")
    p.add_argument("--db", metavar="PATH", help="database file (default: HEARD_DB or heard.db)")
    p.add_argument("--format", choices=("md", "json"), default="md")
    p.set_defaults(handler=debrief_command)

    p = sub.add_parser("export", help="sessions, turns, detections and notes of a server, for analysis")
    p.add_argument("--guild", required=True, type=_guild, metavar="ID", help="server id, or 'terminal'")
    p.add_argument("--since", type=_since, metavar="DATE", help="sessions started on or after (YYYY-MM-DD)")
    p.add_argument("--format", choices=("csv", "json", "md"), required=True)
    p.add_argument("--out", metavar="PATH", help="write to this file (default: print)")
    p.add_argument("--db", metavar="PATH", help="database file (default: HEARD_DB or heard.db)")
    p.set_defaults(handler=export_command)

    p = sub.add_parser("cohort", help="one row per learner: sessions, endings, empathic share, R:Q, trend")
    p.add_argument("--guild", required=True, type=_guild, metavar="ID", help="server id, or 'terminal'")
    p.add_argument("--since", type=_since, metavar="DATE", help="sessions started on or after (YYYY-MM-DD)")
    p.add_argument("--scenario", metavar="ID", help="only sessions of this scenario")
    p.add_argument("--format", choices=("table", "csv"), default="table")
    p.add_argument("--db", metavar="PATH", help="database file (default: HEARD_DB or heard.db)")
    p.set_defaults(handler=cohort_command)


def _session_id(text: str) -> int:
    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a session number (e.g. 12)") from None
    if value < 1:
        raise argparse.ArgumentTypeError("session numbers start at 1")
    return value


def _guild(text: str) -> int | None:
    if text.lower() in ("terminal", "none"):
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a server id: use the number from Discord (Copy Server ID) or 'terminal'"
        ) from None


def _since(text: str) -> str:
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


async def open_existing(db: str | None) -> Store:
    """The database these read-only commands read; a missing file is an error, never created."""
    where = db or default_path()
    path = Path(where).expanduser()
    if where != ":memory:" and not path.is_file():
        if path.is_dir():
            raise NotFound(f"{where} is a folder, not a database file. Pass --db PATH to the .db file.")
        source = "set by HEARD_DB" if os.environ.get("HEARD_DB") else "in the current folder"
        if db:
            hint = f"check the path; the default database is {default_path()}, {source}"
        else:
            hint = f"the default database, {source}; pass --db PATH, or store a session with heard rehearse"
        raise NotFound(f"{where} does not exist ({hint}).")
    return await Store.open(where)


def _run(coro: Any) -> int:
    try:
        return int(asyncio.run(coro))
    except (StoreError, NotFound, DebriefNotFound) as exc:
        print(f"heard: {exc}", file=sys.stderr)
        return 1


def debrief_command(args: argparse.Namespace) -> int:
    async def go() -> int:
        async with await open_existing(args.db) as store:
            d = await load_debrief(store, args.session_id)
        if args.format == "json":
            print(json.dumps(render_json(d), ensure_ascii=False, indent=2))
        else:
            print(render_markdown(d), end="")
        return 0

    return _run(go())


def export_command(args: argparse.Namespace) -> int:
    async def go() -> int:
        async with await open_existing(args.db) as store:
            data = await load_sessions(store, args.guild, since=args.since)
            if args.format == "csv":
                text = export_csv(data)
            elif args.format == "json":
                text = (
                    json.dumps(
                        export_json(data, guild_id=args.guild, since=args.since), ensure_ascii=False, indent=2
                    )
                    + "\n"
                )
            else:
                cache: dict[str, Scenario | None] = {}
                scenarios = {d.session.id: await scenario_for(store, d.session, cache) for d in data}
                text = export_markdown(data, lambda s: scenarios.get(s.id))
        _write(text, args.out)
        if args.out:
            print(f"Wrote {len(data)} session(s) to {args.out}.", file=sys.stderr)
        return 0

    return _run(go())


def cohort_command(args: argparse.Namespace) -> int:
    async def go() -> int:
        async with await open_existing(args.db) as store:
            summaries = await load_summaries(store, args.guild, since=args.since, scenario_id=args.scenario)
        rows = cohort_report(summaries)
        if args.format == "csv":
            print(cohort_csv(rows), end="")
        else:
            print(_table(rows))
        return 0

    return _run(go())


def _table(rows: Sequence[Any]) -> str:
    if not rows:
        return "No sessions match."
    lines = [
        f"{'learner':<24} {'sessions':>8} {'breakthrough':>12} {'shutdown':>8} {'empathic':>8} "
        f"{'R:Q':>5}  trend"
    ]
    for r in rows:
        rq = "–" if r.rq is None else f"{r.rq:.1f}"
        lines.append(
            f"{r.learner_name[:24]:<24} {r.sessions:>8} {r.endings.get('breakthrough', 0):>12} "
            f"{r.endings.get('shutdown', 0):>8} {r.empathic_share:>8.0%} {rq:>5}  {r.trend}"
        )
    return "\n".join(lines)


def _write(text: str, out: str | None) -> None:
    if not out:
        sys.stdout.write(text)
        return
    path = Path(out)
    if not path.parent.is_dir():
        raise NotFound(f"cannot write {out}: the folder {path.parent} does not exist. Create it first.")
    path.write_text(text, encoding="utf-8")
