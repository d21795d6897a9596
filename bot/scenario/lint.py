"""Warnings for a valid scenario: things that load and run, but make a weaker role-play.

- a node with a single line that the learner may hear again (it will feel canned);
- a node whose only way out is `otherwise` (what the learner says makes no difference);
- a dead end: a node from which no goto leads to an ending (only the turn limit ends it);
- a branch that can never be taken because an earlier one always applies;
- an ending that no test under `tests:` reaches;
- a variable that no branch changes or no `if` reads (the meter counts as read);
- a detector label that no branch or rule looks at;
- a word list under `words:` that no condition names, and a plain word that is a list's name;
- a node without a model reply (or its `why`), so a debrief has nothing to show after a misstep.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, SequenceNode

from bot.detect.labels import LABELS
from bot.scenario.checks import reachable
from bot.scenario.model import Branch, Scenario
from bot.scenario.model import Node as ScriptNode
from bot.scenario.problems import WARNING, Problem
from bot.scenario.yamlread import Reader, compose, position

# Top-level mappings whose entries lint points at, and the prefix of their keys ("node:opening").
KINDS = {"nodes": "node", "endings": "ending", "variables": "var", "words": "word"}
# Labels a scenario may leave to `otherwise` without a warning.
QUIET_LABELS = ("neutral",)


def lint_scenario(sc: Scenario) -> list[Problem]:
    """Every warning for one (already valid) scenario, in file order."""
    where = _Where(sc)
    out: list[Problem] = []

    def warn(key: str, message: str) -> None:
        line, column = where.at(key)
        out.append(Problem(sc.path or "<string>", line, column, message, WARNING))

    for node in sc.nodes.values():
        key = f"node:{node.id}"
        if len(node.says) == 1 and heard_again(sc, node):
            warn(
                f"{key}:says",
                f'node "{node.id}" has one line but the learner may hear it more than once; '
                "add two or three variants so it does not feel canned",
            )
        if left_only_by_otherwise(node):
            warn(
                key,
                f'node "{node.id}" can be left only through `otherwise`: what the learner says makes '
                "no difference here; add branches on labels",
            )
        if not _reaches_ending(sc, node.id):
            warn(
                key,
                f'node "{node.id}" is a dead end: no goto from here leads to an ending, '
                "only the turn limit ends the conversation",
            )
        for i, later in shadowed(node.branches):
            warn(
                f"{key}:branches:{later}",
                f'node "{node.id}" branch {later} can never be taken: branch {i} before it always applies',
            )
        for i, branch in enumerate(node.branches, 1):
            for message in forgotten_lists(sc, branch, f'node "{node.id}" branch {i}'):
                warn(f"{key}:branches:{i}", message)
        if not node.model_reply:
            warn(
                key,
                f'node "{node.id}" has no model_reply: a debrief has nothing to show a learner who '
                "gave advice or judged here",
            )
        elif not node.why:
            warn(
                key,
                f'node "{node.id}" has a model_reply but no `why` (the one-line rationale the debrief shows)',
            )

    tested = tested_endings(sc)
    for ending in sc.endings:
        if ending not in tested:
            warn(f"ending:{ending}", f'ending "{ending}" is not reached by any test; add one under `tests:`')

    conditions = [c for b in all_branches(sc) for c in b.when.flat()]
    read = {check.var for c in conditions for check in c.checks}
    changed = {var for b in all_branches(sc) for var in (*b.set, *b.add)}
    for var, start in sc.variables.items():
        message = variable_warning(var, start, var in read, var in changed, var == sc.meter_var)
        if message:
            warn(f"var:{var}", message)

    for i, rule in enumerate(sc.rules, 1):
        for message in forgotten_lists(sc, rule, f"rule {i}"):
            warn(f"rules:{i}", message)

    named = {wl.name for c in conditions for wl in c.lists}
    for name in sc.words:
        if name not in named:
            warn(
                f"word:{name}",
                f'word list "{name}" is not used by any condition; name it in a `mentions:` as '
                f'"${name}", or remove it',
            )

    used = {lab for c in conditions for lab in (*c.label, *c.not_label, *c.has)}
    unused = [lab for lab in LABELS if lab not in used and lab not in QUIET_LABELS]
    if unused:
        warn(
            "nodes",
            "no branch looks at the label"
            + ("s " if len(unused) > 1 else " ")
            + ", ".join(unused)
            + "; such replies all fall through to `otherwise`",
        )
    return sorted(out, key=Problem.sort_key)


def variable_warning(var: str, start: int, read: bool, changed: bool, meter: bool) -> str | None:
    """What is true of a variable that is not both changed by a branch and read by an `if`."""
    if read and changed:
        return None
    if not read and not changed:
        if meter:
            return (
                f'variable "{var}" is the meter but no branch changes it (no `set:` or `add:`), '
                f"so the debrief always shows {start}"
            )
        return (
            f'variable "{var}" is declared but never used: no branch changes it and no `if` reads it; '
            "use it or remove it"
        )
    if not read:
        if meter:
            return None  # the debrief reads it
        return f'variable "{var}" is changed but never read by an `if`; use it or remove it'
    return (
        f'variable "{var}" is read by an `if` but no branch changes it (no `set:` or `add:`), '
        f"so it always stays {start}"
    )


def all_branches(sc: Scenario) -> list[Branch]:
    out = list(sc.rules)
    for node in sc.nodes.values():
        out.extend(node.branches)
        if node.otherwise is not None:
            out.append(node.otherwise)
    return out


def forgotten_lists(sc: Scenario, branch: Branch, where: str) -> list[str]:
    """A warning for each plain word in `mentions` that is also the name of a word list (the `$` was
    likely forgotten); `where` names the branch or rule ("rule 2")."""
    return [
        f'{where} mentions the word "{word}", and there is a word list "{word}": '
        f'write "${word}" to use the list'
        for c in branch.when.flat()
        for word in c.mentions
        if word in sc.words
    ]


def heard_again(sc: Scenario, node: ScriptNode) -> bool:
    """Whether the node's line can be said more than once in a session."""
    if node.id == sc.start and any(node.id in _targets(n) for n in sc.nodes.values()):
        return True
    if node.otherwise is None or (node.otherwise.goto in (None, node.id) and not node.otherwise.says):
        return True  # an unmatched reply stays here and the client repeats a line
    if any(b.goto == node.id for b in node.branches):
        return True
    if any(b.goto is None and not b.says for b in node.branches):
        return True
    incoming = sum(list(_targets(n)).count(node.id) for n in sc.nodes.values() if n.id != node.id)
    return incoming >= 3


