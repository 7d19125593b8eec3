-- The registry's own Ed25519 signing key, in the database so that every
-- instance on it signs with the same key and publishes the same key set.
-- One row per purpose ('sign'): instances starting together insert theirs
-- with ON CONFLICT DO NOTHING and all read back the one that won.
-- private_key is the PKCS #8 DER encoding. A registry that kept its key in
-- its data folder (registry-signing-key.pem) imports it on its next start:
-- source is 'file' then, 'new' for a key made here.
CREATE TABLE registry_keys (
    purpose     TEXT PRIMARY KEY,
    kid         TEXT NOT NULL UNIQUE,
    private_key BLOB NOT NULL,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
