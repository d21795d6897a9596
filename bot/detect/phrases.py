"""The lexicon's phrase syntax, expanded into the literal word sequences the matcher looks for.

A phrase is plain words. `(a|b)` means a or b, `[a]` (or `(a)?`) makes a optional, `{set}` is any entry of
a word set from the lexicon's `words:` section, and `~` marks a place where intensifiers may come
("that sounds ~ hard" matches "that sounds hard" and "that sounds really hard"). Case and apostrophes do
not matter. A large word set at the very end of a phrase stays a *slot* (`@set`) instead of being spelled
out: the matcher checks the set only after the words before it matched, which keeps the regex small.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

MAX_EXPANSIONS = 20000
SLOT_MIN_WORDS = 10  # word sets at least this big become slots when they end a phrase
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘ʼ`´", None))


class PhraseError(ValueError):
    """A phrase that cannot be read; the message quotes it."""


def normalise_phrase(phrase: str) -> str:
    """Lower case, no apostrophes, single spaces: the form matched text is compared in."""
    low = phrase.lower().translate(_APOSTROPHES)
    return " ".join(re.findall(r"[^\W_]+|~|@\w+", low))


def _parse(phrase: str, i: int, closer: str) -> tuple[list[str], int]:
    """Expand `phrase` from position `i` up to `closer` into its literal forms; returns (forms, end)."""
    alternatives: list[list[str]] = []
    forms = [""]
    word = ""

    def flush_word(forms: list[str], word: str) -> list[str]:
        return [f"{f} {word}" for f in forms] if word else forms

    while i < len(phrase):
        ch = phrase[i]
        if ch in "([":
            forms, word = flush_word(forms, word), ""
            close = ")" if ch == "(" else "]"
            inner, i = _parse(phrase, i + 1, close)
            optional = ch == "[" or (i < len(phrase) and phrase[i] == "?")
            if i < len(phrase) and phrase[i] == "?":
                i += 1
            if optional:
                inner = [*inner, ""]
            forms = [f"{f} {x}" for f in forms for x in inner]
            if len(forms) > MAX_EXPANSIONS:
                raise PhraseError(f'phrase "{phrase}" expands to over {MAX_EXPANSIONS} forms; split it up')
            continue
        if ch == "|" and closer:
            alternatives.append(flush_word(forms, word))
            forms, word = [""], ""
        elif ch in ")]":
            if ch != closer:
                raise PhraseError(f'phrase "{phrase}": unexpected "{ch}"')
            alternatives.append(flush_word(forms, word))
            return [f for alt in alternatives for f in alt], i + 1
        elif ch.isspace():
            forms, word = flush_word(forms, word), ""
        else:
            word += ch
        i += 1
    if closer:
        raise PhraseError(f'phrase "{phrase}": missing "{closer}"')
    return flush_word(forms, word), i


def expand(phrase: str, words: Mapping[str, Sequence[str]]) -> list[str]:
    """All literal forms of one phrase: "(can|could) see [how]" gives 4 strings."""
    slot = re.search(r"\{(\w+)\}\s*$", phrase)
    if slot and slot.group(1) in words and len(words[slot.group(1)]) >= SLOT_MIN_WORDS and slot.start() > 0:
        phrase = phrase[: slot.start()] + "@" + slot.group(1)

    def refs(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in words:
            raise PhraseError(f'phrase "{phrase}": unknown word set {{{name}}}; add it under `words:`')
        return "(" + "|".join(words[name]) + ")"

    forms, _ = _parse(re.sub(r"\{(\w+)\}", refs, phrase), 0, "")
    out = {normalise_phrase(f) for f in forms}
    out.discard("")
    return sorted(out)
