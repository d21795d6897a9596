"""The compiled-pattern cache: the lexicon's big regexes compiled once per machine, never wrongly."""

from __future__ import annotations

import os
import re

import pytest

from bot.detect import compiled
from bot.detect.compiled import KEEP, MIN_SIZE, cache_dir, cached_pattern

# A pattern big enough to be cached: many alternatives, a group, a lookahead.
WORDS = [f"w{i}x{i * 7 % 13}" for i in range(6000)]
SOURCE = r"[ ,]((?:" + "|".join(WORDS) + r")(?: (?:one|two))?)(?![a-z0-9])"
TEXTS = [" w12x6 one and w5999x4", " w1x7two w3x8 two", "nothing here", " w17x2, w18x9"]


def _found(pattern: re.Pattern[str]) -> list[list[tuple[int, str]]]:
    return [[(m.start(), m.group(1)) for m in pattern.finditer(t)] for t in TEXTS]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _files(directory) -> list:
    return sorted(directory.glob("re-*.bin")) if directory.exists() else []


def test_source_is_big_enough_to_be_cached():
    assert len(SOURCE) >= MIN_SIZE


def test_a_pattern_read_back_from_the_cache_matches_as_re_compile_does(cache, monkeypatch):
    expected = _found(re.compile(SOURCE))
    first = cached_pattern(SOURCE)
    assert len(_files(cache)) == 1
    assert _found(first) == expected

    compiles = []
    monkeypatch.setattr(compiled, "_build", lambda *args: compiles.append(args))
    monkeypatch.setattr(compiled.re, "compile", lambda *args: compiles.append(args))
    second = cached_pattern(SOURCE)
    assert compiles == []  # read from the file, not compiled again
    assert second is not first
    assert _found(second) == expected
    assert second.pattern == SOURCE and second.groups == 1


def test_a_damaged_cache_file_is_compiled_again_and_replaced(cache):
    cached_pattern(SOURCE)
    (path,) = _files(cache)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # cut short
    assert _found(cached_pattern(SOURCE)) == _found(re.compile(SOURCE))
    path.write_bytes(b"not a cache file")
    assert _found(cached_pattern(SOURCE)) == _found(re.compile(SOURCE))
    assert _found(cached_pattern(SOURCE)) == _found(re.compile(SOURCE))  # the rewritten file reads back


def test_another_pattern_gets_its_own_file(cache):
    other = SOURCE.replace("one|two", "three|four")
    cached_pattern(SOURCE)
    cached_pattern(other)
    assert len(_files(cache)) == 2
    assert [m.group(1) for m in cached_pattern(other).finditer(" w1x7 three")] == ["w1x7 three"]


def test_small_patterns_are_not_cached(cache):
    assert cached_pattern(r"\bhello\b").search("oh hello") is not None
    assert _files(cache) == []


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_CACHE_DIR", "off")
    monkeypatch.chdir(tmp_path)
    assert cache_dir() is None
    assert _found(cached_pattern(SOURCE)) == _found(re.compile(SOURCE))
    assert list(tmp_path.rglob("*")) == []


def test_an_unusable_cache_directory_still_compiles(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("HEARD_CACHE_DIR", str(blocker / "cache"))
    assert _found(cached_pattern(SOURCE)) == _found(re.compile(SOURCE))


@pytest.mark.parametrize("setting", [None, "", "  "])  # unset, or left empty in .env: the default
def test_the_default_place_follows_xdg_cache_home(tmp_path, monkeypatch, setting):
    if setting is None:
        monkeypatch.delenv("HEARD_CACHE_DIR", raising=False)
    else:
        monkeypatch.setenv("HEARD_CACHE_DIR", setting)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "heard"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "heard"


def test_only_the_files_used_last_are_kept(cache):
    cache.mkdir(parents=True)
    for i in range(KEEP + 3):
        old = cache / f"re-old{i}.bin"
        old.write_bytes(b"{}\n")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    cached_pattern(SOURCE)
    kept = _files(cache)
    assert len(kept) == KEEP
    assert not (cache / "re-old0.bin").exists()  # the oldest went first
    assert (cache / f"re-old{KEEP + 2}.bin").exists()
