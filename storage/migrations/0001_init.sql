-- People: public servants, keyed by DNI. name_key and given_key are folded
-- search forms ("surname given" and "given surname") for prefix range scans.
-- A rowid table with the DNI in a separate unique index: a bulk import
-- appends rows and builds the indexes once (see ImportRoster).
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    dni         TEXT NOT NULL,
    cuil        TEXT NOT NULL DEFAULT '',
    surname     TEXT NOT NULL,
    given_names TEXT NOT NULL,
    agency      TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    province    TEXT NOT NULL DEFAULT '',
    sex         TEXT NOT NULL DEFAULT '',
    birth       TEXT NOT NULL DEFAULT '',
    walk_in     INTEGER NOT NULL DEFAULT 0,
    name_key    TEXT NOT NULL,
    given_key   TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX people_dni ON people(dni);
CREATE INDEX people_name_key ON people(name_key);
CREATE INDEX people_given_key ON people(given_key);

CREATE TABLE activities (
    code         TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    type         TEXT NOT NULL CHECK (type IN ('charla','taller','curso','intensivo','virtual')),
    hours        REAL NOT NULL,
    points       INTEGER NOT NULL,
    sessions     INTEGER NOT NULL DEFAULT 1,
    threshold    REAL NOT NULL DEFAULT 0.75,
    rule_version TEXT NOT NULL,
    search_key   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) WITHOUT ROWID;

-- Batches: a set of records sent to the registry together. The ID is
-- written before the first attempt and reused on every retry.
CREATE TABLE batches (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending','in_flight','acknowledged')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at    TEXT,
    acked_at   TEXT,
    receipt    BLOB
);

-- sync_state of a record: local (not ready: open session) → pending (ready,
-- not yet in a batch) → in_flight (in batch_id) → accepted | duplicate |
-- conflict | rejected, with the registry's code and message.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    activity_code TEXT NOT NULL REFERENCES activities(code),
    date          TEXT NOT NULL,
    start_time    TEXT NOT NULL DEFAULT '',
    end_time      TEXT NOT NULL DEFAULT '',
    province      TEXT NOT NULL,
    municipality  TEXT NOT NULL,
    venue         TEXT NOT NULL DEFAULT '',
    instructor    TEXT NOT NULL DEFAULT '',
    modality      TEXT NOT NULL DEFAULT 'presencial' CHECK (modality IN ('presencial','virtual')),
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','closed')),
    closed_at     TEXT,
    created_at    TEXT NOT NULL,
    sync_state    TEXT NOT NULL DEFAULT 'local',
    batch_id      TEXT REFERENCES batches(id),
    sync_code     TEXT NOT NULL DEFAULT '',
    sync_message  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_date ON sessions(date);
CREATE INDEX sessions_sync ON sessions(sync_state);

CREATE TABLE attendances (
    id           TEXT PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES sessions(id),
    dni          TEXT NOT NULL REFERENCES people(dni),
    status       TEXT NOT NULL CHECK (status IN ('presente','tarde','justificado','ausente')),
    at           TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('typed','search','scan','import','walk-in')),
    sync_state   TEXT NOT NULL DEFAULT 'local',
    batch_id     TEXT REFERENCES batches(id),
    sync_code    TEXT NOT NULL DEFAULT '',
    sync_message TEXT NOT NULL DEFAULT '',
    UNIQUE (session_id, dni)
) WITHOUT ROWID;
CREATE INDEX attendances_dni ON attendances(dni);
CREATE INDEX attendances_sync ON attendances(sync_state);

-- Events: append-only log of what changed, who and when.
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
