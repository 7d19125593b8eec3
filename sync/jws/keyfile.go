package jws

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DeviceKeyFile is the device's signing key in its data folder.
// RegistryKeyFile is where a registry kept its own key in its data folder
// before the key moved into its database; serve imports it from there.
const (
	DeviceKeyFile   = "signing-key.pem"
	RegistryKeyFile = "registry-signing-key.pem"
)

// Load reads the PKCS #8 PEM Ed25519 key at path. A missing file gives an
// error wrapping fs.ErrNotExist.
func Load(path string) (ed25519.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	blk, _ := pem.Decode(raw)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("signing key %s: not a PEM private key", filepath.Base(path))
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", filepath.Base(path), err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("signing key %s: not an Ed25519 key", filepath.Base(path))
	}
	return ek, nil
}

// LoadOrCreate reads the key at path, or makes a new one and writes it
// there readable by the owner only (0600; created exclusively, so two
// processes never write two keys). created tells which.
func LoadOrCreate(path string) (key ed25519.PrivateKey, created bool, err error) {
	key, err = Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	_, key, err = ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, fmt.Errorf("make signing key: %w", err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key) // an Ed25519 key always marshals
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		key, err = Load(path)
		return key, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("write signing key: %w", err)
	}
	werr := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return nil, false, fmt.Errorf("write signing key: %w", err)
	}
	return key, true, nil
}

// Public returns the raw 32 bytes of key's public half.
func Public(key ed25519.PrivateKey) []byte { return key.Public().(ed25519.PublicKey) }
