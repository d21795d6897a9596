"""Where a reply's sentences end: the reader asks whether a phrase's sentence is a question, where it ends
and where it starts (for questions and "but"). Built only for the replies that need it."""

from __future__ import annotations

import re
from bisect import bisect_right

# A run of end marks. Written as one mark and then more, not `[.!?…\n]+`: a pattern that opens with a
# character class lets the engine skip through the text to the next mark in one tight loop, while one
# that opens with a repeat is tried at every position (twice the time).
SENTENCE_MARKS = re.compile(r"[.!?…\n][.!?…\n]*+")
_SHORT = 2000  # characters; longer replies use the sentence index, so every look-ahead stays cheap


class Sentences:
    """Where the reply's sentences end, for questions that look ahead to the end mark. Built only when a
    reply needs it (a question phrase, a "?", a "but")."""

    __slots__ = ("_kinds", "ends", "marks")

    def __init__(self, s: str) -> None:
        # The end marks in one `findall`, then where each is with `str.find` (no mark comes between one
        # and the next): a third of the time of one `split` with the running sum of its parts' lengths.
        self._kinds: list[str] = SENTENCE_MARKS.findall(s)
        self.marks: list[int] = []  # where each sentence's end mark starts
        self.ends: list[int] = []  # and ends
        pos = 0
        for kind in self._kinds:
            at = s.find(kind, pos)
            pos = at + len(kind)
            self.marks.append(at)
            self.ends.append(pos)

    def end_after(self, pos: int) -> int:
        """Where the sentence holding `pos` ends (after its end mark), or a huge number at the last one."""
        i = bisect_right(self.marks, pos - 1)
        return self.ends[i] if i < len(self.ends) else 1 << 62

    def is_question(self, pos: int) -> bool:
        """Whether the sentence holding `pos` ends with "?", "…" or no mark at all (not "." or "!")."""
        i = bisect_right(self.marks, pos - 1)
        if i >= len(self.marks):
            return True
        kind = self._kinds[i]
        return "?" in kind or "…" in kind or kind.startswith("..") or kind.startswith("\n")

    def start_of(self, pos: int) -> int:
        i = bisect_right(self.ends, pos)
        return self.ends[i - 1] if i else 0


class LazySentences:
    """The reply's `Sentences`, built on first use; short replies answer `is_question` without them."""

    __slots__ = ("_s", "_value")

    def __init__(self, s: str) -> None:
        self._s = s
        self._value: Sentences | None = None

    def is_question(self, pos: int) -> bool:
        if self._value is None and len(self._s) < _SHORT:
            # A short reply: one search to the next end mark beats building the sentence index.
            m = SENTENCE_MARKS.search(self._s, pos)
            if m is None:
                return True
            mark = m.group()
            return "?" in mark or "…" in mark or mark.startswith("..") or mark.startswith("\n")
        return self.get().is_question(pos)

    def get(self) -> Sentences:
        if self._value is None:
            self._value = Sentences(self._s)
        return self._value
