-- Reaction surveys as devices send them, one per session: the counts of
-- answers per point of each question (value of the class, likelihood of
-- use; 1 lowest) and the comments as a JSON array, in the shuffled order
-- they arrived in. No person, DNI or time of an answer is kept.
CREATE TABLE surveys (
    session_id  TEXT PRIMARY KEY REFERENCES sessions(id),
    value_1     INTEGER NOT NULL,
    value_2     INTEGER NOT NULL,
    value_3     INTEGER NOT NULL,
    value_4     INTEGER NOT NULL,
    value_5     INTEGER NOT NULL,
    use_1       INTEGER NOT NULL,
    use_2       INTEGER NOT NULL,
    use_3       INTEGER NOT NULL,
    use_4       INTEGER NOT NULL,
    use_5       INTEGER NOT NULL,
    comments    TEXT NOT NULL DEFAULT '[]',
    device_id   TEXT NOT NULL,
    batch_id    TEXT NOT NULL,
    received_at TEXT NOT NULL
) WITHOUT ROWID;

-- The impact view counts the distinct people trained in a year from the
-- year's sessions: with the DNI in the index it never reads the table.
-- The index it replaces is its prefix, so every query that used it can
-- use this one.
CREATE INDEX attendances_session_dni ON attendances(session_id, status, dni);
DROP INDEX attendances_session_status;
