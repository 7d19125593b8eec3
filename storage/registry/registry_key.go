package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"

	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/jws"
)

// KeySource tells where the key SigningKey returns came from; the
// sources of stored keys are written in registry_keys.source.
type KeySource string

// The sources of the registry's signing key.
const (
	// KeyStored is a key the database already held.
	KeyStored KeySource = ""
	// KeyNew is a key made and stored by this call.
	KeyNew KeySource = "new"
	// KeyImported is the key given to SigningKey, stored by this call.
	KeyImported KeySource = "file"
)

// signKeyPurpose is the registry_keys row of the signing key.
const signKeyPurpose = "sign"

// SigningKey returns the registry's own Ed25519 signing key. It lives in
// the database, so every instance on it signs with the same key and
// publishes the same key set. When the database holds none yet, it stores
// imported when not nil (the key file of a registry that kept its key in
// its data folder, so that what it signed stays verifiable), or else a
// new key. Instances starting together all end with the key stored
// first: each inserts its own only if none is there, then reads back the
// one stored.
func (s *Store) SigningKey(ctx context.Context, imported ed25519.PrivateKey) (ed25519.PrivateKey, KeySource, error) {
	key, err := s.loadSigningKey(ctx)
	if !errors.Is(err, sql.ErrNoRows) {
		return key, KeyStored, err
	}
	source, key := KeyImported, imported
	if key == nil {
		source = KeyNew
		if _, key, err = ed25519.GenerateKey(rand.Reader); err != nil {
			return nil, KeyStored, fmt.Errorf("make registry signing key: %w", err)
		}
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, KeyStored, fmt.Errorf("registry signing key: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO registry_keys(purpose, kid, private_key, source, created_at) VALUES (?,?,?,?,?)
		ON CONFLICT DO NOTHING`, signKeyPurpose, jws.Kid(jws.Public(key)), der, string(source), sqlitex.Stamp(s.now()))
	if err != nil {
		return nil, KeyStored, fmt.Errorf("store registry signing key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		source = KeyStored // another instance stored one first
	}
	key, err = s.loadSigningKey(ctx)
	return key, source, err
}

// loadSigningKey reads the stored signing key; sql.ErrNoRows when there
// is none.
func (s *Store) loadSigningKey(ctx context.Context) (ed25519.PrivateKey, error) {
	var der []byte
	err := s.db.QueryRowContext(ctx, `SELECT private_key FROM registry_keys WHERE purpose = ?`, signKeyPurpose).Scan(&der)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("read registry signing key: %w", err)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	key, ok := k.(ed25519.PrivateKey)
	if err != nil || !ok {
		return nil, fmt.Errorf("registry signing key in the database is not an Ed25519 PKCS #8 key (%v): restore it from a backup", err)
	}
	return key, nil
}
