"""`heard rehearse`: scripted and interrupted role-plays in the terminal, stored like Discord sessions."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Session
from bot.scenario.load import load_scenario
from bot.store import Store

HERE = Path(__file__).parent
FIXTURES = HERE / "data" / "rehearse"
EMPATHIC = [
    "I can see how that would be difficult.",
    "Thank you for sharing this with me.",
    "What would you like to do next?",
]
ADVICE = ["You should update your resume.", "You should apply to Amazon."]


def replies_file(tmp_path: Path, lines: list[str], name: str = "replies.txt") -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def rehearse(tmp_path: Path, *args: str, db: str = "heard.db") -> int:
    return main(["rehearse", *args, "--scenarios", str(FIXTURES), "--db", str(tmp_path / db)])


def stored(db: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(db) as conn:
        sessions = conn.execute("SELECT id, status, outcome, ending, end_reason FROM sessions").fetchall()
        turns = conn.execute(
            "SELECT session_id, seq, speaker, text, node FROM turns ORDER BY 1, 2"
        ).fetchall()
    return sessions, turns


def spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "rehearse", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def read_until(proc: subprocess.Popen[str], prefix: str) -> str:
    assert proc.stdout is not None
    while line := proc.stdout.readline():
        if line.startswith(prefix):
            return line
    raise AssertionError(f"the rehearsal ended before printing {prefix!r}: {proc.stderr.read()}")


def test_listening_and_advising_reach_different_endings_and_every_turn_is_stored(tmp_path, capsys):
    assert rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, EMPATHIC)) == 0
    listened = capsys.readouterr().out
    assert rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, ADVICE, "advice.txt")) == 0
    advised = capsys.readouterr().out

    assert "Sam Rivera: Thanks. I think I can tell my parents now." in listened
    assert "Sam Rivera: Okay. I should go." in advised
    assert "# Debrief" in listened and "# Debrief" in advised
    sessions, turns = stored(tmp_path / "heard.db")
    assert [s[1:] for s in sessions] == [
        ("finished", "breakthrough", "breakthrough", "ending"),
        ("finished", "shutdown", "shutdown", "ending"),
    ]
    learner = [(t[0], t[3]) for t in turns if t[2] == "learner"]
    assert learner == [(1, r) for r in EMPATHIC] + [(2, r) for r in ADVICE]
    assert [t[3] for t in turns if t[0] == 1 and t[2] == "client"][-1].startswith("Thanks.")


def test_a_scripted_run_prints_the_same_conversation_every_time(tmp_path, capsys):
    outputs = []
    for db in ("a.db", "b.db"):
        assert (
            rehearse(
                tmp_path, "sam-fixture", "--seed", "7", "--replies", replies_file(tmp_path, EMPATHIC), db=db
            )
            == 0
        )
        outputs.append(capsys.readouterr().out)

    # The debrief's facts line names the session and the minute it started; everything else matches.
    def steady(text: str) -> list[str]:
        return [line for line in text.splitlines() if "session #" not in line]

    assert steady(outputs[0]) == steady(outputs[1])


def test_coach_mode_hints_at_what_the_detector_heard(tmp_path, capsys):
    rehearse(tmp_path, "sam-fixture", "--coach", "--replies", replies_file(tmp_path, ADVICE[:1]))
    out = capsys.readouterr().out
    assert "· heard: advice" in out
    rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, ADVICE[:1]), db="plain.db")
    assert "heard:" not in capsys.readouterr().out


def test_running_out_of_replies_ends_the_session_as_the_learners_choice(tmp_path, capsys):
    assert rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, EMPATHIC[:1])) == 0
    out = capsys.readouterr().out
    assert "Sam Rivera: I have to go. Thanks for your time." in out and "# Debrief" in out
    sessions, turns = stored(tmp_path / "heard.db")
    assert sessions == [(1, "finished", "neutral", "out_of_time", "learner")]
    assert turns[-1][3] == "I have to go. Thanks for your time."


def test_an_unknown_scenario_lists_the_available_ids(tmp_path, capsys):
    assert rehearse(tmp_path, "sam-fixtur", "--replies", replies_file(tmp_path, EMPATHIC)) == 2
    err = capsys.readouterr().err
    assert 'no scenario with id "sam-fixtur"' in err and 'Did you mean "sam-fixture"?' in err
    assert "Available: sam-fixture" in err and "Traceback" not in err


def test_a_missing_replies_file_or_database_folder_is_explained(tmp_path, capsys):
    assert rehearse(tmp_path, "sam-fixture", "--replies", str(tmp_path / "none.txt")) == 2
    assert "--replies: no such file" in capsys.readouterr().err
    args = ["sam-fixture", "--replies", replies_file(tmp_path, EMPATHIC)]
    assert rehearse(tmp_path, *args, db="missing/heard.db") == 1
    assert "folder" in capsys.readouterr().err


def test_without_a_scenario_the_clients_are_listed_to_pick_from(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)  # the pick is typed at a keyboard
    monkeypatch.setattr("builtins.input", lambda prompt="": "1")
    assert rehearse(tmp_path, "--replies", replies_file(tmp_path, EMPATHIC)) == 0
    out = capsys.readouterr().out
    assert "1. Sam Rivera — Let go after six years" in out
    assert "Sam Rivera: Thanks. I think I can tell my parents now." in out


def test_the_whole_thing_runs_as_python_dash_m_bot(tmp_path):
    db = tmp_path / "heard.db"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "rehearse", "sam-fixture", "--scenarios", str(FIXTURES),
         "--db", str(db), "--replies", replies_file(tmp_path, EMPATHIC)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Thanks. I think I can tell my parents now." in proc.stdout
    assert "Saved as session 1" in proc.stderr
    assert stored(db)[0][0][1] == "finished"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_rehearsal_resumes_from_the_database_with_nothing_lost(tmp_path, capsys):
    db = tmp_path / "heard.db"
    proc = spawn("sam-fixture", "--scenarios", str(FIXTURES), "--db", str(db))
    try:
        read_until(proc, "Sam Rivera:")  # the opening line
        proc.stdin.write(EMPATHIC[0] + "\n")
        proc.stdin.flush()
        answer = read_until(proc, "Sam Rivera:")  # shown only after the turn was committed
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    sessions, turns = stored(db)
    assert sessions == [(1, "active", None, None, None)]
    assert [t[2] for t in turns] == ["client", "learner", "client"]
    assert turns[-1][3] == answer.removeprefix("Sam Rivera: ").strip()

    assert main(["rehearse", "--resume", "1", "--db", str(db), "--replies",
                 replies_file(tmp_path, EMPATHIC[1:])]) == 0  # fmt: skip
    resumed = capsys.readouterr().out
    assert f"You: {EMPATHIC[0]}" in resumed  # the story so far is shown again
    assert "Sam Rivera: Thanks. I think I can tell my parents now." in resumed

    # Exactly the transcript of a run that was never interrupted.
    rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, EMPATHIC), db="straight.db")
    capsys.readouterr()
    _, straight = stored(tmp_path / "straight.db")
    assert [t[1:] for t in stored(db)[1]] == [t[1:] for t in straight]
    assert stored(db)[0] == [(1, "finished", "breakthrough", "breakthrough", "ending")]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_ctrl_c_ends_the_session_cleanly_and_still_prints_the_debrief(tmp_path):
    db = tmp_path / "heard.db"
    proc = spawn("sam-fixture", "--scenarios", str(FIXTURES), "--db", str(db))
    read_until(proc, "Sam Rivera:")
    proc.stdin.write(EMPATHIC[0] + "\n")
    proc.stdin.flush()
    read_until(proc, "Sam Rivera:")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "I have to go. Thanks for your time." in out and "# Debrief" in out
    sessions, turns = stored(db)
    assert sessions == [(1, "finished", "neutral", "out_of_time", "learner")]
    assert len(turns) == 4


def test_a_finished_or_unknown_session_cannot_be_resumed(tmp_path, capsys):
    rehearse(tmp_path, "sam-fixture", "--replies", replies_file(tmp_path, EMPATHIC))
    capsys.readouterr()
    db = str(tmp_path / "heard.db")
    assert main(["rehearse", "--resume", "1", "--db", db]) == 2
    assert "has already ended" in capsys.readouterr().err
    assert main(["rehearse", "--resume", "9", "--db", db]) == 2
    assert "no terminal session 9" in capsys.readouterr().err


def test_at_the_keyboard_an_unfinished_rehearsal_is_offered_for_resuming(tmp_path, capsys, keyboard):
    # First visit: one reply, then the terminal is closed (Ctrl-D is not pressed; the process just dies),
    # which leaves the session active in the database — as a SIGKILL would.
    db = tmp_path / "heard.db"
    proc = spawn("sam-fixture", "--scenarios", str(FIXTURES), "--db", str(db))
    read_until(proc, "Sam Rivera:")
    proc.stdin.write(EMPATHIC[0] + "\n")
    proc.stdin.flush()
    read_until(proc, "Sam Rivera:")
    proc.kill()
    proc.wait(timeout=30)

    # Second visit, at a keyboard: accept the offer, answer twice more.
    keyboard(["", *EMPATHIC[1:]], echo=True)
    assert rehearse(tmp_path, "sam-fixture") == 0
    out = capsys.readouterr().out
    assert "You have an unfinished rehearsal with Sam Rivera (session 1, 1 turn in). Resume it?" in out
    assert "Sam Rivera: Thanks. I think I can tell my parents now." in out
    sessions, turns = stored(db)
    assert sessions == [(1, "finished", "breakthrough", "breakthrough", "ending")]
    assert [t[3] for t in turns if t[2] == "learner"] == EMPATHIC


def test_declining_the_offer_closes_the_old_rehearsal_and_starts_afresh(tmp_path, capsys, keyboard):
    db = tmp_path / "heard.db"

    async def leave_one_unfinished() -> None:
        scenario = load_scenario(FIXTURES / "sam-fixture.yaml")
        session = Session.new(scenario)
        async with await Store.open(db) as store:
            await store.create_session(scenario, session.to_dict(), session.start())

    asyncio.run(leave_one_unfinished())
    keyboard(["n"])  # then Ctrl-D: the new rehearsal ends at once
    assert rehearse(tmp_path, "sam-fixture") == 0
    sessions, _ = stored(db)
    assert [s[:2] for s in sessions] == [(1, "abandoned"), (2, "finished")]
    assert sessions[0][4] == "abandoned"


def test_typed_replies_wait_for_the_detector_warm_up_before_they_are_answered(tmp_path, monkeypatch):
    from bot.cli.rehearsal import Rehearsal, typed

    events: list[str] = []
    lines = iter(["", "That sounds hard."])

    def fake_input(prompt: str) -> str:
        events.append("typed")
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    scenario = load_scenario(FIXTURES / "sam-fixture.yaml")
    session = Session.new(scenario)
    with asyncio.Runner() as runner:
        store = runner.run(Store.open(tmp_path / "heard.db"))
        record = runner.run(store.create_session(scenario, session.to_dict(), session.start()))
        rehearsal = Rehearsal(
            runner, store, scenario, session, record.id, ready=lambda: events.append("ready")
        )
        real_reply = session.reply
        monkeypatch.setattr(session, "reply", lambda text: events.append("answered") or real_reply(text))
        rehearsal.play(typed())
        runner.run(store.close())
    # The blank line is skipped; the warm-up is awaited once a real reply is in hand, then answered.
    assert events[:4] == ["typed", "typed", "ready", "answered"]


def test_the_debrief_reads_as_text_on_a_terminal_and_stays_markdown_elsewhere():
    from bot.cli.rehearsal import Style

    md = (
        "# Debrief — Rob\n\n"
        "> **You:** **That sounds hard**.  _(reflection / empathy)_\n"
        "- in snake_case_word\n"
    )
    assert Style(colour=False).markdown(md) == md
    shown = Style(colour=True).markdown(md)
    assert "#" not in shown and "**" not in shown and "_(" not in shown and "> " not in shown
    assert "\x1b[1mDebrief — Rob\x1b[0m" in shown
    assert "\x1b[2m(reflection / empathy)\x1b[0m" in shown
    assert "snake_case_word" in shown  # underscores inside a word are not emphasis
