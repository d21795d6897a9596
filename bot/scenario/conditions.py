"""Reading `when:` conditions and the `words:` lists they name, with every problem at its line and column.

A condition is a mapping of parts that must all hold (label, not_label, has, mentions, if) plus an
optional `any:` list of alternative conditions, one of which must hold. `mentions` may name a word
list declared once at the top of the file: `$money` stands for every word of `words: {money: [...]}`.
The `$` sigil was chosen over `@` because YAML refuses a plain `@money` (it must be quoted), while
`$money` needs no quotes in a flow list; an item is a list name only when a letter follows the `$`,
so an amount such as `$500` stays a literal word.

Problems inside `any` start with the path of the alternative (`nodes.intro.branches[2].when.any[1]`,
counted from 1 like "branch 2" everywhere else), because one line often holds several alternatives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.detect.labels import LABELS
from bot.scenario.model import Condition, VarCheck, WordList
from bot.scenario.problems import did_you_mean, one_of
from bot.scenario.schema import CHECK, WHEN_KEYS, WORD_LIST, WORD_LIST_REF
from bot.scenario.yamlread import NULL_TAG, Reader

# Called with (variable name, where it is written, what it is) for each variable an `if` reads.
VarRef = Callable[[str, Node, str], None]


class ConditionReader:
    """Builds Conditions for one file; `words` must be read before any condition that names a list."""

    def __init__(self, reader: Reader, on_var: VarRef) -> None:
        self.r = reader
        self.on_var = on_var
        self.words: dict[str, WordList] = {}

    # --- words: -----------------------------------------------------------------------------------
    def word_lists(self, node: Node) -> dict[str, WordList]:
        for name, key_node, value in self.r.named_mapping(node, "words"):
            if not WORD_LIST.fullmatch(name):
                self.r.report(
                    key_node,
                    f'word list "{name}" should start with a letter and use only letters, digits, _ and -',
                )
            if isinstance(value, SequenceNode) and not value.value:
                self.r.report(value, f'word list "{name}" is empty; give at least one word')
            words = self.r.texts(value, f'word list "{name}"', allow_empty=True) or ()
            items = value.value if isinstance(value, SequenceNode) else [value]
            for item, word in zip(items, words, strict=False):
                if WORD_LIST_REF.match(word):
                    self.r.report(
                        item,
                        f'word list "{name}" includes "{word}"; a list holds words, not other lists '
                        "(name both lists in the condition instead)",
                    )
            self.words[name] = WordList(name, words)
        return self.words

    # --- when: ------------------------------------------------------------------------------------
    def condition(self, node: Node, branch: str = "") -> Condition:
        """The `when` of the branch at `branch` (a path like `nodes.intro.branches[2]`, for messages)."""
        f = self.r.mapping(node, "when", WHEN_KEYS)
        if f is None:
            return Condition()
        alternatives: tuple[Condition, ...] = ()
        if "any" in f:
            alternatives = self.alternatives(f["any"], f"{branch}.when.any" if branch else "when.any")
        return replace(self.parts(f), any=alternatives)

    def alternatives(self, node: Node, where: str) -> tuple[Condition, ...]:
        if not isinstance(node, SequenceNode):
            example = "a list of conditions, e.g. any: [{label: empathy}, {has: advice}]"
            self.r.wrong_type(node, where, example)
            return ()
        if not node.value:
            self.r.report(node, f"{where} is an empty list; give the alternatives, one of which must hold")
            return ()
        out = []
        for i, item in enumerate(node.value, 1):
            path = f"{where}[{i}]"
            if isinstance(item, MappingNode) and not item.value:
                self.r.report(item, f"{path} is empty; an empty condition always holds, so the any would too")
                continue
            f = self.r.mapping(item, path, WHEN_KEYS)
            if f is None:
                continue
            if "any" in f:
                self.r.report(
                    f["any"],
                    f"{path}.any: any inside any is not supported; put all the alternatives in one any, "
                    "or split the branch in two",
                )
            out.append(self.parts(f, path))
        return tuple(out)

    def parts(self, f: dict[str, Node], path: str = "") -> Condition:
        """Every part but `any`; `path` (inside an alternative) prefixes each part's name in messages."""
        at = f"{path}." if path else ""
        named = bool(path)
        labels = {k: self.labels(f[k], f"{at}{k}", named) for k in ("label", "not_label", "has") if k in f}
        mentions, lists = self.mentions(f["mentions"], f"{at}mentions") if "mentions" in f else ((), ())
        return Condition(
            label=labels.get("label", ()),
            not_label=labels.get("not_label", ()),
            has=labels.get("has", ()),
            mentions=mentions,
            checks=self.checks(f["if"], f"{at}if", named) if "if" in f else (),
            lists=lists,
        )

    # --- parts ------------------------------------------------------------------------------------
    def items(self, node: Node, what: str) -> list[Node]:
        """One value or a list of values, as nodes (`label: advice` or `label: [advice, judgment]`)."""
        if isinstance(node, ScalarNode) and node.tag != NULL_TAG:
            return [node]
        if isinstance(node, SequenceNode):
            if not node.value:
                self.r.report(node, f"{what} is an empty list")
            return list(node.value)
        self.r.wrong_type(node, what, "a label or a list of labels")
        return []

    def labels(self, node: Node, what: str, named: bool = False) -> tuple[str, ...]:
        """Labels; `named` puts `what` (a path inside `any`) in front of each problem."""
        out = []
        for item in self.items(node, what):
            label = self.r.text(item, what)
            if label is not None and self.label_ok(item, label, what if named else ""):
                out.append(label)
        return tuple(out)

    def label_ok(self, node: Node, label: str, where: str = "") -> bool:
        if label in LABELS:
            return True
        hint = did_you_mean(label, LABELS) or f"; detector labels are: {one_of(LABELS)}"
        self.r.report(node, f'{where + ": " if where else ""}"{label}" is not a detector label{hint}')
        return False

    def mentions(self, node: Node, what: str) -> tuple[tuple[str, ...], tuple[WordList, ...]]:
        """Literal words, and the word lists named with `$name`, in the order written."""
        words = self.r.texts(node, what) or ()
        items = node.value if isinstance(node, SequenceNode) else [node]
        literal: list[str] = []
        lists: list[WordList] = []
        for item, word in zip(items, words, strict=False):
            if not WORD_LIST_REF.match(word):
                literal.append(word)
                continue
            name = word[1:]
            if name in self.words:
                lists.append(self.words[name])
                continue
            hint = did_you_mean(name, self.words).replace(' "', ' "$', 1)
            hint = hint or "; declare it under `words:` at the top of the file"
            self.r.report(item, f'{what} "{word}": there is no word list with that name{hint}')
        return tuple(literal), tuple(lists)

    def checks(self, node: Node, what: str = "if", named: bool = False) -> tuple[VarCheck, ...]:
        out = []
        prefix = f"{what}: " if named else ""
        for item in self.items(node, what):
            expr = self.r.text(item, what)
            if expr is None:
                continue
            m = CHECK.fullmatch(expr)
            if m is None:
                self.r.report(
                    item,
                    f'{prefix}cannot read the condition "{expr}"; write `variable op number`, '
                    "e.g. `trust >= 3`, with op one of <= >= == != < >",
                )
                continue
            self.on_var(m.group(1), item, "if")
            out.append(VarCheck(m.group(1), m.group(2), int(m.group(3))))
        return tuple(out)
