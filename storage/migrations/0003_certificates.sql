-- Images of the office settings (logo, signatures), content-addressed so an
-- issued certificate keeps pointing at the exact images it was issued with.
CREATE TABLE images (
    sha256 TEXT PRIMARY KEY,
    data   BLOB NOT NULL
) WITHOUT ROWID;

-- Certificates: issued once and frozen. fields is the exact text printed
-- (JSON), office the office snapshot (JSON, images by sha256). One per
-- person, activity and calendar year.
CREATE TABLE certificates (
    code          TEXT PRIMARY KEY,
    attendance_id TEXT NOT NULL REFERENCES attendances(id),
    session_id    TEXT NOT NULL REFERENCES sessions(id),
    dni           TEXT NOT NULL,
    activity_code TEXT NOT NULL,
    year          INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('asistencia','aprobacion')),
    fields        TEXT NOT NULL,
    office        TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    sync_state    TEXT NOT NULL DEFAULT 'pending',
    batch_id      TEXT REFERENCES batches(id),
    sync_code     TEXT NOT NULL DEFAULT '',
    sync_message  TEXT NOT NULL DEFAULT '',
    UNIQUE (dni, activity_code, year)
) WITHOUT ROWID;
CREATE INDEX certificates_session ON certificates(session_id);
CREATE INDEX certificates_sync ON certificates(sync_state);
