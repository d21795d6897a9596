"""Per-guild settings, scenarios uploaded to a guild, and deleting one learner's data."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from bot.scenario.model import Scenario
from bot.store.base import StoreBase


@dataclass(frozen=True, slots=True)
class GuildConfig:
    """A guild's choices; None means "use the bot-wide default" (HEARD_TYPING_CPS, HEARD_IDLE_MINUTES)."""

    guild_id: int
    facilitator_role_id: int | None = None
    allow_self_practice: bool = False
    typing_cps: float | None = None
    idle_minutes: int | None = None


_CONFIG_FIELDS = tuple(f.name for f in fields(GuildConfig) if f.name != "guild_id")


@dataclass(frozen=True, slots=True)
class UploadedScenario:
    guild_id: int
    scenario_id: str
    hash: str
    source: str
    path: str
    uploaded_by: int | None
    uploaded_at: str


class Guilds(StoreBase):
    async def get_guild_config(self, guild_id: int) -> GuildConfig:
        row = await self._fetchone(
            f"SELECT {', '.join(_CONFIG_FIELDS)} FROM guild_config WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return GuildConfig(guild_id)
        role, self_practice, cps, idle = row
        return GuildConfig(guild_id, role, bool(self_practice), cps, idle)  # type: ignore[arg-type]

    async def set_guild_config(self, guild_id: int, **changes: Any) -> GuildConfig:
        """Change some settings (e.g. `allow_self_practice=True`); the others keep their values."""
        unknown = set(changes) - set(_CONFIG_FIELDS)
        if unknown:
            raise ValueError(f"unknown guild setting(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(_CONFIG_FIELDS)}")  # fmt: skip
        config = replace(await self.get_guild_config(guild_id), **changes)
        values = tuple(getattr(config, name) for name in _CONFIG_FIELDS)
        async with self._transaction() as db:
            await db.execute(
                f"INSERT INTO guild_config (guild_id, {', '.join(_CONFIG_FIELDS)}, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                + ", ".join(f"{name} = excluded.{name}" for name in (*_CONFIG_FIELDS, "updated_at")),
                (guild_id, *values, self._now()),
            )
        return config

    # --- scenarios uploaded with the Discord upload command ---------------------------------------
    async def add_uploaded_scenario(
        self, guild_id: int, scenario: Scenario, *, uploaded_by: int | None = None
    ) -> None:
        """Make a scenario available in one guild (replacing an earlier upload with the same id)."""
        async with self._transaction() as db:
            await self._insert_version(db, scenario)  # type: ignore[attr-defined]
            await db.execute(
                "INSERT INTO uploaded_scenarios (guild_id, scenario_id, hash, uploaded_by, uploaded_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, scenario_id) DO UPDATE SET "
                "hash = excluded.hash, uploaded_by = excluded.uploaded_by, "
                "uploaded_at = excluded.uploaded_at",
                (guild_id, scenario.id, scenario.content_hash, uploaded_by, self._now()),
            )

    async def list_uploaded_scenarios(self, guild_id: int) -> list[UploadedScenario]:
        rows = await self._fetchall(
            "SELECT u.guild_id, u.scenario_id, u.hash, v.source, v.path, u.uploaded_by, u.uploaded_at "
            "FROM uploaded_scenarios u JOIN scenario_versions v ON v.hash = u.hash "
            "WHERE u.guild_id = ? ORDER BY u.scenario_id",
            (guild_id,),
        )
        return [UploadedScenario(*row) for row in rows]  # type: ignore[arg-type]

    async def remove_uploaded_scenario(self, guild_id: int, scenario_id: str) -> bool:
        async with self._transaction() as db:
            cur = await db.execute(
                "DELETE FROM uploaded_scenarios WHERE guild_id = ? AND scenario_id = ?",
                (guild_id, scenario_id),
            )
        return cur.rowcount > 0

    # --- a person's data ---------------------------------------------------------------------------
    async def forget_learner(self, learner_id: int, *, guild_id: int | None = None) -> int:
        """Delete a person's sessions as a learner (transcripts and notes go with them), and remove
        their name from notes and sessions they facilitated. Limited to one guild when given.
        Returns the number of sessions deleted."""
        scope, params = ("", ()) if guild_id is None else (" AND guild_id = ?", (guild_id,))
        async with self._transaction() as db:
            cur = await db.execute(f"DELETE FROM sessions WHERE learner_id = ?{scope}", (learner_id, *params))
            deleted = cur.rowcount
            await db.execute(
                f"UPDATE sessions SET facilitator_id = NULL WHERE facilitator_id = ?{scope}",
                (learner_id, *params),
            )
            await db.execute(
                "UPDATE notes SET author_id = NULL, author_name = '(removed)' WHERE author_id = ? AND "
                f"session_id IN (SELECT id FROM sessions WHERE 1 = 1{scope})",
                (learner_id, *params),
            )
        return max(deleted, 0)
