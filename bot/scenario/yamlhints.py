"""What a person needs to hear about a YAML syntax error: the likely mistake, not only where PyYAML gave up.

PyYAML notices a mistake where it can no longer read on, which may be many lines later: an unclosed
quote on line 3 swallows the text up to the next quote, and the error names line 25. The hints here
look back from that place for the usual slips (a quote never closed, `key: text: more`, a line
indented differently from its neighbours) and say "probably" where they guess.
"""

from __future__ import annotations

import yaml

from bot.scenario.problems import Problem

# Characters after which a quote starts a quoted value (`key: "`, `- "`, `["`, `{a: "`, `, "`).
_OPENS_VALUE = {None, ":", "-", "[", "{", ",", "?"}
# How many candidate lines are re-read to confirm an unclosed quote (each is one more compose).
_MAX_TRIES = 5


def syntax_problem(text: str, exc: yaml.MarkedYAMLError, path: str, loader: type) -> Problem:
    """The problem to report for one PyYAML syntax error, with advice where it can be given."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or exc.context or "invalid YAML"
    lines = text.splitlines()
    if mark is not None:
        quote = unclosed_quote(text, lines, mark.line, loader)
        if quote is not None:
            q_line, q_column = quote
            return Problem(
                path,
                q_line + 1,
                q_column + 1,
                f"YAML syntax error: line {q_line + 1} opens a quote that is probably never closed; "
                f"close it on the same line (YAML could not read on at line {line}, column {column})",
            )
        if _tab_at(lines, mark.line, mark.column):
            what += " (YAML does not allow tabs for indentation; use spaces)"
    if "mapping values are not allowed" in what:
        what += "; if this is text containing ': ', put the whole value in quotes"
    elif _is_block_error(exc):
        what += indentation_hint(lines, exc)
    return Problem(path, line, column, f"YAML syntax error: {what}")


def unclosed_quote(text: str, lines: list[str], stop: int, loader: type) -> tuple[int, int] | None:
    """(line, column), 0-based, of a quote opened before `stop` and not closed on its line, if closing
    it there lets YAML read further: a quoted value may span lines, so the guess is checked."""
    tries = 0
    for index in range(min(stop, len(lines) - 1) + 1):
        column = _open_quote(lines[index])
        if column is None:
            continue
        if tries == _MAX_TRIES:
            return None
        tries += 1
        if _reads_further(lines, index, column, stop, loader):
            return index, column
    return None


def _reads_further(lines: list[str], index: int, column: int, stop: int, loader: type) -> bool:
    """Whether closing the quote (at the end of the line, or before a closing `]`/`}`) lets YAML read
    past line `stop`."""
    line = lines[index].rstrip()
    ends = {len(line), len(line.rstrip("]}, "))}
    for end in sorted(ends, reverse=True):
        fixed = line[:end] + line[column] + line[end:]
        try:
            yaml.compose("\n".join([*lines[:index], fixed, *lines[index + 1 :]]), Loader=loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if mark is not None and mark.line > stop:
                return True
        except yaml.YAMLError:
            continue
        else:
            return True
    return False


def _open_quote(line: str) -> int | None:
    """The column of a quote that starts a value on this line and is still open at its end."""
    prev: str | None = None
    i = 0
    while i < len(line):
        char = line[i]
        if char == "#" and (i == 0 or line[i - 1] in " \t"):
            return None
        if char in "\"'" and prev in _OPENS_VALUE:
            end = _close(line, i)
            if end is None:
                return i
            i, prev = end + 1, char
            continue
        if not char.isspace():
            prev = char
        i += 1
    return None


def _close(line: str, start: int) -> int | None:
    """Index of the quote closing the one at `start` ("..." with \\ escapes, '...' with '' escapes)."""
    quote = line[start]
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and line[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _is_block_error(exc: yaml.MarkedYAMLError) -> bool:
    return bool(
        exc.context
        and exc.context.startswith("while parsing a block")
        and exc.problem_mark is not None
        and exc.context_mark is not None
    )


def indentation_hint(lines: list[str], exc: yaml.MarkedYAMLError) -> str:
    """Where the block began (PyYAML's context mark) and which lines are likely indented wrongly."""
    problem, context = exc.problem_mark, exc.context_mark
    assert problem is not None and context is not None
    here = problem.line
    hint = ""
    if (context.line, context.column) != (problem.line, problem.column):
        hint = f" (in the block that starts at line {context.line + 1}, column {context.column + 1})"
    content = [i for i, text in enumerate(lines) if text.strip() and not text.lstrip().startswith("#")]
    if here >= len(lines) or here not in content:
        return hint
    indent = _indent(lines[here])
    before = [i for i in content if i < here]
    parent = next((i for i in reversed(before) if _indent(lines[i]) < indent), None)
    first = next((i for i in content if parent is not None and i > parent), None)
    if first is not None and first != here and _indent(lines[first]) != indent:
        return hint + (
            f"; line {first + 1} is indented {_indent(lines[first])} spaces and line {here + 1} {indent}, "
            "yet they seem to belong to the same block: probably one of them is indented wrongly"
        )
    if before and parent == before[-1] and not lines[parent].rstrip().endswith((":", "-", "|", ">")):
        return hint + (
            f"; line {here + 1} is indented more than line {parent + 1}, which does not open a block: "
            "probably one of them is indented wrongly"
        )
    return hint + f"; probably line {here + 1} or a line just above it is indented wrongly"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _tab_at(lines: list[str], line: int, column: int) -> bool:
    return 0 <= line < len(lines) and "\t" in lines[line][: column + 1]
