"""The database schema as numbered migrations, tracked with SQLite's `PRAGMA user_version`.

Never edit a migration that has shipped: add a new one at the end. Migration N brings a database from
user_version N-1 to N, inside one transaction, so a crash half-way leaves the old schema intact.
"""

from __future__ import annotations

import logging

import aiosqlite

from bot.store.errors import StoreError

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions, their transcripts and notes, the scenario versions they were played with, per-guild
    #    configuration and scenarios uploaded to a guild.
    """
    CREATE TABLE scenario_versions (
        hash        TEXT PRIMARY KEY,          -- sha256 of the YAML source
        scenario_id TEXT NOT NULL,
        source      TEXT NOT NULL,             -- the YAML as it was when a session started
        path        TEXT NOT NULL DEFAULT '',
        added_at    TEXT NOT NULL
    );

    CREATE TABLE sessions (
        id             INTEGER PRIMARY KEY,
        guild_id       INTEGER,                -- NULL for terminal rehearsals
        channel_id     INTEGER,
        thread_id      INTEGER,
        learner_id     INTEGER,
        learner_name   TEXT NOT NULL DEFAULT '',
        facilitator_id INTEGER,
        scenario_id    TEXT NOT NULL,
        scenario_hash  TEXT NOT NULL REFERENCES scenario_versions(hash),
        status         TEXT NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'paused', 'finished', 'abandoned')),
        outcome        TEXT,
        ending         TEXT,
        end_reason     TEXT,
        state          TEXT NOT NULL,          -- engine state JSON after the last committed turn
        dm_status      TEXT CHECK (dm_status IN ('sent', 'failed')),
        started_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        ended_at       TEXT
    );
    CREATE INDEX sessions_by_thread ON sessions(thread_id) WHERE status IN ('active', 'paused');
    CREATE INDEX sessions_by_channel ON sessions(channel_id) WHERE status IN ('active', 'paused');
    CREATE INDEX sessions_by_guild ON sessions(guild_id, started_at);
    CREATE INDEX sessions_by_learner ON sessions(learner_id, guild_id);

    CREATE TABLE turns (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,           -- 1, 2, 3... across both speakers
        speaker    TEXT NOT NULL CHECK (speaker IN ('learner', 'client')),
        text       TEXT NOT NULL,
        detection  TEXT,                       -- JSON (learner rows)
        node       TEXT,                       -- learner: node answered; client: node or ending spoken from
        branch     TEXT,                       -- learner rows: the branch taken
        vars       TEXT,                       -- JSON (client rows): variables after the turn
        at         TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE notes (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        author_id   INTEGER,
        author_name TEXT NOT NULL,
        text        TEXT NOT NULL,
        at          TEXT NOT NULL
    );
    CREATE INDEX notes_by_session ON notes(session_id);

    CREATE TABLE guild_config (
        guild_id            INTEGER PRIMARY KEY,
        facilitator_role_id INTEGER,
        allow_self_practice INTEGER NOT NULL DEFAULT 0,
        typing_cps          REAL,              -- NULL: use HEARD_TYPING_CPS
        idle_minutes        INTEGER,           -- NULL: use HEARD_IDLE_MINUTES
        updated_at          TEXT NOT NULL
    );

    CREATE TABLE uploaded_scenarios (
        guild_id    INTEGER NOT NULL,
        scenario_id TEXT NOT NULL,
        hash        TEXT NOT NULL REFERENCES scenario_versions(hash),
        uploaded_by INTEGER,
        uploaded_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, scenario_id)
    );
    """,
    # 2: one statement records a whole learner turn. Inserting into the view `turn_writes` runs the
    #    trigger, which adds the learner's row and the client's row(s) and saves the engine state. A
    #    single statement is atomic on its own and costs one round trip to the database thread, which is
    #    most of the price of a turn (see docs/performance.md).
    """
    -- How many transcript rows the session has: the next seq, without reading `turns` (an INSERT
    -- that reads its own table goes through a temporary copy).
    ALTER TABLE sessions ADD COLUMN lines INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET lines = (SELECT COUNT(*) FROM turns WHERE turns.session_id = sessions.id);

    CREATE VIEW turn_writes AS
        SELECT NULL AS session_id, NULL AS reply, NULL AS detection, NULL AS from_node, NULL AS branch,
               NULL AS lines, NULL AS to_node, NULL AS vars, NULL AS state, NULL AS at,
               NULL AS status, NULL AS outcome, NULL AS ending, NULL AS end_reason;

    CREATE TRIGGER turn_writes_insert INSTEAD OF INSERT ON turn_writes
    BEGIN
        SELECT RAISE(ABORT, 'no such session')
         WHERE NOT EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id);

        INSERT INTO turns (session_id, seq, speaker, text, detection, node, branch, vars, at)
        SELECT id, lines + 1, 'learner', NEW.reply, NEW.detection, NEW.from_node, NEW.branch, NULL, NEW.at
          FROM sessions WHERE id = NEW.session_id;

        -- lines: the client's line(s), a JSON array of strings, in the order they are said
        INSERT INTO turns (session_id, seq, speaker, text, detection, node, branch, vars, at)
        SELECT s.id, s.lines + line.key + 2, 'client', line.value, NULL, NEW.to_node, NULL, NEW.vars, NEW.at
          FROM sessions AS s, json_each(NEW.lines) AS line
         WHERE s.id = NEW.session_id;

        UPDATE sessions
           SET state = NEW.state, updated_at = NEW.at, lines = lines + 1 + json_array_length(NEW.lines)
         WHERE id = NEW.session_id;

        -- Only a turn that ends the session touches status (an indexed column: costlier to write).
        UPDATE sessions
           SET status = NEW.status, outcome = NEW.outcome, ending = NEW.ending,
               end_reason = NEW.end_reason, ended_at = NEW.at
         WHERE id = NEW.session_id AND NEW.status IS NOT NULL;
    END;
    """,
)


SCHEMA_VERSION = len(MIGRATIONS)


async def migrate(conn: aiosqlite.Connection, path: str) -> int:
    """Bring the schema up to date; returns the version the database was at before."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    current = int(row[0]) if row else 0
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the database uses schema version {current}, but this Heard knows only up to "
            f"{SCHEMA_VERSION}. Upgrade Heard, or point HEARD_DB / --db at another file."
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        log.info("migrating %s to schema version %d", path, version)
        # executescript commits anything pending first; BEGIN/COMMIT make each step all-or-nothing.
        try:
            await conn.executescript(
                f"BEGIN;\n{MIGRATIONS[version - 1]}\nPRAGMA user_version = {version};\nCOMMIT;"
            )
        except Exception:
            if conn.in_transaction:
                await conn.rollback()
            raise
    return current
