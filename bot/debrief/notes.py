"""Facilitator notes: the one rule both the Discord command and the store enforce."""

from __future__ import annotations

from bot.debrief.texts import texts


class NoteError(ValueError):
    """A note that cannot be saved; the message says why and what to do."""


def note_limit() -> int:
    return texts().note_max_chars


def validate_note(text: str) -> str:
    """The note, stripped, or NoteError with a message a facilitator can act on."""
    cleaned = (text or "").strip()
    limit = note_limit()
    if not cleaned:
        raise NoteError("The note is empty: write what the learner should read, then send it again.")
    if len(cleaned) > limit:
        raise NoteError(
            f"The note is {len(cleaned):,} characters; notes can be at most {limit:,}. "
            f"Shorten it by {len(cleaned) - limit:,} characters, or split it into two notes."
        )
    return cleaned
