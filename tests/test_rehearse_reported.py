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


# 2. Piped replies are not taken for the picker's choice: they go to the easiest client.
def test_piped_replies_without_a_scenario_are_played_with_the_easiest_client(tmp_path):
    piped = tmp_path / "replies.txt"
    piped.write_text("That sounds really hard.\nWhat happened next?\n", encoding="utf-8")
    with piped.open("rb") as stdin:
        proc = subprocess.run(
            [sys.executable, "-m", "bot", "rehearse", "--scenarios", str(FIXTURES),
             "--db", str(tmp_path / "heard.db")],
            stdin=stdin, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "no scenario named and stdin is not a terminal, so you meet" in proc.stderr
    assert "(sam-fixture," in proc.stderr and "Traceback" not in proc.stderr
    assert "Who would you like to meet?" not in proc.stdout
    # Both replies were played as replies, none was read as a choice.
    assert "You: That sounds really hard." in proc.stdout and "You: What happened next?" in proc.stdout


# 5. A number outside the list says which numbers there are.
def test_a_number_outside_the_pickers_list_says_which_to_choose(tmp_path, capsys, keyboard):
    library = HERE.parent / "scenarios"
    clients = len(list(library.glob("*.yaml")))  # seven today
    keyboard(["0", str(clients + 1), "abc"])
    assert main(["rehearse", "--scenarios", str(library), "--db", str(tmp_path / "heard.db")]) == 1
    out = capsys.readouterr().out
    assert out.count(f"choose 1–{clients} or type an id") == 2
    assert 'no scenario with id "0"' not in out and 'no scenario with id "8"' not in out
    assert 'no scenario with id "abc"' in out  # a word is still read as an id


# 3. The debrief's words match how the session ended; the resume hint only shows when resuming works.
@posix_only
def test_ctrl_d_early_says_the_learner_ended_it_and_offers_no_resume(tmp_path):
    db = tmp_path / "heard.db"
    term = Terminal("sam-fixture", "--scenarios", str(FIXTURES), "--db", str(db))
    term.read(until="Sam Rivera:")
    term.type(EMPATHIC[0] + "\r")
    term.read(until="parents")  # Sam's answer to the first reply
    term.type("Okay.\r")
    end = time.monotonic() + 30
    while term.screen.count("Sam Rivera:") < 3 and time.monotonic() < end:  # opening + two answers
        term.read(timeout=0.2)
    term.type("\x04")  # Ctrl-D at turn 2
    assert term.finish() == 0
    screen = term.screen
    assert "2 of 8 turns · ended: learner" in screen
    assert "You ended the role-play early, before the conversation with Sam reached an ending." in screen
    assert "time ran out" not in screen.lower()
    assert "--resume" not in screen  # the session is over: there is nothing to resume


def test_running_out_of_turns_keeps_the_scenarios_time_up_words(tmp_path, capsys):
    assert rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, ["Okay."] * 8)) == 0
    out = capsys.readouterr().out
    assert "The time ran out before Sam opened up." in out and "ended: time up" in out


def test_a_database_error_mid_session_says_how_to_resume_it(tmp_path, capsys, monkeypatch):
    from bot.store import Store

    real = Store.record_turn
    calls = 0

    async def locked_on_the_second_turn(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sqlite3.OperationalError("database is locked")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "record_turn", locked_on_the_second_turn)
    assert rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, EMPATHIC)) == 1
    err = capsys.readouterr().err
    db = tmp_path / "heard.db"
    assert "database error" in err and "Traceback" not in err
    assert f"Session 1 is still open; continue it with: heard rehearse --resume 1 --db {db}" in err
    monkeypatch.setattr(Store, "record_turn", real)
    assert main(["rehearse", "--resume", "1", "--db", str(db), "--replies",
                 replies_file(tmp_path, EMPATHIC[1:])]) == 0  # fmt: skip
    assert "Thanks. I think I can tell my parents now." in capsys.readouterr().out


# 6. Replies left over when the conversation ends are counted, not silently dropped.
def test_replies_left_after_the_ending_are_counted_on_stderr(tmp_path, capsys):
    lines = [*EMPATHIC, "One more thing.", "And another."]
    assert rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, lines)) == 0
    captured = capsys.readouterr()
    assert "note: 2 replies were not used: the session ended at turn 3." in captured.err
    assert "One more thing." not in captured.out
    assert rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, EMPATHIC)) == 0
    assert "not used" not in capsys.readouterr().err  # nothing left over: nothing said


def test_replies_piped_past_the_ending_are_counted_too(tmp_path):
    lines = [*EMPATHIC, "One more thing."]
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "rehearse", "sam-fixture", "--scenarios", str(FIXTURES),
         "--db", str(tmp_path / "heard.db")],
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "note: 1 reply was not used: the session ended at turn 3." in proc.stderr


# 4. Names: an empty one is not stored; spacing and case do not make a second learner.
def test_an_empty_name_falls_back_to_the_login_name(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("bot.cli.rehearse._login", lambda: "ana")
    assert rehearse(tmp_path, "sam-fixture", "--name", "", "--replies", replies_file(tmp_path, EMPATHIC)) == 0
    captured = capsys.readouterr()
    assert 'note: --name is empty; the session is stored under your login name "ana" instead.' in captured.err
    assert "ana · 3 of 8 turns" in captured.out  # the debrief names her
    assert stored(tmp_path / "heard.db")[0][0][3] == "ana"


def test_names_differing_in_case_or_spacing_are_one_learner(tmp_path, capsys):
    replies = replies_file(tmp_path, EMPATHIC)
    assert rehearse(tmp_path, "sam-fixture", "--name", "Ana Lopez", "--replies", replies) == 0
    assert rehearse(tmp_path, "sam-fixture", "--name", "ana  lopez ", "--replies", replies) == 0
    second = capsys.readouterr().out.split("# Debrief")[-1]
    assert "Empathic share over your last 2 sessions" in second  # the first session counts as hers
    sessions, _ = stored(tmp_path / "heard.db")
    assert [s[3] for s in sessions] == ["Ana Lopez", "ana lopez"]  # shown as typed, spacing tidied

    assert main(["cohort", "--guild", "terminal", "--db", str(tmp_path / "heard.db")]) == 0
    table = capsys.readouterr().out
    rows = [line for line in table.splitlines()[1:] if line.strip()]
    assert len(rows) == 1 and rows[0].startswith("ana lopez") and " 2 " in rows[0]
