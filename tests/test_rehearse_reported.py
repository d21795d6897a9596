"""`heard rehearse`: the defects QA reported, each replayed the way the learner met it."""

from __future__ import annotations

import os
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main

HERE = Path(__file__).parent
FIXTURES = HERE / "data" / "rehearse"
EMPATHIC = [
    "I can see how that would be difficult.",
    "Thank you for sharing this with me.",
    "What would you like to do next?",
]

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal (POSIX)")


class Terminal:
    """`heard rehearse` running in a pseudo-terminal, typed at like a keyboard."""

    def __init__(self, *args: str) -> None:
        import pty

        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the rehearsal itself
            os.execve(sys.executable, [sys.executable, "-m", "bot", "rehearse", *args], env)
        self.screen = ""

    def read(self, until: str | None = None, timeout: float = 30) -> str:
        """What the terminal shows, up to `until` (or the end of the program)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and not (until and until in self.screen):
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:  # the program ended
                    break
                if not data:
                    break
                self.screen += data.decode("utf-8", "replace").replace("\r\n", "\n")
        if until and until not in self.screen:
            raise AssertionError(f"{until!r} never appeared; the terminal shows:\n{self.screen}")
        return self.screen

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def finish(self) -> int:
        self.read()
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def stored(db: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(db) as conn:
        sessions = conn.execute("SELECT id, status, end_reason, learner_name FROM sessions").fetchall()
        turns = conn.execute("SELECT session_id, seq, speaker, text FROM turns ORDER BY 1, 2").fetchall()
    return sessions, turns


def replies_file(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "replies.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def rehearse(tmp_path: Path, *args: str) -> int:
    return main(["rehearse", *args, "--scenarios", str(FIXTURES), "--db", str(tmp_path / "heard.db")])


# 1. A reply entered just before Ctrl-C is kept, with the client's answer.
@posix_only
def test_ctrl_c_right_after_a_reply_keeps_the_reply_and_the_clients_answer(tmp_path):
    db = tmp_path / "heard.db"
    term = Terminal("sam-fixture", "--scenarios", str(FIXTURES), "--db", str(db))
    term.read(until="Sam Rivera:")  # the opening; the detector is still warming up
    term.type(EMPATHIC[0] + "\r")
    time.sleep(0.3)
    term.type("\x03")  # Ctrl-C while the answer is being worked out
    assert term.finish() == 0
    screen = term.screen
    assert "Traceback" not in screen
    assert "Sam Rivera: I haven't even told my parents yet." in screen or "My parents still think" in screen
    assert "1 of 8 turns" in screen and "No replies were given" not in screen
    sessions, turns = stored(db)
    assert sessions[0][:3] == (1, "finished", "learner")
    assert [t[2] for t in turns] == ["client", "learner", "client", "client"]  # answer, then goodbye
    assert turns[1][3] == EMPATHIC[0]


# 2. Piped replies are not taken for the picker's choice.
def test_piped_replies_without_a_scenario_ask_for_an_id_and_read_nothing(tmp_path):
    piped = tmp_path / "replies.txt"
    piped.write_text("That sounds really hard.\nWhat happened next?\n", encoding="utf-8")
    with piped.open("rb") as stdin:
        proc = subprocess.run(
            [sys.executable, "-m", "bot", "rehearse", "--scenarios", str(FIXTURES),
             "--db", str(tmp_path / "heard.db")],
            stdin=stdin, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )  # fmt: skip
        consumed = os.lseek(stdin.fileno(), 0, os.SEEK_CUR)
    assert proc.returncode == 2
    assert "a scenario id is needed when stdin is not a terminal" in proc.stderr
    assert "Available: sam-fixture" in proc.stderr and "Traceback" not in proc.stderr
    assert 'no scenario with id "That sounds' not in proc.stderr
    assert "Who would you like to meet?" not in proc.stdout
    assert consumed == 0  # the replies are still there for a run that names the scenario


# 5. A number outside the list says which numbers there are.
def test_a_number_outside_the_pickers_list_says_which_to_choose(tmp_path, capsys, monkeypatch):
    library = HERE.parent / "scenarios"
    clients = len(list(library.glob("*.yaml")))  # seven today
    typed = iter(["0", str(clients + 1), "abc"])

    def keyboard(prompt: str = "") -> str:
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", keyboard)
    assert main(["rehearse", "--scenarios", str(library), "--db", str(tmp_path / "heard.db")]) == 1
    out = capsys.readouterr().out
    assert out.count(f"choose 1–{clients} or type an id") == 2
    assert 'no scenario with id "0"' not in out and 'no scenario with id "8"' not in out
    assert 'no scenario with id "abc"' in out  # a word is still read as an id
