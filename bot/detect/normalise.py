"""One form of a reply for matching, with every position traceable back to the original text.

The matching form is the reply in lower case. Curly apostrophes become straight ones ("don’t" reads as
"don't"; the lexicon's patterns accept "dont" too), and zero-width characters inside words are dropped
("sou\u200bnds" reads as "sounds"), and Discord's markdown marks "_" and "*" are spaces ("_not_" and
"*not*" read as "not"). Evidence must quote the learner's own words, so `Normalised` maps positions in
the matching form back to the original. Most replies are plain ASCII and need no mapping.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_CURLY = str.maketrans(dict.fromkeys("’‘ʼ`´′", "'"))
# Discord's markdown around words (_italics_, *italics*, **bold**, __underline__) reads as spaces: "_"
# would otherwise join words for a regular expression, and "*" would split a phrase.
MARKUP = str.maketrans("_*", "  ")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def lower_same_length(text: str) -> str:
    """`text.lower()`, except characters whose lower case is longer (e.g. "İ") stay as they are."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True, slots=True)
class Normalised:
    """The matching form of a reply (`text`) and how to find its positions in the original.

    `segments` lists, in order, where each stretch of `text` came from: (start in `text`, start in the
    original). Without segments, positions are the same in both.
    """

    text: str
    segments: tuple[tuple[int, int], ...] = ()
    _starts: tuple[int, ...] = ()

    def start(self, pos: int) -> int:
        """Original offset of the character at `pos` in the matching form."""
        if not self.segments:
            return pos
        norm_start, orig_start = self.segments[max(0, bisect_right(self._starts, pos) - 1)]
        return orig_start + pos - norm_start

    def end(self, pos: int) -> int:
        """Original offset matching the exclusive end `pos` in the matching form."""
        if not self.segments or pos <= 0:
            return pos
        return self.start(pos - 1) + 1


def normalise(text: str) -> Normalised:
    low = lower_same_length(text).translate(MARKUP)
    if low.isascii():
        return Normalised(low)
    low = low.translate(_CURLY)
    if _INVISIBLE.search(low) is None:
        return Normalised(low)
    segments: list[tuple[int, int]] = []
    last = npos = 0
    for m in _INVISIBLE.finditer(low):
        s = m.start()
        if s > last:
            segments.append((npos, last))
            npos += s - last
        last = s + 1
    if last < len(low) or not segments:
        segments.append((npos, last))
    return Normalised(_INVISIBLE.sub("", low), tuple(segments), tuple(seg[0] for seg in segments))
