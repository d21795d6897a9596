"""What the bot needs to run, as one plain object.

Tests build `Settings(...)` directly; `heard run` uses `Settings.from_env()`, which reads the
environment and a `.env` file (python-dotenv). Every variable is listed in `.env.example`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.scenario.load import scenario_paths

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """An environment variable has a value Heard cannot use (the message names it)."""


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    db_path: Path = Path("heard.db")
    scenario_dirs: tuple[Path, ...] = (Path("scenarios"),)
    # A guild id to sync slash commands to at start (development only; production uses `heard sync`).
    dev_guild: int | None = None
    # How fast the client "types": characters per second (0 = answer at once, as in tests).
    typing_cps: float = 30.0
    # The longest a typing indicator may run before a reply, in seconds.
    typing_max: float = 6.0
    # After this many minutes without a learner reply the client nudges once; after twice this, it ends.
    idle_minutes: float = 10.0
    log_level: str = "INFO"
    owner_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        """Settings from the environment (and `.env` in the working directory, which never overrides
        a variable that is already set)."""
        if environ is None:
            if dotenv:
                from dotenv import load_dotenv

                load_dotenv(override=False)
            environ = os.environ
        dirs = environ.get("HEARD_SCENARIOS", "").strip()
        return cls(
            token=environ.get("DISCORD_TOKEN", "").strip() or None,
            db_path=Path(environ.get("HEARD_DB", "").strip() or "heard.db"),
            scenario_dirs=tuple(scenario_paths(env=dirs)),
            dev_guild=_number(environ, "HEARD_DEV_GUILD", int),
            typing_cps=_number(environ, "HEARD_TYPING_CPS", float, cls.typing_cps),
            idle_minutes=_number(environ, "HEARD_IDLE_MINUTES", float, cls.idle_minutes),
            log_level=(environ.get("HEARD_LOG_LEVEL", "").strip() or "INFO").upper(),
        )


def _number(environ: Mapping[str, str], name: str, kind: type, default: object = None) -> object:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(
            f"{name}={raw!r} is not a {kind.__name__} number; fix it in .env or unset it"
        ) from None
    if value < 0:
        raise SettingsError(f"{name}={raw!r} must not be negative; fix it in .env or unset it")
    return value
