-- Ledger integrity: the digest a batch ID is held to, and the failure
-- counters of the rate limits, shared by every registry instance on this
-- database.

-- The SHA-256 of a batch as JSON without its device clock (wire.Batch.Digest):
-- a batch ID that arrives again with another digest is refused. Batches
-- stored before this migration have none; their replays are compared by
-- the kinds and IDs of their outcomes.
ALTER TABLE batches ADD COLUMN digest BLOB;

-- Failed attempts per key in a fixed window that ends at window_end (Unix
-- milliseconds, so that windows compare as numbers). The
-- key is a kind of limit and a hash of the client address (and of the
-- account, for logins): no address or user name is kept in the clear.
CREATE TABLE rate_limits (
    key        TEXT PRIMARY KEY,
    window_end INTEGER NOT NULL,
    failures   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_end ON rate_limits(window_end);
