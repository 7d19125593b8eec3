-- Signing keys: each device's Ed25519 public key (raw 32 bytes) and its
-- kid, registered at enrollment or, for devices enrolled before, on their
-- next sync. A device's key is revoked with the device (revoked_at).
ALTER TABLE devices ADD COLUMN sign_kid TEXT;
ALTER TABLE devices ADD COLUMN sign_key BLOB;
CREATE UNIQUE INDEX devices_sign_kid ON devices(sign_kid) WHERE sign_kid IS NOT NULL;