def left_only_by_otherwise(node: ScriptNode) -> bool:
    way_out = node.otherwise is not None and node.otherwise.goto not in (None, node.id)
    return way_out and all(b.goto in (None, node.id) for b in node.branches)


def shadowed(branches: tuple[Branch, ...]) -> list[tuple[int, int]]:
    for i, branch in enumerate(branches, 1):
        if branch.when.always and i < len(branches):
            return [(i, j) for j in range(i + 1, len(branches) + 1)]
    return []


def tested_endings(sc: Scenario) -> set[str]:
    out: set[str] = set()
    for test in sc.tests:
        if test.expect_ending:
            out.add(test.expect_ending)
        out.update(step for step in test.expect_nodes if step in sc.endings)
    return out


def _targets(node: ScriptNode) -> list[str]:
    return [b.goto for b in (*node.branches, node.otherwise) if b is not None and b.goto]


def _reaches_ending(sc: Scenario, node_id: str) -> bool:
    return any(t in sc.endings for t in reachable(sc, node_id))


class _Where:
    """Line and column of the parts lint talks about, from the scenario's own source text."""

    def __init__(self, sc: Scenario) -> None:
        self.marks: dict[str, Node] = {}
        root = compose(sc.source, Reader(sc.path)) if sc.source else None
        if not isinstance(root, MappingNode):
            return
        for key, value in root.value:
            self.marks[str(key.value)] = key
            if key.value == "rules":
                self.items("rules", value)
            if key.value in KINDS and isinstance(value, MappingNode):
                kind = KINDS[key.value]
                for name, body in value.value:
                    self.marks[f"{kind}:{name.value}"] = name
                    if isinstance(body, MappingNode):
                        for field, field_value in body.value:
                            self.marks[f"{kind}:{name.value}:{field.value}"] = field
                            if field.value == "branches":
                                self.items(f"{kind}:{name.value}:branches", field_value)

    def items(self, key: str, node: Node) -> None:
        """`key:1`, `key:2`... for the items of a list (branches, rules), counted from 1 as messages do."""
        if isinstance(node, SequenceNode):
            for i, item in enumerate(node.value, 1):
                self.marks[f"{key}:{i}"] = item

    def at(self, key: str) -> tuple[int, int]:
        while key not in self.marks and ":" in key:
            key = key.rsplit(":", 1)[0]
        return position(self.marks.get(key))
