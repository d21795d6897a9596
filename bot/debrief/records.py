"""Plain records of a stored session, as the store hands them to the debrief (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.detect import Detection


def tidy_name(name: str) -> str:
    """A learner's name as shown: the spacing tidied ("Ana  Lopez " → "Ana Lopez"), the case kept."""
    return " ".join(name.split())


def same_name_key(name: str) -> str:
    """What learner names are compared by (terminal sessions have no id): "ana lopez " is "Ana Lopez"."""
    return tidy_name(name).casefold()


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """One line of the transcript. Learner rows carry the detection and the branch taken; client
    rows carry the node (or ending) the line belongs to and the variables after the turn."""

    seq: int
    speaker: str  # "learner" | "client"
    text: str
    node: str | None = None
    branch: str | None = None
    detection: Detection | None = None
    vars: dict[str, int] | None = None
    at: str = ""  # ISO 8601 UTC


@dataclass(frozen=True, slots=True)
class NoteRecord:
    id: int
    session_id: int
    author_id: int | None
    author_name: str
    text: str
    at: str


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int
    scenario_id: str
    scenario_hash: str
    status: str  # "active" | "paused" | "finished" | "abandoned"
    outcome: str | None = None
    ending: str | None = None
    end_reason: str | None = None
    guild_id: int | None = None
    channel_id: int | None = None
    learner_id: int | None = None
    learner_name: str = ""
    facilitator_id: int | None = None
    started_at: str = ""
    ended_at: str | None = None
    updated_at: str = ""
    dm_status: str | None = None  # None | "sent" | "failed"
    state: dict[str, Any] = field(default_factory=dict)
    thread_id: int | None = None  # the private thread a Discord role-play runs in
