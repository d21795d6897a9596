"""Many phrases, one regular expression: a word trie written out so matching stays linear.

The first words of all phrases are written as a character trie, so the regex engine rules out a branch
on its first character however many phrases there are. After the first word, words that lead to the
same continuation share it ("(sounds|seems) (hard|tough)" is written once, not four times), which keeps
the pattern small enough to compile in a fraction of a second. No alternative can match the same text
in two ways, so there is no catastrophic backtracking: a failed branch fails within a few characters.

Each word is written with its spellings: contractions with or without the apostrophe ("don't", "dont")
and the typos the lexicon lists ("u" for "you").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Between two words of a phrase: spaces, commas, dashes, slashes (never a sentence end). Possessive: a
# word follows, so giving back a gap character never helps, and the engine keeps no place to go back to.
GAP = r"[ ,\-/]++"
NEVER = r"(?!x)x"
_OPTIONAL_APOSTROPHE = "'?"

# Contractions, written without the apostrophe in the lexicon's matching form.
_NT_BASES = frozenset(
    [
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "have",
        "has",
        "had",
        "would",
        "could",
        "should",
        "must",
        "might",
        "need",
        "ca",
        "wo",
        "ai",
        "sha",
    ]
)
_PRONOUNS = frozenset(
    [
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "it",
        "that",
        "there",
        "who",
        "what",
        "here",
        "where",
        "how",
        "this",
    ]
)
_SUFFIXES = ("re", "ve", "ll", "d", "m", "s")


def apostrophe_at(word: str) -> int:
    """Where a contraction's apostrophe goes in `word` ("dont" → 3), or -1 if it is not one."""
    if word.endswith("nt") and word[:-2] in _NT_BASES:
        return len(word) - 1
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in _PRONOUNS:
            return len(word) - len(suffix)
    if word == "lets":
        return 3
    return -1


def _chars(word: str) -> list[str]:
    chars = list(word)
    at = apostrophe_at(word)
    if at > 0:
        chars.insert(at, _OPTIONAL_APOSTROPHE)
    return chars


def _char_regex(chars: Sequence[str]) -> str:
    return "".join(c if c == _OPTIONAL_APOSTROPHE else re.escape(c) for c in chars)


class Speller:
    """The spellings of a word: itself (apostrophe optional in contractions) and its listed typos."""

    def __init__(self, typos: Mapping[str, str], intensifiers: Sequence[str] = ()) -> None:
        self.typos = dict(typos)  # typo → word
        # `~` in a phrase: one or more intensifiers ("really", "so very", "kind of").
        self._memo: dict[tuple[str, ...], str] = {}
        self.variants: dict[str, list[str]] = {}
        for typo, word in self.typos.items():
            self.variants.setdefault(word, []).append(typo)
        one = self.regex(intensifiers)
        # One or two in a row ("so very hard"): bounded, so no match attempt runs long, and short, because
        # the pattern is written out at every `~` of the lexicon.
        self.intensifiers = f"{one}(?:{GAP}{one}|)" if intensifiers else NEVER

    def spellings(self, word: str) -> list[list[str]]:
        """The word as characters; a word with typos is one token, so what follows is written once."""
        if word == "~":
            return []
        typos = self.variants.get(word)
        if not typos:
            return [_chars(word)]
        forms = sorted({_char_regex(_chars(w)) for w in (word, *typos)}, key=lambda f: (-len(f), f))
        return [[_ALTERNATIVES + "(?:" + "|".join(forms) + ")"]]

    def regex(self, words: Iterable[str]) -> str:
        """Any spelling of any of `words` (which may hold spaces), as a character trie."""
        key = tuple(sorted(set(words)))
        if key not in self._memo:
            self._memo[key] = char_trie((self._phrase_chars(w), "") for w in key)
        return self._memo[key]

    def _phrase_chars(self, phrase: str) -> list[str]:
        chars: list[str] = []
        for i, word in enumerate(phrase.split(" ")):
            if i:
                chars.append(_GAP_TOKEN)
            chars.extend(self.spellings(word)[0])
        return chars


_GAP_TOKEN = "\0gap"
_ALTERNATIVES = "\0alt"  # prefix of a token that is a ready-made regex (a word and its typos)
_TOKENS = {_OPTIONAL_APOSTROPHE: _OPTIONAL_APOSTROPHE, _GAP_TOKEN: GAP}


def _token(ch: str) -> str:
    if ch.startswith(_ALTERNATIVES):
        return ch[len(_ALTERNATIVES) :]
    return _TOKENS.get(ch) or re.escape(ch)


def _by_first_letter(entries: Iterable[tuple[Sequence[str], str]]) -> Iterable[tuple[Sequence[str], str]]:
    """Put a word-with-typos token under the first letter of each spelling, so every branch of the trie
    starts with a plain letter (the regex engine skips those fastest)."""
    for chars, cont in entries:
        if not chars or not chars[0].startswith(_ALTERNATIVES):
            yield chars, cont
            continue
        forms = chars[0][len(_ALTERNATIVES) + 3 : -1].split("|")  # "(?:you|u)" → ["you", "u"]
        by_letter: dict[str, list[str]] = {}
        for form in forms:
            by_letter.setdefault(form[0], []).append(form[1:])
        for letter, rests in by_letter.items():
            rests.sort(key=lambda f: (-len(f), f))
            token = _ALTERNATIVES + "(?:" + "|".join(rests) + ")" if rests != [""] else None
            yield [letter, *([token] if token else []), *chars[1:]], cont


