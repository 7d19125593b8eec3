-- Signing keys; see migrations/sqlite/0005_signing_keys.sql.
ALTER TABLE devices ADD COLUMN sign_kid text;
ALTER TABLE devices ADD COLUMN sign_key bytea;
CREATE UNIQUE INDEX devices_sign_kid ON devices(sign_kid) WHERE sign_kid IS NOT NULL;
