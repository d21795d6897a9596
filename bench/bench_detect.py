"""Detector speed: replies per second on the ESConv dev-set texts, a 100 KB reply, and linearity.

    .venv/bin/python bench/bench_detect.py [--file ../shared/data/esconv-dev.csv] [--rounds 5]

Throughput is the best (and the median) of several rounds over all the texts, on one core (this process,
no threads; pin it with `taskset -c 1`), with the lexicon compiled before timing; it is printed by wall
clock and by this process's CPU time (the two differ when other programs share the machine). The figures
go in docs/detector.md and docs/performance.md. The lexicon's start-up time is printed too: about five
seconds the first time on a machine, about one when its compiled patterns come from the cache
(`HEARD_CACHE_DIR=off` to time a cold start every run).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from bot.detect import detect
from bot.detect.compiled import cache_dir
from bot.detect.lexicon import default_lexicon

DEFAULT_FILE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "esconv-dev.csv"
SAMPLE = (
    "That sounds hard, but have you tried calling them? I'm not sure you should. When I was laid off I... "
)


def _texts(path: Path) -> list[str]:
    csv.field_size_limit(1_000_000)
    with path.open(newline="", encoding="utf-8") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def _rounds(func, rounds: int, clock=time.perf_counter) -> list[float]:
    """Seconds per round, fastest first."""
    times = []
    for _ in range(rounds):
        start = clock()
        func()
        times.append(clock() - start)
    return sorted(times)


def _best(func, rounds: int, clock=time.perf_counter) -> float:
    return _rounds(func, rounds, clock)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="CSV with a `text` column")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(
            f"bench_detect: {args.file} not found; pass --file with a CSV that has a `text` column",
            file=sys.stderr,
        )
        return 2

    cache = cache_dir()
    before = set(cache.glob("re-*.bin")) if cache is not None and cache.is_dir() else set()
    start = time.perf_counter()
    lexicon = default_lexicon()
    compile_s = time.perf_counter() - start
    if cache is None:
        how = "compiled, no cache (HEARD_CACHE_DIR=off)"
    elif cache.is_dir() and set(cache.glob("re-*.bin")) - before:
        how = f"compiled; the patterns' code written to {cache}"
    else:
        how = f"the patterns' code read from {cache}"
    texts = _texts(args.file)

    def run_all() -> None:
        for text in texts:
            detect(text)

    run_all()  # warm up
    times = _rounds(run_all, args.rounds)
    seconds = times[0]
    cpu_seconds = _best(run_all, args.rounds, time.process_time)
    print(f"lexicon: {lexicon.size} phrase forms, ready in {compile_s * 1000:.0f} ms ({how})")
    rate = len(texts) / seconds
    mean = sum(map(len, texts)) / len(texts)
    print(f"throughput: {rate:,.0f} replies/s ({len(texts)} dev-set texts, best of {args.rounds})")
    # Other programs sharing the core slow some rounds down: the median says how steady the figure is.
    print(f"throughput, median round: {len(texts) / times[len(times) // 2]:,.0f} replies/s")
    print(f"per reply: {seconds / len(texts) * 1e6:.1f} µs (mean length {mean:.0f} chars)")
    # CPU time of this process only: what one core delivers when other programs share the machine.
    print(f"throughput, CPU time: {len(texts) / cpu_seconds:,.0f} replies/s")

    big = (SAMPLE * (100_000 // len(SAMPLE) + 1))[:100_000]
    big_s = _best(lambda: detect(big), 7)
    print(f"100 KB reply: {big_s * 1000:.1f} ms")
    sizes = (10_000, 100_000)
    times = [_best(lambda n=n: detect(big[:n]), 7) for n in sizes]  # best of 7: single runs are noisy
    ratio = times[1] / times[0]
    print(f"linearity: 10 KB {times[0] * 1000:.1f} ms, 100 KB {times[1] * 1000:.1f} ms (x{ratio:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
