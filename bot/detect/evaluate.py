"""Scoring the detector against labelled replies: precision, recall, F1, confusion, worst misses.

A `LabelMap` says how a data set's labels and Heard's labels meet in a shared set of classes (for
ESConv: "Question" and Heard's open_question/closed_question are both the class "question"). The maps
are data: `bot/detect/esconv.yaml` is the one shipped. Pure: callers read the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from bot.detect.labels import LABELS
from bot.detect.model import Detection

MAX_MISSES = 20
SHIPPED_MAPS = ("esconv",)  # label maps shipped beside this module, `--map NAME`


class MapError(ValueError):
    """A label map that cannot be used; the message says which key is wrong."""


@dataclass(frozen=True, slots=True)
class LabelMap:
    """How gold labels and Heard's labels become the classes that are scored."""

    classes: tuple[str, ...]
    gold: dict[str, str | None]  # data set label → class (None: row not scored)
    predicted: dict[str, str]  # Heard label → class
    name: str = "identity"

    def gold_class(self, label: str) -> str | None:
        """The class of a gold label; a label the map does not name is used as it is."""
        if label in self.gold:
            return self.gold[label]
        return label if label in self.classes else None

    @classmethod
    def identity(cls) -> LabelMap:
        return cls(classes=LABELS, gold={}, predicted={lab: lab for lab in LABELS})

    @classmethod
    def from_data(cls, data: Any, name: str = "<map>") -> LabelMap:
        if not isinstance(data, dict):
            raise MapError(f"{name}: expected a mapping with `classes`, `gold` and `predicted`")
        unknown = set(data) - {"classes", "gold", "predicted", "description"}
        if unknown:
            raise MapError(
                f"{name}: unknown key(s) {', '.join(sorted(unknown))}; use classes, gold, predicted"
            )
        classes = tuple(str(c) for c in data.get("classes") or ())
        if not classes:
            raise MapError(f"{name}: `classes` must list the classes to score")
        gold_raw = data.get("gold") or {}
        pred_raw = data.get("predicted") or {}
        if not isinstance(gold_raw, dict) or not isinstance(pred_raw, dict):
            raise MapError(f"{name}: `gold` and `predicted` must be mappings")
        gold: dict[str, str | None] = {}
        for key, value in gold_raw.items():
            if value is not None and str(value) not in classes:
                raise MapError(
                    f"{name}: gold label {key!r} maps to {value!r}, not one of {', '.join(classes)}"
                )
            gold[str(key)] = None if value is None else str(value)
        predicted = {lab: lab for lab in LABELS if lab in classes}
        for key, value in pred_raw.items():
            if key not in LABELS:
                raise MapError(
                    f"{name}: {key!r} under `predicted` is not a Heard label ({', '.join(LABELS)})"
                )
            if str(value) not in classes:
                raise MapError(
                    f"{name}: Heard label {key!r} maps to {value!r}, not one of {', '.join(classes)}"
                )
            predicted[key] = str(value)
        missing = [lab for lab in LABELS if lab not in predicted]
        if missing:
            raise MapError(f"{name}: `predicted` must give a class for {', '.join(missing)}")
        return cls(classes=classes, gold=gold, predicted=predicted, name=name)

    @classmethod
    def from_yaml(cls, text: str, name: str = "<map>") -> LabelMap:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise MapError(f"{name}: not valid YAML ({exc})") from None
        return cls.from_data(data, name)

    @classmethod
    def builtin(cls, name: str) -> LabelMap:
        """A map shipped with Heard, by name ("esconv")."""
        path = resources.files("bot.detect").joinpath(f"{name}.yaml")
        return cls.from_yaml(path.read_text(encoding="utf-8"), name)


@dataclass(frozen=True, slots=True)
class Miss:
    text: str
    gold: str  # class
    predicted: str  # class
    detection: Detection


@dataclass(slots=True)
class Report:
    """The scores of one evaluation run."""

    classes: tuple[str, ...]
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted) → count
    misses: dict[tuple[str, str], list[Miss]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)  # gold labels not scored → count

    @property
    def total(self) -> int:
        return sum(self.confusion.values())

    @property
    def accuracy(self) -> float:
        right = sum(n for (g, p), n in self.confusion.items() if g == p)
        return right / self.total if self.total else 0.0

    def per_class(self) -> dict[str, tuple[float, float, float, int]]:
        """class → (precision, recall, F1, support)."""
        out = {}
        for c in self.classes:
            tp = self.confusion[(c, c)]
            predicted = sum(n for (_, p), n in self.confusion.items() if p == c)
            support = sum(n for (g, _), n in self.confusion.items() if g == c)
            precision = tp / predicted if predicted else 0.0
            recall = tp / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out[c] = (precision, recall, f1, support)
        return out

    def present(self) -> tuple[str, ...]:
        """The classes the macro average is over: those in the gold labels or the detector's answers
        (a class the file never uses and the detector never gives would only pull the average down)."""
        seen = {c for pair in self.confusion for c in pair}
        return tuple(c for c in self.classes if c in seen)

    @property
    def macro_f1(self) -> float:
        rows = self.per_class()
        present = self.present()
        return sum(rows[c][2] for c in present) / len(present) if present else 0.0


def evaluate(
    rows: Iterable[tuple[str, str]],
    label_map: LabelMap,
    detector: Callable[[str], Detection],
    max_misses: int = MAX_MISSES,
) -> Report:
    """Score `detector` on (text, gold label) pairs.

    Worst misses are kept per (gold, predicted) pair: the ones where the detector was most sure of the
    wrong class (highest winning score), up to `max_misses` each.
    """
    report = Report(classes=label_map.classes)
    candidates: dict[tuple[str, str], list[tuple[float, int, Miss]]] = {}
    for i, (text, gold_label) in enumerate(rows):
        gold = label_map.gold_class(gold_label)
        if gold is None:
            report.skipped[gold_label] += 1
            continue
        detection = detector(text)
        predicted = label_map.predicted.get(detection.label, detection.label)
        report.confusion[(gold, predicted)] += 1
        if gold != predicted:
            key = (gold, predicted)
            confidence = detection.scores.get(detection.label, 0.0)
            candidates.setdefault(key, []).append((-confidence, i, Miss(text, gold, predicted, detection)))
    for key, found in candidates.items():
        found.sort(key=lambda c: (c[0], c[1]))
        report.misses[key] = [m for _, _, m in found[:max_misses]]
    return report


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data (for `--json`)."""
    return {
        "total": report.total,
        "accuracy": round(report.accuracy, 4),
        "macro_f1": round(report.macro_f1, 4),
        "macro_f1_classes": list(report.present()),
        "per_class": {
            c: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n}
            for c, (p, r, f, n) in report.per_class().items()
        },
        "confusion": {g: {p: report.confusion[(g, p)] for p in report.classes} for g in report.classes},
        "skipped": dict(report.skipped),
    }


def confusion_rows(report: Report) -> list[list[str]]:
    """The confusion matrix as text cells: a header row, then one row per gold class."""
    classes = report.classes
    rows = [["gold \\ predicted", *classes]]
    for g in classes:
        rows.append([g, *(str(report.confusion[(g, p)]) for p in classes)])
    return rows


def counts_by_class(labels: Mapping[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(labels.items()))
