"""`heard detect`: label replies from stdin as JSON lines, explain one reply, or score a labelled CSV.

heard detect < replies.txt                   one JSON object per input line
heard detect "That sounds hard" "Try again"  the same, for replies given as arguments
heard detect --explain "I hear you, but..."  the evidence, highlighted for a person (more replies: each)
heard detect eval FILE.csv --text-col text --label-col strategy [--map esconv]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from bot.detect import detect
from bot.detect.evaluate import (
    MAX_MISSES,
    SHIPPED_MAPS,
    LabelMap,
    MapError,
    Report,
    confusion_rows,
    evaluate,
    report_dict,
)
from bot.detect.explain import explain

log = logging.getLogger(__name__)
MAX_CSV_FIELD = 1_000_000  # characters; the csv module's default (131,072) is too small for long replies


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "detect",
        help="label replies (stdin → JSON lines), explain one, or score a labelled CSV",
        usage="heard detect [-h] [--explain TEXT] [REPLY ...] | eval FILE.csv ...",
        description="Label learner replies: each REPLY given, or with none, one reply per line on stdin. "
        "Writes one JSON object per reply: label, scores, evidence, reason.",
    )
    parser.add_argument(
        "--explain",
        metavar="TEXT",
        help="explain how a reply (and each REPLY after it) is labelled, for a person",
    )
    # Filled from `heard detect REPLY...` by `shorthand()`: argparse cannot mix free text with `eval`.
    parser.add_argument("--reply", action="append", default=[], help=argparse.SUPPRESS)
    parser.set_defaults(handler=run_detect)
    detect_sub = parser.add_subparsers(dest="detect_command", metavar="eval")
    ev = detect_sub.add_parser(
        "eval",
        help="score the detector on a labelled CSV",
        description="Score the detector on a labelled CSV: per-class precision, recall and F1, macro-F1, "
        "accuracy, the confusion matrix and the worst misses.",
    )
    ev.add_argument("file", metavar="FILE.csv", help="CSV with a header row")
    ev.add_argument("--text-col", default="text", help="column holding the reply (default: text)")
    ev.add_argument("--label-col", default="label", help="column holding the gold label (default: label)")
    ev.add_argument(
        "--map",
        metavar="FILE.yaml",
        help="how the file's labels meet Heard's (a YAML file, or 'esconv' for the shipped map); "
        "default: Heard's own labels, or a shipped map when the file's labels are the ones it maps",
    )
    ev.add_argument(
        "--misses", type=int, default=MAX_MISSES, help=f"worst misses per kind (default {MAX_MISSES})"
    )
    ev.add_argument("--json", action="store_true", help="print the scores as JSON instead of tables")
    ev.set_defaults(handler=run_eval)


def shorthand(argv: Sequence[str]) -> list[str]:
    """`heard detect "some reply" "another"` → `heard detect --reply "some reply" --reply "another"`
    (and the same after `--explain TEXT`, which then explains every reply given)."""
    argv = list(argv)
    if "detect" not in argv:
        return argv
    at = argv.index("detect") + 1
    if any(not a.startswith("-") for a in argv[: at - 1]):  # "detect" is an argument, not the command
        return argv
    rest = argv[at:]
    if not rest or rest[0] == "eval":
        return argv
    out = argv[:at]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--explain" and i + 1 < len(rest):
            out += [arg, rest[i + 1]]
            i += 2
        elif arg.startswith("-"):  # -h, --explain=TEXT, or an unknown option: argparse says what it is
            out.append(arg)
            i += 1
        else:
            out += ["--reply", arg]
            i += 1
    return out


def _write(replies: Iterable[str], flush: bool) -> None:
    out = sys.stdout
    for reply in replies:
        out.write(json.dumps(detect(reply).to_dict(), ensure_ascii=False) + "\n")
        if flush:
            out.flush()


def _stdin_lines() -> Iterator[str]:
    # Bytes, decoded leniently: one undecodable byte must not stop a batch of replies.
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def run_detect(args: argparse.Namespace) -> int:
    if args.explain is not None:  # `--explain "a reply" "another"` explains each, a blank line between
        colour = sys.stdout.isatty()
        print("\n\n".join(explain(reply, colour=colour) for reply in (args.explain, *args.reply)))
        return 0
    if args.reply:
        _write(args.reply, flush=False)
        return 0
    _write(_stdin_lines(), flush=sys.stdin.isatty())
    return 0


def _label_map(spec: str | None) -> LabelMap:
    if spec is None:
        return LabelMap.identity()
    path = Path(spec)
    if path.suffix in (".yaml", ".yml") or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise MapError(f"cannot read the label map {spec}: {exc.strerror or exc}") from None
        return LabelMap.from_yaml(text, str(path))
    try:
        return LabelMap.builtin(spec)
    except FileNotFoundError:
        raise MapError(f"no label map {spec!r}: give a YAML file or 'esconv'") from None


def _rows(path: Path, text_col: str, label_col: str) -> list[tuple[str, str]]:
    csv.field_size_limit(MAX_CSV_FIELD)
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames or []
        for col, flag in ((text_col, "--text-col"), (label_col, "--label-col")):
            if col not in columns:
                have = ", ".join(columns) or "none"
                raise ValueError(f"{path}: no column {col!r} (columns: {have}); choose one with {flag}")
        rows = []
        start = reader.line_num + 1  # the line the next row starts on
        for row in reader:
            if None in row.values() and any("\n" in (v or "") for v in row.values()):
                # Fewer fields than the header, one of them running over lines: a quote that opens a
                # field and never closes swallows the rest of the file.
                raise ValueError(
                    f"{path}: line {start}: a quote opens a field there and is never closed, so the rest "
                    'of the file reads as one field; close it (a quote inside a quoted field is written "")'
                )
            rows.append((row.get(text_col) or "", (row.get(label_col) or "").strip()))
            start = reader.line_num + 1
        return rows


def _guess_map(rows: list[tuple[str, str]]) -> LabelMap:
    """With no --map: Heard's own labels, or the shipped map that names every label the file uses."""
    identity = LabelMap.identity()
    seen = {label for _, label in rows if label}
    if not seen or any(identity.gold_class(label) for label in seen):
        return identity
    for name in SHIPPED_MAPS:
        shipped = LabelMap.builtin(name)
        if seen <= set(shipped.gold):
            print(
                f"heard detect eval: the labels are {name}'s, so they are scored with the shipped "
                f"{name} map (--map chooses another)",
                file=sys.stderr,
            )
            return shipped
    return identity


