-- Reaction surveys: per session, the counts of answers per point of each
-- question (value of the class, likelihood of use; 1 lowest) and, apart,
-- the optional comments. No person, DNI or time is kept with an answer.
-- A survey takes answers until it is closed by hand (closed = 1) or 7 days
-- after its session; then it travels once as one record.
CREATE TABLE surveys (
    session_id   TEXT PRIMARY KEY REFERENCES sessions(id),
    value_1      INTEGER NOT NULL DEFAULT 0,
    value_2      INTEGER NOT NULL DEFAULT 0,
    value_3      INTEGER NOT NULL DEFAULT 0,
    value_4      INTEGER NOT NULL DEFAULT 0,
    value_5      INTEGER NOT NULL DEFAULT 0,
    use_1        INTEGER NOT NULL DEFAULT 0,
    use_2        INTEGER NOT NULL DEFAULT 0,
    use_3        INTEGER NOT NULL DEFAULT 0,
    use_4        INTEGER NOT NULL DEFAULT 0,
    use_5        INTEGER NOT NULL DEFAULT 0,
    closed       INTEGER NOT NULL DEFAULT 0,
    sync_state   TEXT NOT NULL DEFAULT 'local',
    batch_id     TEXT REFERENCES batches(id),
    sync_code    TEXT NOT NULL DEFAULT '',
    sync_message TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX surveys_sync ON surveys(sync_state);

CREATE TABLE survey_comments (
    session_id TEXT NOT NULL REFERENCES surveys(session_id),
    comment    TEXT NOT NULL
);
CREATE INDEX survey_comments_session ON survey_comments(session_id);
