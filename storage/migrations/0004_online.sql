-- Online courses: sessions may be virtual or hybrid ("hibrida"), held on a
-- meeting platform, with their own attendance threshold; attendances
-- taken from a participants report keep the person's connected minutes.

-- SQLite cannot change a CHECK constraint in place: the sessions table is
-- rebuilt. Its rows are copied aside, the old table dropped and the new one
-- filled after it took the name, so the attendances and certificates that
-- reference it find their sessions again before the deferred foreign keys
-- are checked at commit.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE sessions_copy AS SELECT * FROM sessions;
DROP TABLE sessions;
CREATE TABLE sessions_new (
    id            TEXT PRIMARY KEY,
    activity_code TEXT NOT NULL REFERENCES activities(code),
    date          TEXT NOT NULL,
    start_time    TEXT NOT NULL DEFAULT '',
    end_time      TEXT NOT NULL DEFAULT '',
    province      TEXT NOT NULL,
    municipality  TEXT NOT NULL,
    venue         TEXT NOT NULL DEFAULT '',
    instructor    TEXT NOT NULL DEFAULT '',
    modality      TEXT NOT NULL DEFAULT 'presencial' CHECK (modality IN ('presencial','virtual','hibrida')),
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','closed')),
    closed_at     TEXT,
    created_at    TEXT NOT NULL,
    sync_state    TEXT NOT NULL DEFAULT 'local',
    batch_id      TEXT REFERENCES batches(id),
    sync_code     TEXT NOT NULL DEFAULT '',
    sync_message  TEXT NOT NULL DEFAULT '',
    -- meeting platform ("Zoom", "Teams", …) and link of a virtual or hybrid session
    platform      TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    -- attendance threshold of a report: a share of the scheduled length, or
    -- minutes; 0 means the default share (domain.DefaultMinShare)
    min_share     REAL NOT NULL DEFAULT 0,
    min_minutes   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
ALTER TABLE sessions_new RENAME TO sessions;
INSERT INTO sessions(id, activity_code, date, start_time, end_time, province, municipality, venue,
    instructor, modality, state, closed_at, created_at, sync_state, batch_id, sync_code, sync_message)
    SELECT id, activity_code, date, start_time, end_time, province, municipality, venue,
    instructor, modality, state, closed_at, created_at, sync_state, batch_id, sync_code, sync_message
    FROM sessions_copy;
DROP TABLE sessions_copy;
CREATE INDEX sessions_date ON sessions(date);
CREATE INDEX sessions_sync ON sessions(sync_state);

-- Connected minutes of an attendance taken from a participants report;
-- NULL for one recorded in the room. A corrected report updates only
-- the attendances a report made.
ALTER TABLE attendances ADD COLUMN minutes INTEGER;

-- Email → person matches a coordinator settled by hand, remembered for the
-- next report.
CREATE TABLE participant_emails (
    email      TEXT PRIMARY KEY,
    dni        TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Matching a report's participants by email.
CREATE INDEX people_email ON people(email COLLATE NOCASE);
