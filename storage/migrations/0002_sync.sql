-- Sync with the central registry: the device's enrollment, pull cursors,
-- batches' stored payloads, and the sync state of walk-in people.

-- Enrollment: one row, the registry this device is enrolled with. The token
-- is a secret: it is never logged nor shown.
CREATE TABLE enrollment (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    registry_url TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    token        TEXT NOT NULL,
    device_name  TEXT NOT NULL DEFAULT '',
    office       TEXT NOT NULL DEFAULT '',
    province     TEXT NOT NULL DEFAULT '',
    enrolled_at  TEXT NOT NULL
);

-- Pull cursors, one per feed ("catalog", "roster"), written in the same
-- transaction as the page they follow.
CREATE TABLE sync_cursors (
    feed       TEXT PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- The outcome of the latest sync runs, for the status bar.
CREATE TABLE sync_runs (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    last_attempt_at TEXT,
    last_success_at TEXT,
    last_error      TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_runs(id) VALUES (1);

-- A batch keeps the exact records it was built with (JSON of sync.Batch),
-- so every retry sends the same content under the same ID. The payload is
-- dropped once the receipt is stored.
ALTER TABLE batches ADD COLUMN payload BLOB;
ALTER TABLE batches ADD COLUMN records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN exported_at TEXT;
CREATE INDEX batches_state ON batches(state, created_at);

-- Walk-in people travel once, in the batch of the first session that needs
-- them: local → in_flight → accepted | duplicate | conflict | rejected.
-- Roster people stay local: they came from the registry.
ALTER TABLE people ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'local';
ALTER TABLE people ADD COLUMN batch_id TEXT REFERENCES batches(id);
ALTER TABLE people ADD COLUMN sync_code TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN sync_message TEXT NOT NULL DEFAULT '';
CREATE INDEX people_walk_in_sync ON people(sync_state) WHERE walk_in = 1;

-- The batch builder walks pending attendances in (session, id) order.
DROP INDEX attendances_sync;
CREATE INDEX attendances_sync ON attendances(sync_state, session_id);
