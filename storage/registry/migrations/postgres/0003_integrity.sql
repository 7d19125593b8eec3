-- Ledger integrity; see migrations/sqlite/0003_integrity.sql.
ALTER TABLE batches ADD COLUMN digest bytea;

CREATE TABLE rate_limits (
    key        text PRIMARY KEY,
    window_end bigint NOT NULL,
    failures   bigint NOT NULL
);
CREATE INDEX rate_limits_end ON rate_limits(window_end);