# English letters, by how often words start with them and by how often they come at all.
_FIRST_LETTERS = {ch: i for i, ch in enumerate("taoiswcbphfmderlngyuvkjqxz")}
_LETTERS = {ch: i for i, ch in enumerate("etaoinshrdlcumwfgypbvkjxqz")}


def char_trie(entries: Iterable[tuple[Sequence[str], str]]) -> str:
    """A regex for (characters, continuation) pairs: characters shared by prefix, each followed by its
    continuation. The engine skips a branch on its first character, so many words cost little."""
    root: dict[str, Any] = {}
    for chars, cont in _by_first_letter(entries):
        node = root
        for ch in chars:
            node = node.setdefault(ch, {})
        node.setdefault("", cont)  # same spelling twice: the first continuation is kept

    def emit(node: dict[str, Any], rank: dict[str, int] = _FIRST_LETTERS) -> str:
        keys = sorted(k for k in node if k)
        if all(len(k) == 1 for k in keys):
            # Single characters exclude each other, so their order changes no match; the engine tries
            # branches one by one, so common letters go first.
            keys.sort(key=lambda k: rank.get(k, len(rank)))
        alts = [_token(ch) + emit(node[ch], _LETTERS) for ch in keys]
        if "" in node:
            alts.append(node[""])  # the word ends here: its continuation, tried after longer words
        if len(alts) == 1:
            return alts[0]
        if alts[-1] == "":
            # `(?:a|b|)`, not `(?:a|b)?`: the same match, but an optional group costs the engine a
            # repeat context and an empty branch does not.
            return "(?:" + "|".join(alts[:-1]) + "|)"
        return "(?:" + "|".join(alts) + ")"

    return emit(root) if root else NEVER


def trie_regex(literals: Iterable[str], speller: Speller, guards: Mapping[str, str] | None = None) -> str:
    """A regex matching any of `literals` (words separated by single spaces), longest first.

    `guards` maps a literal to a zero-width pattern that must hold where it ends for it to match there
    ("is" only where a word of its word set follows): the engine then goes on without handing the reader
    a match it would dismiss. Longer literals that start with it are not affected."""
    root: dict[str, Any] = {}
    end_guards: dict[int, str] = {}  # id(node) → the guard of the literal that ends there
    for lit in literals:
        node = root
        for word in lit.split(" "):
            node = node.setdefault(word, {})
        node[""] = {}
        if guards and lit in guards:
            end_guards[id(node)] = guards[lit]
    memo: dict[int, str] = {}
    optional_intensifiers = f"(?:{speller.intensifiers}{GAP}|)"

    def inner(node: dict[str, Any], root: bool = False) -> str:
        """The words that may come next after `node` (no leading gap), or "" if none.

        Where different words lead on differently, every word gets its own branch of one character trie
        (speed: the engine tries the root at every word of a reply, and a branch that starts with a
        letter is ruled out by that letter). Where all the words lead to the same continuation, it is
        written once ("(sounds|seems) hard" is not written twice).
        """
        intensified = ""
        groups: dict[str, list[str]] = {}
        for word, child in node.items():
            if word == "~":  # optional intensifiers, then whatever may follow them
                intensified = optional_intensifiers + inner(child)
            elif word:
                groups.setdefault(rest(child), []).append(word)
        if root or len(groups) > 1:
            # One character trie over every word, each followed by its own continuation: the engine
            # picks the branch by the next letter instead of trying each group of words in turn.
            body = char_trie(
                (chars, cont)
                for cont, words in groups.items()
                for w in words
                for chars in speller.spellings(w)
            )
        elif groups:  # the words all lead to the same continuation: write it once
            ((cont, words),) = groups.items()
            body = speller.regex(words) + cont
        else:
            body = ""
        if intensified:
            return f"(?:{body}|{intensified})" if body else intensified
        return body

    def rest(node: dict[str, Any]) -> str:
        """What may follow the words that led to `node`, starting with the gap before the next word."""
        key = id(node)
        if key not in memo:
            after = inner(node)
            out = GAP + after if after else ""
            guard = end_guards.get(key, "")
            if out and "" in node:
                out = f"(?:{out}|{guard})"
            elif guard:
                out = guard
            memo[key] = out
        return memo[key]

    body = inner(root, root=True)
    return body or NEVER


_KEY_SPLIT = re.compile(GAP)


def phrase_key(matched: str, typos: Mapping[str, str]) -> str:
    """The lexicon form of matched text: no apostrophes, single spaces, typos read as the word meant."""
    words = _KEY_SPLIT.split(matched.replace("'", ""))
    return " ".join(typos.get(w, w) for w in words)
