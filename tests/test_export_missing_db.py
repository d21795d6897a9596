"""Read-only commands (debrief, export, cohort) never create a database at a mistyped path."""

from pathlib import Path

import pytest

from bot.cli import main

READ_ONLY = [
    ["debrief", "1"],
    ["export", "--guild", "terminal", "--format", "csv"],
    ["export", "--guild", "42", "--format", "json", "--out", "out.json"],
    ["cohort", "--guild", "terminal"],
    ["cohort", "--guild", "terminal", "--format", "csv"],
]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_a_mistyped_db_is_reported_and_not_created(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEARD_DB", raising=False)
    assert main([*command, "--db", "nope.db"]) == 1
    err = capsys.readouterr().err
    assert "nope.db does not exist" in err
    assert "the default database is heard.db" in err
    assert list(tmp_path.iterdir()) == []  # no nope.db, no -wal/-shm, no out.json


def test_the_hint_names_heard_db_when_it_is_set(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEARD_DB", str(tmp_path / "class.db"))
    assert main(["debrief", "1", "--db", "nope.db"]) == 1
    assert f"the default database is {tmp_path / 'class.db'}, set by HEARD_DB" in capsys.readouterr().err


def test_no_db_yet_in_this_folder_says_how_to_get_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEARD_DB", raising=False)
    assert main(["cohort", "--guild", "terminal"]) == 1
    err = capsys.readouterr().err
    assert "heard.db does not exist" in err and "--db PATH" in err and "heard rehearse" in err
    assert not (tmp_path / "heard.db").exists()


def test_a_folder_is_not_a_database(tmp_path, capsys):
    assert main(["debrief", "1", "--db", str(tmp_path)]) == 1
    assert "is a folder, not a database file" in capsys.readouterr().err


def test_rehearse_still_creates_its_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    replies = tmp_path / "replies.txt"
    replies.write_text("That sounds hard.\n", encoding="utf-8")
    db = tmp_path / "new.db"
    mini = Path(__file__).parent / "data" / "scenarios" / "mini.yaml"
    assert main(["rehearse", str(mini), "--replies", str(replies), "--db", str(db)]) == 0
    assert db.is_file()
    assert main(["debrief", "1", "--db", str(db)]) == 0
