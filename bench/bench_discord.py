"""Time per learner turn through the whole Discord stack, with SimCord (typing delay 0).

    .venv/bin/python bench/bench_discord.py [--sessions 200] [--turns 5] [--json]

Whole stack = SimCord's gateway event → discord.py → the Roleplay cog → engine turn (detector,
branches) → store.record_turn (committed to a SQLite file) → typing + reply through discord.py's
HTTP client into SimCord's simulated Discord. It is measured two ways:

- one session: a learner sends a reply and the bot answers; time per turn (median, p95);
- N concurrent sessions: N learners each reply in their own thread at the same moment (the
  messages are posted straight into the simulated Discord, then the bot works through all of them);
  time until every client has answered, divided by N, and the slowest single wait.

Discord requests per turn are counted from SimCord's HTTP log. SimCord's own bookkeeping is part
of the figure, so real Discord latency (network, rate limits) comes on top of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import discord
import simcord

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from discord_helpers import EMPATHIC, SCENARIO_ID, SCENARIOS, close_bots, make_bot

# Replies that keep Sam at the `money` node (otherwise → stay), so sessions do not end mid-run.
REPLIES = ["Okay.", "Right.", "Mm.", "Hmm.", "Sure."]


async def _world(env: simcord.Env, learners: int):
    await env.bot.tree.sync()
    guild = env.create_guild("Bench")
    channel = guild.create_text_channel("training")
    coaches = guild.create_role("Coaches", permissions=discord.Permissions(manage_threads=True))
    coach = guild.add_member(env.create_user("coach"), roles=[coaches])
    people = [guild.add_member(env.create_user(f"learner{i}")) for i in range(learners)]
    threads = []
    for person in people:
        before = {t.id for t in channel.threads}
        await coach.slash(channel, "roleplay start", scenario=SCENARIO_ID, learner=person)
        (thread,) = [t for t in channel.threads if t.id not in before]
        threads.append(thread)
        await person.send(thread, EMPATHIC)  # to `money`, where the bench replies keep them
    return people, threads


def _scenarios(folder: Path) -> Path:
    """The test scenario with room for a long session (its own limit is 6 turns)."""
    where = folder / "scenarios"
    where.mkdir(exist_ok=True)
    text = (SCENARIOS / "mini.yaml").read_text(encoding="utf-8").replace("max_turns: 6", "max_turns: 500")
    (where / "mini.yaml").write_text(text, encoding="utf-8")
    return where


async def one_session(folder: Path, turns: int) -> dict[str, float]:
    (folder / "one").mkdir()
    bot = make_bot(folder / "one", typing_cps=0.0, scenario_dirs=(_scenarios(folder),))
    async with simcord.run(bot) as env:
        (learner,), (thread,) = await _world(env, 1)
        times, requests = [], []
        for i in range(turns):
            mark = len(env.http_requests)
            start = time.perf_counter()
            await learner.send(thread, REPLIES[i % len(REPLIES)])
            times.append(time.perf_counter() - start)
            requests.append(len(env.http_requests) - mark)
        assert thread.history()[-1].author.bot, [m.content for m in thread.history()]
    await close_bots()
    times.sort()
    return {
        "turns": turns,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(0.95 * (len(times) - 1))] * 1000,
        "requests_per_turn": max(requests),
    }


async def concurrent(folder: Path, sessions: int, rounds: int) -> dict[str, float]:
    (folder / "many").mkdir()
    bot = make_bot(folder / "many", typing_cps=0.0, scenario_dirs=(_scenarios(folder),))
    async with simcord.run(bot, settle_timeout=120) as env:
        people, threads = await _world(env, sessions)
        walls = []
        mark = len(env.http_requests)
        for r in range(rounds):
            for person, thread in zip(people, threads, strict=True):
                env.backend.create_message(thread.id, person.id, REPLIES[r % len(REPLIES)])
            start = time.perf_counter()
            await env.settle()
            walls.append(time.perf_counter() - start)
        made = len(env.http_requests) - mark
        answered = sum(1 for t in threads if t.history()[-1].author.bot)
        assert answered == sessions, f"only {answered} of {sessions} clients answered"
    await close_bots()
    wall = statistics.median(walls)
    return {
        "sessions": sessions,
        "rounds": rounds,
        "all_answered_ms": wall * 1000,
        "per_turn_ms": wall / sessions * 1000,
        "turns_per_s": sessions / wall,
        "requests_per_turn": made / (sessions * rounds),
    }


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            one = await one_session(folder, args.turns * 20)
            many = await concurrent(folder, args.sessions, args.turns)
        finally:
            await close_bots()  # an open database thread would keep the process alive
    return {"one_session": one, "concurrent": many}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--turns", type=int, default=5, help="rounds of replies in the concurrent run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    one, many = result["one_session"], result["concurrent"]
    print(
        f"1 session:   {one['median_ms']:.2f} ms per turn (median of {one['turns']}), "
        f"p95 {one['p95_ms']:.2f} ms, {one['requests_per_turn']} Discord requests per turn"
    )
    print(
        f"{many['sessions']} sessions: all answered in {many['all_answered_ms']:.0f} ms "
        f"(median of {many['rounds']} rounds) = {many['per_turn_ms']:.2f} ms per turn, "
        f"{many['turns_per_s']:.0f} turns/s, {many['requests_per_turn']:.2f} requests per turn"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
