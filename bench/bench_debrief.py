"""Debrief timings: build + render one 30-turn debrief, and the cohort report over 1,000 stored sessions.

    .venv/bin/python bench/bench_debrief.py [--sessions 1000] [--turns 30] [--db PATH]

Targets (issue 4): a 30-turn debrief built and rendered (Markdown, embeds, JSON) in a median ≤ 5 ms;
the cohort report over 1,000 sessions read from a real SQLite file ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.debrief import (
    SessionRecord,
    TurnRecord,
    build_debrief,
    cohort_csv,
    cohort_report,
    render_embeds,
    render_json,
    render_markdown,
)
from bot.detect import detect
from bot.engine.session import Session, TurnResult
from bot.scenario.load import load_scenario
from bot.store import Store
from bot.store.reports import load_summaries

MINI = Path(__file__).resolve().parents[1] / "tests" / "data" / "scenarios" / "mini.yaml"
REPLIES = [
    "That sounds like a real loss.",
    "You should retrain as a welder.",
    "What worries you most about it?",
    "When I was laid off I went fishing.",
    "At least you have the severance.",
    "Did you talk to your family?",
    "I hear you, twenty years is a long time.",
    "Tell me more about the plant.",
]


def transcript(turns: int) -> tuple[object, SessionRecord, list[TurnRecord]]:
    """A `turns`-long session played through the engine (the session never ends early)."""
    scenario = load_scenario(MINI)
    scenario = type(scenario)(**{**{f: getattr(scenario, f) for f in scenario.__dataclass_fields__},
                                 "max_turns": turns + 1, "rules": ()})  # fmt: skip
    s = Session.new(scenario, seed=3)
    records: list[TurnRecord] = []

    def add(speaker: str, text: str, **kw: object) -> None:
        records.append(TurnRecord(len(records) + 1, speaker, text, **kw))  # type: ignore[arg-type]

    for line in s.start():
        add("client", line, node=s.state.node, vars=dict(s.state.vars))
    for n in range(turns):
        if s.finished:
            s = Session.new(scenario, seed=n)
            s.start()
        r = s.reply(REPLIES[n % len(REPLIES)])
        add("learner", r.reply, node=r.from_node, branch=r.branch, detection=r.detection)
        for line in r.lines:
            add("client", line, node=r.to_node, vars=dict(r.vars))
    session = SessionRecord(1, scenario.id, "h", "finished", "neutral", "out_of_time", "time_up",
                            learner_name="Bench", started_at="2026-11-26T10:00:00+00:00")  # fmt: skip
    return scenario, session, records


def bench_debrief(turns: int, runs: int = 200) -> float:
    scenario, session, records = transcript(turns)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        d = build_debrief(scenario, session, records)  # type: ignore[arg-type]
        render_markdown(d)
        render_embeds(d)
        render_json(d)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


async def fill(path: str, sessions: int, turns: int) -> None:
    """`sessions` sessions of `turns` learner turns each (plus the client's lines), as the bot stores
    them, spread over 40 learners, with a facilitator note on every tenth session."""
    scenario = load_scenario(MINI)
    async with await Store.open(path) as store:
        for n in range(sessions):
            s = Session.new(scenario, seed=n)
            rec = await store.create_session(scenario, s.to_dict(), s.start(), guild_id=1,
                                             learner_id=n % 40, learner_name=f"learner {n % 40}")  # fmt: skip
            for k in range(turns):
                reply = REPLIES[(n + k) % len(REPLIES)]
                last = k == turns - 1
                result = TurnResult(
                    turn=k + 1, reply=reply, detection=detect(reply), from_node="opening", to_node="money",
                    branch="branch 1", lines=("The severance covers maybe four months. Then what?",),
                    changes={}, vars={"trust": 2 + k % 3, "openness": 0}, ended=last,
                    ending="out_of_time" if last else None, outcome="neutral" if last else None,
                    end_reason="time_up" if last else None,
                )  # fmt: skip
                await store.record_turn(rec.id, result, s.to_dict())
            if n % 10 == 0:
                await store.add_note(rec.id, "Good reflections; slow down before advising.",
                                     author_id=1, author_name="Facilitator")  # fmt: skip


async def bench_cohort(path: str, runs: int = 5) -> tuple[float, int]:
    times = []
    rows = 0
    async with await Store.open(path) as store:
        for _ in range(runs):
            t0 = time.perf_counter()
            report = cohort_report(await load_summaries(store, 1))
            cohort_csv(report)
            times.append(time.perf_counter() - t0)
            rows = len(report)
    return statistics.median(times) * 1000, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--db", help="reuse (or create) this database instead of a temporary one")
    args = parser.parse_args(argv)

    ms = bench_debrief(args.turns)
    print(
        f"debrief, {args.turns} turns, build + Markdown + embeds + JSON: median {ms:.2f} ms (target ≤ 5 ms)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "bench.db")
        if not args.db or not Path(args.db).exists():
            t0 = time.perf_counter()
            asyncio.run(fill(path, args.sessions, turns=12))
            print(f"(stored {args.sessions} sessions of 12 turns in {time.perf_counter() - t0:.1f} s)")
        ms_cohort, rows = asyncio.run(bench_cohort(path))
    print(f"cohort report over {args.sessions} stored sessions ({rows} learners): median {ms_cohort:.0f} ms "
          "(target ≤ 500 ms)")  # fmt: skip
    return 0 if ms <= 5 and ms_cohort <= 500 else 1


if __name__ == "__main__":
    sys.exit(main())
