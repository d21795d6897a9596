"""Typed reading of a composed YAML node tree, collecting problems instead of stopping at the first.

The scenario file is composed (never constructed into Python objects) with PyYAML's SafeLoader, so
every value keeps its line and column. Each accessor returns the value, or None after recording a
problem at the exact place in the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.scenario.problems import ERROR, Problem, did_you_mean
from bot.scenario.yamlhints import syntax_problem

INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
FLOAT_TAG = "tag:yaml.org,2002:float"

_constructor = SafeConstructor()
# libyaml's safe loader when PyYAML was built with it (several times faster); same nodes and marks.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def describe(node: Node) -> str:
    """How a person would name what they wrote: 'a list', 'a number', 'nothing'..."""
    if isinstance(node, MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SequenceNode):
        return "a list"
    return {
        INT_TAG: "a whole number",
        FLOAT_TAG: "a decimal number",
        BOOL_TAG: "true/false",
        NULL_TAG: "nothing",
    }.get(node.tag, "text")


class Reader:
    """Reads values out of YAML nodes for one file, remembering every problem on the way."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    # --- reporting -----------------------------------------------------------------------------
    def report(self, node: Node | None, message: str, severity: str = ERROR) -> None:
        line, column = position(node)
        self.problems.append(Problem(self.path, line, column, message, severity))

    def wrong_type(self, node: Node, what: str, expected: str) -> None:
        self.report(node, f"{what} should be {expected}, not {describe(node)}")

    # --- structure -----------------------------------------------------------------------------
    def mapping(
        self, node: Node, what: str, keys: Mapping[str, bool], *, required_note: str = ""
    ) -> dict[str, Node] | None:
        """A mapping with known keys (key -> required?). Unknown, duplicate and missing keys are
        reported; the known keys present are returned with their value nodes."""
        if not isinstance(node, MappingNode):
            self.wrong_type(node, what, "a mapping (key: value lines)")
            return None
        found: dict[str, Node] = {}
        misspelt: set[str] = set()  # required keys an unknown key was a typo of: no "missing" too
        for key_node, value_node in node.value:
            key = self.key(key_node, what)
            if key is None:
                continue
            if key in found:
                self.report(key_node, f'"{key}" appears twice in {what}; keep one')
            elif key not in keys:
                close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
                misspelt.update(close)
                hint = did_you_mean(key, keys) or f" (expected one of: {', '.join(keys)})"
                self.report(key_node, f'unknown key "{key}" in {what}{hint}')
            else:
                found[key] = value_node
        for key, required in keys.items():
            if required and key not in found and key not in misspelt:
                self.report(node, f'{what} is missing "{key}"{required_note}')
        return found

    def named_mapping(self, node: Node, what: str) -> list[tuple[str, Node, Node]]:
        """A mapping from names the author chooses (node ids, variables...) to values."""
        if not isinstance(node, MappingNode):
            self.wrong_type(node, what, "a mapping (name: value lines)")
            return []
        out: list[tuple[str, Node, Node]] = []
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = self.key(key_node, what)
            if key is None:
                continue
            if key in seen:
                self.report(key_node, f'"{key}" appears twice in {what}; names must be unique')
                continue
            seen.add(key)
            out.append((key, key_node, value_node))
        return out

    def key(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG or node.value == "":
            self.report(node, f"{what} has a key that is not a plain name")
            return None
        return str(node.value)

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.wrong_type(node, what, "a list")
            return None
        return list(node.value)

    # --- scalars -------------------------------------------------------------------------------
    def text(self, node: Node, what: str, *, words_only: bool = False) -> str | None:
        """Any written scalar, as written: `title: 1984` is the text "1984", `says: [no]` is "no".

        With `words_only`, a bare number or true/false is refused (`name: 42` is a slip, not a
        name); quoting it makes it text."""
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG:
            self.wrong_type(node, what, "text")
            return None
        if words_only and node.tag in (INT_TAG, FLOAT_TAG, BOOL_TAG):
            self.report(node, f"{what} should be text, not {describe(node)} (quote it if you mean the text)")
            return None
        return str(node.value)

    def integer(self, node: Node, what: str) -> int | None:
        if not isinstance(node, ScalarNode) or node.tag != INT_TAG:
            self.wrong_type(node, what, "a whole number")
            return None
        try:
            return int(_constructor.construct_yaml_int(node))
        except (ConstructorError, ValueError):
            self.wrong_type(node, what, "a whole number")
            return None

    def texts(self, node: Node, what: str, *, allow_empty: bool = False) -> tuple[str, ...] | None:
        """A list of text lines; a single line may be written without the list brackets."""
        if isinstance(node, ScalarNode) and node.tag != NULL_TAG:
            if not str(node.value).strip():
                self.report(node, f"{what} is empty")
                return None
            return (str(node.value),)
        if not isinstance(node, SequenceNode):
            self.wrong_type(node, what, "a list of text lines")
            return None
        if not node.value and not allow_empty:
            self.report(node, f"{what} is an empty list; give at least one line")
            return None
        out = [self.text(item, f"each item of {what}") for item in node.value]
        values = tuple(v for v in out if v is not None)
        for item, value in zip(node.value, out, strict=True):
            if value is not None and not value.strip():
                self.report(item, f"{what} has an empty line")
        return values if len(values) == len(out) else None

    def int_map(self, node: Node, what: str) -> list[tuple[str, Node, int]]:
        """name: whole number pairs (variables, set, add), with the key node for later checks."""
        out: list[tuple[str, Node, int]] = []
        for name, key_node, value_node in self.named_mapping(node, what):
            value = self.integer(value_node, f'{what} "{name}"')
            if value is not None:
                out.append((name, key_node, value))
        return out


def position(node: Node | None) -> tuple[int, int]:
    """1-based line and column of a node (1:1 for the whole file)."""
    if node is None or node.start_mark is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def compose(text: str, reader: Reader) -> Node | None:
    """The document's node tree, or None after reporting the YAML syntax error with its place."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        reader.problems.append(syntax_problem(text, exc, reader.path, LOADER))
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        reader.problems.append(
            Problem(reader.path, line, column, f"the text contains a character YAML does not allow ({char})")
        )
    except yaml.YAMLError as exc:
        reader.problems.append(Problem(reader.path, 1, 1, f"YAML syntax error: {exc}"))
    except RecursionError:
        reader.problems.append(Problem(reader.path, 1, 1, "the YAML is nested too deeply to be a scenario"))
    return None
