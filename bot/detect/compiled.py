"""The lexicon's big regular expressions, compiled once per machine instead of once per process.

Python's `re` parses and compiles a pattern in pure Python. For the lexicon's two big patterns (1.2 million
characters) that is most of the five seconds a process spends before it can read its first reply.
What that work produces is the regex engine's code, a list of integers that depends only on the pattern,
the flags and the Python version. `cached_pattern` keeps it in a file and next time hands it straight to
the engine (`_sre.compile`, as `re` itself does), which checks it before use.

The cache lives in `$HEARD_CACHE_DIR`, else `$XDG_CACHE_HOME/heard`, else `~/.cache/heard`;
`HEARD_CACHE_DIR=off` turns it off. Anything unexpected (no writable directory, another Python, a damaged
file, a Python whose `re` internals differ) falls back to `re.compile`, so the cache can only save time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from array import array
from pathlib import Path

log = logging.getLogger(__name__)

MIN_SIZE = 20_000  # characters: smaller patterns compile in milliseconds, so they are not cached
KEEP = 8  # cache files kept (the newest); older lexicons' patterns are removed when one is written
_PREFIX = "re-"


def cache_dir() -> Path | None:
    """Where compiled patterns are kept, or None when caching is off."""
    configured = (os.environ.get("HEARD_CACHE_DIR") or "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home == "~":  # no home directory to keep it in
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "heard"


def _engine() -> tuple[object, object, object] | None:
    """`re`'s parser, code generator and engine constructor, or None if this Python lacks them."""
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:
        return None
    if not all(hasattr(m, n) for m, n in ((_parser, "parse"), (_compiler, "_code"), (_sre, "compile"))):
        return None
    return _parser, _compiler, _sre


def _key(source: str, flags: int, sre: object) -> str:
    digest = hashlib.sha256()
    version = f"{sys.version}|{sys.implementation.name}|{getattr(sre, 'MAGIC', '')}|{flags}"
    digest.update(version.encode())
    digest.update(b"\0")
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40]


def _load(path: Path, source: str, key: str, sre: object) -> re.Pattern[str]:
    raw = path.read_bytes()
    header, _, body = raw.partition(b"\n")
    meta = json.loads(header)
    if meta.get("key") != key:
        raise ValueError("cache file for another pattern")
    code = array(meta["typecode"])
    if code.itemsize != meta["itemsize"]:
        raise ValueError("cache file from another machine")
    code.frombytes(body)
    if len(code) != meta["length"]:
        raise ValueError("cache file cut short")
    indexgroup = tuple(meta["indexgroup"])
    return sre.compile(  # type: ignore[attr-defined]
        source, meta["flags"], code.tolist(), meta["groups"], meta["groupindex"], indexgroup
    )


def _build(source: str, flags: int, engine: tuple[object, object, object]) -> tuple[re.Pattern[str], dict]:
    """Compile as `re._compiler.compile` does, keeping what the engine was given."""
    parser, compiler, sre = engine
    parsed = parser.parse(source, flags)  # type: ignore[attr-defined]
    code = compiler._code(parsed, flags)  # type: ignore[attr-defined]
    state = parsed.state
    groupindex = dict(state.groupdict)
    indexgroup = [None] * state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    flags |= state.flags
    pattern = sre.compile(source, flags, code, state.groups - 1, groupindex, tuple(indexgroup))  # type: ignore[attr-defined]
    meta = {
        "flags": flags,
        "groups": state.groups - 1,
        "groupindex": groupindex,
        "indexgroup": indexgroup,
        "length": len(code),
    }
    return pattern, {"code": code, **meta}


def _store(directory: Path, path: Path, key: str, built: dict) -> None:
    code = array("I", built.pop("code"))
    if code.itemsize != 4:
        code = array("L", code)
    meta = {"key": key, "typecode": code.typecode, "itemsize": code.itemsize, **built}
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(meta).encode() + b"\n")
            fh.write(code.tobytes())
        os.replace(tmp, path)  # whole or not at all, even with two processes writing at once
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _prune(directory)


def _prune(directory: Path) -> None:
    """Keep the `KEEP` files used last (a hit touches its file); the rest are old lexicons'."""
    dated = []
    for file in directory.glob(_PREFIX + "*.bin"):
        try:
            dated.append((file.stat().st_mtime, file))
        except OSError:  # removed by another process meanwhile
            continue
    dated.sort(reverse=True)
    for _, stale in dated[KEEP:]:
        stale.unlink(missing_ok=True)


def cached_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, read from the cache when this pattern was compiled before here."""
    directory = cache_dir() if len(source) >= MIN_SIZE else None
    engine = _engine() if directory is not None else None
    if directory is None or engine is None:
        return re.compile(source, flags)
    key = _key(source, flags, engine[2])
    path = directory / f"{_PREFIX}{key}.bin"
    try:
        if path.is_file():
            pattern = _load(path, source, key, engine[2])
            with contextlib.suppress(OSError):  # a read-only cache is still read
                os.utime(path)  # used: kept when older files are pruned
            return pattern
    except Exception as exc:  # a damaged or foreign file: compile again and replace it
        log.debug("compiled-pattern cache %s not used: %s", path, exc)
    try:
        pattern, built = _build(source, flags, engine)
    except Exception as exc:  # `re` internals not as expected: the ordinary way
        log.debug("compiling without the cache: %s", exc)
        return re.compile(source, flags)
    try:
        _store(directory, path, key, built)
    except OSError as exc:  # read-only home, full disk: the pattern is compiled all the same
        log.debug("compiled-pattern cache %s not written: %s", path, exc)
    return pattern


__all__ = ["cache_dir", "cached_pattern"]
