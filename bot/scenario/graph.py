"""The conversation as a graph: Mermaid (renders on GitHub) or Graphviz DOT.

Nodes show their id and first line; each branch is an arrow labelled with its condition and its
effects on variables; a branch without `goto` loops back (the client reacts and stays). Global rules
hang off an "any node" box, and the turn limit off a "turn limit" box. Endings are coloured by outcome.
"""

from __future__ import annotations

from bot.scenario.model import Branch, Scenario

COLOURS = {
    "breakthrough": ("#b7e4c7", "#2d6a4f"),
    "progress": ("#cde4ff", "#1d4e89"),
    "neutral": ("#e9ecef", "#495057"),
    "shutdown": ("#f4b6b6", "#9d0208"),
}
MAX_LINE = 48
MAX_CONDITION = 72


def edge_label(branch: Branch, otherwise: bool = False) -> str:
    """'label advice; trust -1' — the condition, then what it does to variables, then the note."""
    condition = "otherwise" if otherwise else branch.when.describe()
    parts = [condition if len(condition) <= MAX_CONDITION else condition[: MAX_CONDITION - 1] + "…"]
    effects = [f"{var} = {value}" for var, value in branch.set.items()]
    effects += [f"{var} {'+' if delta >= 0 else '-'}{abs(delta)}" for var, delta in branch.add.items()]
    if effects:
        parts.append(", ".join(effects))
    label = "; ".join(parts)
    return f"{label} ({branch.note})" if branch.note else label


def edges(sc: Scenario) -> list[tuple[str, str, list[str], bool]]:
    """(from, to, labels, dashed): branches between the same two places share one arrow."""
    merged: dict[tuple[str, str, bool], list[str]] = {}
    for src, dst, label, dashed in _edges(sc):
        merged.setdefault((src, dst, dashed), []).append(label)
    return [(src, dst, labels, dashed) for (src, dst, dashed), labels in merged.items()]


def _edges(sc: Scenario) -> list[tuple[str, str, str, bool]]:
    out: list[tuple[str, str, str, bool]] = []
    for node in sc.nodes.values():
        for branch in node.branches:
            out.append((node.id, branch.goto or node.id, edge_label(branch), False))
        if node.otherwise is not None:
            out.append((node.id, node.otherwise.goto or node.id, edge_label(node.otherwise, True), True))
    for rule in sc.rules:
        if rule.goto:
            out.append(("@rules", rule.goto, edge_label(rule), False))
    out.append(("@turns", sc.time_up, f"after {sc.max_turns} turns", True))
    return out


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LINE else text[: MAX_LINE - 1].rstrip() + "…"


# --- Mermaid ------------------------------------------------------------------------------------
def _mm(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(sc: Scenario) -> str:
    ids = _ids(sc)
    lines = [f"%% {sc.id}: {sc.title}", "flowchart TD"]
    lines.append(f'  {ids["@start"]}(("start")) --> {ids[sc.start]}')
    for node in sc.nodes.values():
        lines.append(f'  {ids[node.id]}["<b>{_mm(node.id)}</b><br/>{_mm(_short(node.says[0]))}"]')
    for ending in sc.endings.values():
        lines.append(
            f'  {ids[ending.id]}(["{_mm(ending.id)}<br/><i>{ending.outcome}</i>"]):::{ending.outcome}'
        )
    if sc.rules:
        lines.append(f'  {ids["@rules"]}{{{{"any node (rules)"}}}}')
    lines.append(f'  {ids["@turns"]}{{{{"turn limit"}}}}')
    for src, dst, labels, dashed in edges(sc):
        arrow = "-.->" if dashed else "-->"
        text = "<br/>".join(_mm(label) for label in labels)
        lines.append(f'  {ids[src]} {arrow}|"{text}"| {ids[dst]}')
    for outcome, (fill, stroke) in COLOURS.items():
        lines.append(f"  classDef {outcome} fill:{fill},stroke:{stroke},color:#000")
    return "\n".join(lines)


# --- Graphviz DOT -------------------------------------------------------------------------------
def _dot(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(sc: Scenario) -> str:
    lines = [
        f"digraph {_dot(sc.id)} {{",
        "  rankdir=TB;",
        '  node [fontname="Helvetica", shape=box, style=rounded];',
    ]
    lines.append('  "@start" [label="start", shape=circle];')
    lines.append(f'  "@start" -> {_dot(sc.start)};')
    for node in sc.nodes.values():
        lines.append(f"  {_dot(node.id)} [label={_dot(node.id + chr(10) + _short(node.says[0]))}];")
    for ending in sc.endings.values():
        fill, stroke = COLOURS.get(ending.outcome, COLOURS["neutral"])
        label = _dot(f"{ending.id}\n{ending.outcome}")
        lines.append(
            f'  {_dot(ending.id)} [label={label}, shape=doubleoctagon, style=filled, fillcolor="{fill}", '
            f'color="{stroke}"];'
        )
    if sc.rules:
        lines.append('  "@rules" [label="any node (rules)", shape=hexagon];')
    lines.append('  "@turns" [label="turn limit", shape=hexagon];')
    for src, dst, labels, dashed in edges(sc):
        style = ", style=dashed" if dashed else ""
        lines.append(f"  {_dot(src)} -> {_dot(dst)} [label={_dot(chr(10).join(labels))}{style}];")
    lines.append("}")
    return "\n".join(lines)


def _ids(sc: Scenario) -> dict[str, str]:
    """Short Mermaid-safe ids (a node called `end` or `x-y` would break Mermaid's syntax)."""
    names = ["@start", "@rules", "@turns", *sc.nodes, *sc.endings]
    return {name: f"n{i}" for i, name in enumerate(names)}
