-- The registry's schema. Times are RFC 3339 UTC text. seq columns are
-- change sequences: every insert or change of a row takes the table's next
-- value, and devices pull the rows with seq above their cursor.

CREATE TABLE activities (
    code         TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    type         TEXT NOT NULL CHECK (type IN ('charla','taller','curso','intensivo','virtual')),
    hours        REAL NOT NULL,
    points       INTEGER NOT NULL,
    sessions     INTEGER NOT NULL DEFAULT 1,
    threshold    REAL NOT NULL DEFAULT 0.75,
    rule_version TEXT NOT NULL,
    seq          INTEGER NOT NULL UNIQUE,
    updated_at   TEXT NOT NULL
) WITHOUT ROWID;

-- People: the roster plus accepted walk-ins. province_id is the INDEC code
-- of the province ('' when none or not recognised): it picks the devices
-- that receive the person.
CREATE TABLE people (
    dni         TEXT PRIMARY KEY,
    cuil        TEXT NOT NULL DEFAULT '',
    surname     TEXT NOT NULL,
    given_names TEXT NOT NULL,
    agency      TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    province    TEXT NOT NULL DEFAULT '',
    province_id TEXT NOT NULL DEFAULT '',
    sex         TEXT NOT NULL DEFAULT '',
    birth       TEXT NOT NULL DEFAULT '',
    walk_in     INTEGER NOT NULL DEFAULT 0,
    seq         INTEGER NOT NULL UNIQUE,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX people_roster ON people(province_id, seq);

-- One-time enrollment codes, by the SHA-256 of the normalised code.
CREATE TABLE enrollments (
    code_hash   BLOB PRIMARY KEY,
    office      TEXT NOT NULL,
    province    TEXT NOT NULL,
    province_id TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    device_id   TEXT
) WITHOUT ROWID;

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    office        TEXT NOT NULL,
    province      TEXT NOT NULL,
    province_id   TEXT NOT NULL,
    token_hash    BLOB NOT NULL UNIQUE,
    enrolled_at   TEXT NOT NULL,
    revoked_at    TEXT,
    revoke_reason TEXT NOT NULL DEFAULT '',
    last_batch_at TEXT
) WITHOUT ROWID;

-- Batches with their receipt, stored once and returned verbatim on replay
-- (a rowid table: receipts are large).
CREATE TABLE batches (
    id           TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL REFERENCES devices(id),
    source       TEXT NOT NULL CHECK (source IN ('http','usb')),
    received_at  TEXT NOT NULL,
    device_clock TEXT NOT NULL,
    records      INTEGER NOT NULL,
    flags        TEXT NOT NULL DEFAULT '',
    receipt      BLOB NOT NULL
);
CREATE INDEX batches_received ON batches(received_at);

-- One outcome per record of a batch, in the receipt's order.
CREATE TABLE outcomes (
    batch_id  TEXT NOT NULL REFERENCES batches(id),
    n         INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    result    TEXT NOT NULL CHECK (result IN ('accepted','duplicate','conflict','rejected')),
    code      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, n)
) WITHOUT ROWID;

-- Counts of outcomes per batch, kind and result, for statistics.
CREATE TABLE outcome_counts (
    batch_id TEXT NOT NULL REFERENCES batches(id),
    kind     TEXT NOT NULL,
    result   TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (batch_id, kind, result)
) WITHOUT ROWID;

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    activity_code TEXT NOT NULL REFERENCES activities(code),
    date          TEXT NOT NULL,
    year          INTEGER NOT NULL,
    start_time    TEXT NOT NULL DEFAULT '',
    end_time      TEXT NOT NULL DEFAULT '',
    province      TEXT NOT NULL,
    municipality  TEXT NOT NULL,
    venue         TEXT NOT NULL DEFAULT '',
    instructor    TEXT NOT NULL DEFAULT '',
    modality      TEXT NOT NULL,
    closed_at     TEXT NOT NULL,
    flags         TEXT NOT NULL DEFAULT '',
    device_id     TEXT NOT NULL,
    batch_id      TEXT NOT NULL,
    received_at   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE attendances (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    dni         TEXT NOT NULL REFERENCES people(dni),
    status      TEXT NOT NULL CHECK (status IN ('presente','tarde','justificado','ausente')),
    method      TEXT NOT NULL,
    at          TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    batch_id    TEXT NOT NULL,
    UNIQUE (session_id, dni)
) WITHOUT ROWID;
CREATE INDEX attendances_dni ON attendances(dni);

CREATE TABLE certificates (
    code          TEXT PRIMARY KEY,
    attendance_id TEXT NOT NULL REFERENCES attendances(id),
    kind          TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    batch_id      TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    revoked_at    TEXT,
    revoke_reason TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Records kept for central staff: the incoming version of a conflict (the
-- stored one is never overwritten) and the content of a rejected record.
CREATE TABLE review (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('conflict','rejected')),
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    content     TEXT NOT NULL,
    batch_id    TEXT NOT NULL REFERENCES batches(id),
    device_id   TEXT NOT NULL,
    received_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX review_open ON review(resolved_at, seq);

-- The ledger: append-only. A credit is the points of an activity for a
-- person and a calendar year, once (whichever device reports first); a
-- reversal is a new entry with the opposite points.
CREATE TABLE ledger (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    dni           TEXT NOT NULL,
    activity_code TEXT NOT NULL,
    session_id    TEXT NOT NULL DEFAULT '',
    year          INTEGER NOT NULL,
    points        INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('credit','reversal')),
    reverses      INTEGER REFERENCES ledger(id),
    rule_version  TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    batch_id      TEXT NOT NULL DEFAULT '',
    device_id     TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX ledger_one_credit ON ledger(dni, activity_code, year) WHERE kind = 'credit';
CREATE UNIQUE INDEX ledger_one_reversal ON ledger(reverses) WHERE kind = 'reversal';
CREATE INDEX ledger_person ON ledger(dni, year);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