def run_eval(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        rows = _rows(path, args.text_col, args.label_col)
        label_map = _label_map(args.map) if args.map is not None else _guess_map(rows)
    except MapError as exc:
        print(f"heard detect eval: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"heard detect eval: {exc}", file=sys.stderr)
        return 2
    except (OSError, csv.Error) as exc:
        reason = getattr(exc, "strerror", None) or exc
        print(f"heard detect eval: cannot read {path}: {reason}", file=sys.stderr)
        return 2
    report = evaluate(rows, label_map, detect, max_misses=max(0, args.misses))
    if report.total == 0:
        print(
            f"heard detect eval: no row of {path} has a label the map scores "
            f"(labels seen: {', '.join(sorted(report.skipped)) or 'none'}); check --label-col and --map",
            file=sys.stderr,
        )
        return 1
    hint = _unscored_hint(report, label_map)
    if hint:
        print(f"heard detect eval: {hint}", file=sys.stderr)
    if args.json:
        print(json.dumps(report_dict(report), indent=2))
    else:
        print(render_report(report, path.name, label_map.name))
    return 0


def _rows_word(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _unscored_hint(report: Report, label_map: LabelMap) -> str | None:
    """A "did you mean" for gold labels that were not scored but look like a typo of one that is."""
    known = [*label_map.gold, *label_map.classes, *label_map.predicted]
    hints = []
    for label in sorted(report.skipped):
        if label in label_map.gold:  # left out on purpose by the map
            continue
        close = difflib.get_close_matches(label, known, n=1, cutoff=0.75)
        if close:
            hints.append(f'"{label}" ({_rows_word(report.skipped[label])}): did you mean "{close[0]}"?')
    return "not scored: " + "; ".join(hints) if hints else None


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]


def render_report(report: Report, name: str, map_name: str) -> str:
    """The evaluation as text tables: per class, overall, confusion, worst misses."""
    skipped = sum(report.skipped.values())
    head = f"{name}: {_rows_word(report.total)} scored with the {map_name} map"
    if skipped:
        head += (
            f"; {skipped} not scored ({', '.join(f'{k}: {v}' for k, v in sorted(report.skipped.items()))})"
        )
    rows = [["class", "precision", "recall", "F1", "support"]]
    present = report.present()
    for c, (p, r, f, n) in report.per_class().items():
        if c in present:
            rows.append([c, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(n)])
        else:  # neither in the file nor detected: no score to give
            rows.append([c, "–", "–", "–", "0"])
    overall = f"macro-F1 {report.macro_f1:.3f}   accuracy {report.accuracy:.3f}"
    if len(present) < len(report.classes):
        overall += (
            f"   (macro-F1 over the {len(present)} classes in the file or detected: {', '.join(present)})"
        )
    lines = [head, "", *_table(rows), "", overall]
    lines += ["", "Confusion (rows: gold class, columns: predicted class)", *_table(confusion_rows(report))]
    if any(report.misses.values()):
        lines += ["", "Worst misses (the detector's most confident wrong answers):"]
        for (gold, predicted), misses in sorted(
            report.misses.items(), key=lambda kv: -report.confusion[kv[0]]
        ):
            if not misses:
                continue
            lines.append(
                f"\n  gold {gold} → detected {predicted} ({report.confusion[(gold, predicted)]} rows)"
            )
            for miss in misses:
                cues = (
                    "; ".join(f"{e.label}: {e.text!r}" for e in miss.detection.evidence if not e.cancelled)
                    or "no cue"
                )
                text = " ".join(miss.text.split())
                lines.append(f"    - {text[:160] + ('…' if len(text) > 160 else '')}")
                lines.append(f"        {miss.detection.label} ← {cues}")
    return "\n".join(lines)
