"""One role-play in the terminal: the same path as a Discord turn, with the terminal as the channel.

Each learner turn runs the engine, then is committed to the store (reply, client's answer, new state)
before the answer is printed. Ctrl-C or end of input ends the role-play as the learner's choice, and
the debrief is still stored and printed. A reply already entered is never lost: Ctrl-C pressed while
it is being answered (the detector may still be warming up) takes effect once the turn is stored.
stdout carries only the conversation and the debrief, so a scripted run prints the same thing every
time; bookkeeping (session ids) goes to stderr.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from bot.debrief import render_markdown
from bot.debrief.records import TurnRecord
from bot.engine import Session, TurnResult
from bot.scenario.model import Scenario
from bot.store import Store
from bot.store.reports import debrief_for

log = logging.getLogger(__name__)

# Where the learner's next reply comes from: a string, or None at the end of input.
Replies = Callable[[], str | None]


class Scripted:
    """Replies from a file or a pipe: one per line, read as needed, blank lines skipped, each echoed
    like typed input."""

    def __init__(self, lines: Iterable[str], out: TextIO) -> None:
        self.lines = lines
        self.queue: Iterator[str] = (line.strip() for line in lines if line.strip())
        self.out = out

    def __call__(self) -> str | None:
        text = next(self.queue, None)
        if text is not None:
            print(f"You: {text}", file=self.out)
        return text

    def unused(self, wait: float = 1.0) -> int | None:
        """How many replies are left once the conversation is over, or None if that cannot be told: a
        pipe still open after `wait` seconds (someone may be typing into it) is not waited for."""
        if isinstance(self.lines, (list, tuple)):
            return sum(1 for _ in self.queue)
        counted: list[int] = []
        reader = threading.Thread(
            target=lambda: counted.append(sum(1 for _ in self.queue)), name="heard-unused", daemon=True
        )
        reader.start()
        reader.join(wait)
        return counted[0] if counted else None


def scripted(lines: Iterable[str], out: TextIO) -> Scripted:
    """Replies from a file or a pipe (see `Scripted`)."""
    return Scripted(lines, out)


def typed(prompt: str = "You: ") -> Replies:
    """Replies typed at the keyboard; blank lines are ignored. EOF (Ctrl-D) ends the role-play."""

    def next_reply() -> str | None:
        while True:
            try:
                text = input(prompt).strip()
            except EOFError:
                print()
                return None
            if text:
                return text

    return next_reply


class Held:
    """Whether a Ctrl-C arrived while it was held back (see `hold_interrupts`)."""

    pressed: bool = False


@contextmanager
def hold_interrupts() -> Iterator[Held]:
    """Hold Ctrl-C back while a reply is answered and stored; the caller acts on it afterwards.

    Outside the main thread (where signal handlers cannot be set) nothing is held."""
    held = Held()
    if threading.current_thread() is not threading.main_thread():
        yield held
        return

    def note(signum: int, frame: object) -> None:
        held.pressed = True

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class Style:
    """A dim hint on a terminal that can show one; plain text anywhere else (files, pipes, tests)."""

    colour: bool = False

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        return cls(colour=stream.isatty() and "NO_COLOR" not in os.environ)

    def dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.colour else text

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.colour else text

    def markdown(self, text: str) -> str:
        """The debrief's Markdown as a terminal shows it best: headings and **bold** in bold, _notes_
        dim, quotes behind a bar. Unchanged where there is no colour (files and pipes keep Markdown)."""
        if not self.colour:
            return text
        text = _HEADING.sub(lambda m: self.bold(m[1]), text)
        text = _BOLD.sub(lambda m: self.bold(m[1]), text)
        text = _ITALIC.sub(lambda m: self.dim(m[1]), text)
        return _QUOTE.sub(self.dim("│ "), text)


_HEADING = re.compile(r"^#{1,6} +(.+)$", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w_])_(?!_)(.+?)(?<!_)_(?![\w_])")
_QUOTE = re.compile(r"^> ?", re.M)


class Rehearsal:
    """A stored session being played in the terminal."""

    def __init__(
        self,
        runner: asyncio.Runner,
        store: Store,
        scenario: Scenario,
        session: Session,
        session_id: int,
        *,
        coach: bool = False,
        out: TextIO | None = None,
        ready: Callable[[], object] | None = None,
    ) -> None:
        self.runner = runner
        self.store = store
        self.scenario = scenario
        self.session = session
        self.session_id = session_id
        self.coach = coach
        self.ready = ready  # waits for the detector's warm-up before the first reply is answered
        self.closed = False  # True once the database holds the session's end
        self.out = out or sys.stdout
        self.style = Style.for_stream(self.out)

    # --- the conversation ------------------------------------------------------------------------
    def say(self, lines: Sequence[str]) -> None:
        name = self.style.bold(self.scenario.persona.name)
        for line in lines:
            print(f"{name}: {line}", file=self.out)
        self.out.flush()  # the answer is shown as soon as it is stored, even through a pipe

    def replay(self, turns: Sequence[TurnRecord]) -> None:
        """Print the stored transcript (when resuming), so the learner sees where they left off."""
        for turn in turns:
            if turn.speaker == "client":
                self.say([turn.text])
            else:
                print(f"You: {turn.text}", file=self.out)

    def play(self, next_reply: Replies) -> None:
        """Turns until an ending, the turn limit, end of input or Ctrl-C."""
        try:
            while not self.session.finished:
                text = next_reply()
                if text is None:
                    break
                with hold_interrupts() as held:  # what the learner said is stored whatever they press
                    if self.ready is not None:
                        self.ready()
                    result = self.session.reply(text)
                    self.runner.run(self.store.record_turn(self.session_id, result, self.session.to_dict()))
                self.closed = result.ended
                self.show(result)
                if held.pressed:
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            print(file=self.out)
            self._resync()
        if not self.session.finished:
            with hold_interrupts():  # a second Ctrl-C must not leave the ending half stored
                closing = self.session.end("learner")
                self.runner.run(self.store.end_session(self.session_id, self.session.to_dict(), closing))
                self.closed = True
            self.say(closing)

    def show(self, result: TurnResult) -> None:
        if self.coach:
            print(self.style.dim(f"  · {coach_hint(result)}"), file=self.out)
        self.say(result.lines)

    def _resync(self) -> None:
        """After an interrupted turn, continue from what the database holds (the turn may not be in it)."""
        record = self.runner.run(self.store.get_session(self.session_id))
        if record is not None:
            self.session = Session.resume(self.scenario, record.state)

    # --- afterwards --------------------------------------------------------------------------------
    def debrief(self) -> str:
        return self.runner.run(self._debrief())

    async def _debrief(self) -> str:
        store = self.store
        record = await store.get_session(self.session_id)
        assert record is not None, f"session {self.session_id} vanished from the database"
        return render_markdown(await debrief_for(store, record, self.scenario))


def coach_hint(result: TurnResult) -> str:
    """A subtle hint for --coach: what the detector heard, and the strongest cue behind it."""
    detection = result.detection
    label = detection.label.replace("_", " ")
    cues = detection.cues(detection.label)
    return f"heard: {label} (“{cues[0].text}”)" if cues else f"heard: {label}"
