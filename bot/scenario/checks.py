"""Checks that need the whole scenario: names that must exist, and the shape of the conversation graph.

- every goto, start, time_up, test node and variable names something declared;
- every node and ending can be reached from `start`;
- some path of gotos leads from `start` to an ending (not only running out of turns).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.scenario.model import Branch, Scenario
from bot.scenario.parse import Parsed, Ref
from bot.scenario.problems import did_you_mean
from bot.scenario.yamlread import Reader


def check(parsed: Parsed, reader: Reader) -> None:
    for ref in parsed.refs:
        resolve(parsed.scenario, ref, reader)
    reachability(parsed, reader)


def resolve(sc: Scenario, ref: Ref, reader: Reader) -> None:
    name = ref.name
    if ref.kind == "var":
        if name not in sc.variables:
            hint = did_you_mean(name, sc.variables) or "; declare it under `variables:` with a start value"
            reader.report(ref.node, f'variable "{name}" in {ref.what} is not declared{hint}')
        return
    if ref.kind == "target":
        if name not in sc.nodes and name not in sc.endings:
            hint = did_you_mean(name, [*sc.nodes, *sc.endings])
            reader.report(ref.node, f'{ref.what} "{name}": there is no node or ending with that id{hint}')
        return
    wanted, other = (sc.nodes, sc.endings) if ref.kind == "node" else (sc.endings, sc.nodes)
    if name in wanted:
        return
    if name in other:
        reader.report(
            ref.node,
            f"{ref.what} must name {'a node' if ref.kind == 'node' else 'an ending'}; "
            f'"{name}" is {"an ending" if ref.kind == "node" else "a node"}',
        )
    else:
        hint = did_you_mean(name, wanted)
        reader.report(ref.node, f'{ref.what} "{name}": there is no {ref.kind} with that id{hint}')


def gotos(branches: Iterable[Branch | None]) -> list[str]:
    return [b.goto for b in branches if b is not None and b.goto]


def successors(sc: Scenario, node_id: str) -> list[str]:
    """Where a reply at this node can lead by goto (global rules apply at every node)."""
    node = sc.nodes[node_id]
    return gotos([*node.branches, node.otherwise, *sc.rules])


def reachable(sc: Scenario, start: str | None = None) -> set[str]:
    """Node and ending ids some sequence of gotos reaches from `start` (start included)."""
    begin = start or sc.start
    if begin not in sc.nodes:
        return set()
    seen = {begin}
    todo = [begin]
    while todo:
        for nxt in successors(sc, todo.pop()):
            if nxt not in seen and (nxt in sc.nodes or nxt in sc.endings):
                seen.add(nxt)
                if nxt in sc.nodes:
                    todo.append(nxt)
    return seen


def reachability(parsed: Parsed, reader: Reader) -> None:
    sc = parsed.scenario
    if sc.start not in sc.nodes:
        return  # already reported as a bad reference
    seen = reachable(sc)
    for ident in sc.nodes:
        if ident not in seen:
            reader.report(
                parsed.marks.get(f"node:{ident}"),
                f'node "{ident}" is unreachable: no goto leads to it from start "{sc.start}"',
            )
    for ident in sc.endings:
        if ident not in seen and ident != sc.time_up:
            reader.report(
                parsed.marks.get(f"ending:{ident}"),
                f'ending "{ident}" is unreachable: no goto leads to it from start "{sc.start}"',
            )
    if sc.endings and not any(e in seen for e in sc.endings):
        reader.report(
            parsed.marks.get("start"),
            f'no path from start "{sc.start}" leads to an ending; add a goto to an ending '
            "(running out of turns should not be the only way out)",
        )
