-- The central staff's workspace: accounts and sessions, the append-only
-- audit log, review decisions and the history of records they changed,
-- a folded name index for people search, and the indexes of the inbox,
-- the ledger lookups and the compliance report.

-- Staff accounts. password_hash is bcrypt. province and province_id,
-- when set, limit what the account sees to that province.
CREATE TABLE staff (
    username      TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin','reviewer','viewer')),
    province      TEXT NOT NULL DEFAULT '',
    province_id   TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT,
    last_login_at TEXT
) WITHOUT ROWID;

-- Staff sessions, by the SHA-256 of their token.
CREATE TABLE staff_sessions (
    token_hash BLOB PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES staff(username),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at   TEXT
) WITHOUT ROWID;
CREATE INDEX staff_sessions_user ON staff_sessions(username);

-- Who did what, when and why: append-only.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- How staff resolved a review item: append-only, one per item. record is
-- the version accepted (wire JSON); ledger the IDs of the ledger entries
-- the decision appended.
CREATE TABLE review_decisions (
    review_seq INTEGER PRIMARY KEY REFERENCES review(seq),
    decision   TEXT NOT NULL CHECK (decision IN ('accept','reject')),
    reason     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    record     TEXT NOT NULL DEFAULT '',
    ledger     TEXT NOT NULL DEFAULT '',
    cascaded   INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER review_decisions_no_update BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
CREATE TRIGGER review_decisions_no_delete BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;

-- Every version of a record that an accepted conflict replaced, so that
-- nothing the registry once held is lost: append-only.
CREATE TABLE record_versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    content     TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    review_seq  INTEGER NOT NULL REFERENCES review(seq)
);
CREATE INDEX record_versions_record ON record_versions(kind, record_id);
CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;

-- Folded names (domain.Fold of "surname given" and "given surname") for
-- accent-insensitive search, kept up to date from people.seq: the store
-- folds the people changed after people_names_seq before each search.
CREATE TABLE people_names (
    key TEXT NOT NULL,
    dni TEXT NOT NULL,
    PRIMARY KEY (key, dni)
) WITHOUT ROWID;
CREATE INDEX people_names_dni ON people_names(dni);
CREATE TABLE people_names_seq (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO people_names_seq(id, seq) VALUES (1, 0);

-- A credit reversed by staff may be earned again (a corrected record):
-- credits are unique per person, activity, year and credit_no, which
-- counts the credits of that key. Ingest keeps inserting credit_no 0, so
-- devices still get one credit per person, activity and year.
DROP INDEX ledger_one_credit;
ALTER TABLE ledger ADD COLUMN credit_no INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX ledger_one_credit ON ledger(dni, activity_code, year, credit_no) WHERE kind = 'credit';

-- The compliance report reads a year's ledger, sessions and attendances
-- from covering indexes; the inbox pages batches newest first.
CREATE INDEX ledger_year ON ledger(year, dni, points);
CREATE INDEX ledger_session ON ledger(session_id, points);
CREATE INDEX sessions_year ON sessions(year, province, municipality);
CREATE INDEX attendances_session_status ON attendances(session_id, status);
CREATE INDEX people_group ON people(province_id, agency);
CREATE INDEX batches_inbox ON batches(received_at, id);
CREATE INDEX review_batch ON review(batch_id, kind, record_id);
CREATE INDEX review_received ON review(received_at, seq);
CREATE INDEX certificates_attendance ON certificates(attendance_id);
