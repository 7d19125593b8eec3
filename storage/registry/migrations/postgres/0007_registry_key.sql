-- The registry's own signing key; see migrations/sqlite/0007_registry_key.sql.
CREATE TABLE registry_keys (
    purpose     text PRIMARY KEY,
    kid         text NOT NULL UNIQUE,
    private_key bytea NOT NULL,
    source      text NOT NULL,
    created_at  text NOT NULL
);
