-- Reaction surveys; see migrations/sqlite/0006_surveys.sql.
CREATE TABLE surveys (
    session_id  text PRIMARY KEY REFERENCES sessions(id),
    value_1     bigint NOT NULL,
    value_2     bigint NOT NULL,
    value_3     bigint NOT NULL,
    value_4     bigint NOT NULL,
    value_5     bigint NOT NULL,
    use_1       bigint NOT NULL,
    use_2       bigint NOT NULL,
    use_3       bigint NOT NULL,
    use_4       bigint NOT NULL,
    use_5       bigint NOT NULL,
    comments    text NOT NULL DEFAULT '[]',
    device_id   text NOT NULL,
    batch_id    text NOT NULL,
    received_at text NOT NULL
);

CREATE INDEX attendances_session_dni ON attendances(session_id, status, dni);
DROP INDEX attendances_session_status;
