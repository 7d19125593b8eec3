package storage

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Settings of certificate signing.
const (
	settingSignKid   = "signing_kid" // the kid the registry knows this device's key by
	settingPublicURL = "public_url"  // the registry's public address, as it last said
	settingKeySet    = "key_set"     // the registry's published keys (JSON), as last pulled
)

// SigningKey returns the device's Ed25519 signing key, kept in the data
// folder (jws.DeviceKeyFile, owner-only), making it the first time.
func (s *Store) SigningKey() (ed25519.PrivateKey, error) {
	k, _, err := jws.LoadOrCreate(filepath.Join(s.dir, jws.DeviceKeyFile))
	return k, err
}

// FreshSigningKey returns the key to register at an enrollment: the
// current one when no registry knows it yet (the certificates it signed
// before become verifiable), else a new one. A key a registry knows
// belongs to the old enrollment, perhaps revoked: its file is kept
// beside, renamed with its kid, and the new key replaces it.
func (s *Store) FreshSigningKey(ctx context.Context) (ed25519.PrivateKey, error) {
	kid, err := s.RegisteredKid(ctx)
	if err != nil || kid == "" {
		k, kerr := s.SigningKey()
		return k, errors.Join(err, kerr)
	}
	path := filepath.Join(s.dir, jws.DeviceKeyFile)
	if err := os.Rename(path, path+"."+kid+".old"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("retire signing key: %w", err)
	}
	if err := s.SetSetting(ctx, settingSignKid, ""); err != nil {
		return nil, err
	}
	return s.SigningKey()
}

// RegisteredKid returns the kid the registry registered this device's
// signing key under, "" while it has none.
func (s *Store) RegisteredKid(ctx context.Context) (string, error) {
	return s.Setting(ctx, settingSignKid, "")
}

// SetRegisteredKid notes that the registry registered the device's key.
func (s *Store) SetRegisteredKid(ctx context.Context, kid string) error {
	return s.SetSetting(ctx, settingSignKid, kid)
}

// PublicURL returns the registry's public address as it last said, ""
// when it never did.
func (s *Store) PublicURL(ctx context.Context) (string, error) {
	return s.Setting(ctx, settingPublicURL, "")
}

// SetPublicURL stores the registry's public address; an empty one (a
// registry that has none) keeps what is stored.
func (s *Store) SetPublicURL(ctx context.Context, u string) error {
	return s.setChanged(ctx, settingPublicURL, u)
}

// KeySet returns the keys pulled at the last sync (none before the first).
func (s *Store) KeySet(ctx context.Context) (wire.KeySet, error) {
	var set wire.KeySet
	raw, err := s.Setting(ctx, settingKeySet, "")
	if err != nil || raw == "" {
		return set, err
	}
	if err := json.Unmarshal([]byte(raw), &set); err != nil {
		return set, fmt.Errorf("read signing keys: %w", err)
	}
	return set, nil
}

// SetKeySet stores the registry's published keys.
func (s *Store) SetKeySet(ctx context.Context, set wire.KeySet) error {
	raw, err := json.Marshal(set)
	if err != nil {
		return err
	}
	return s.setChanged(ctx, settingKeySet, string(raw))
}

// setChanged stores a non-empty setting when it differs from the stored
// one, so that a pull repeating it writes nothing to the event log.
func (s *Store) setChanged(ctx context.Context, key, value string) error {
	old, err := s.Setting(ctx, key, "")
	if err != nil || value == "" || value == old {
		return err
	}
	return s.SetSetting(ctx, key, value)
}

// signCertificate signs a new certificate's facts with the device's key.
func (s *Store) signCertificate(key ed25519.PrivateKey, t CertificateText, activity string, h history) (string, error) {
	dates := []string{h.first}
	if h.last != h.first {
		dates = append(dates, h.last)
	}
	return jws.Sign(key, jws.Claims{Code: t.Code, DNI: t.DNI, Activity: activity, Dates: dates, Points: t.Points,
		Kind: t.Kind, Signed: t.IssuedAt.Unix()})
}

// Verify judges a signed certificate offline, with the keys pulled at the
// last sync: text is what its QR holds (the URL or the JWS) or its
// verification code. A code is looked up among the certificates issued on
// this device. Text that names no signed certificate, and a device that
// never pulled the keys, get a *domain.Error saying what to do.
func (s *Store) Verify(ctx context.Context, text string) (jws.Verdict, error) {
	token, ok := jws.FromText(text)
	if !ok {
		code, err := domain.NormalizeCode(text)
		if err != nil {
			return jws.Verdict{}, invalid("verify_text", "texto",
				"Eso no es el contenido del código QR de un certificado ni un código de verificación (10 letras y números, por ejemplo ABCD-EFGH-JK).")
		}
		var fields string
		err = s.db.QueryRowContext(ctx, `SELECT fields FROM certificates WHERE code = ?`, code).Scan(&fields)
		if errors.Is(err, sql.ErrNoRows) {
			return jws.Verdict{}, invalid("verify_unknown", "código",
				"El certificado %s no se emitió en este equipo: escaneá su código QR, o verificalo en la página del registro.", code)
		}
		if err != nil {
			return jws.Verdict{}, err
		}
		var t CertificateText
		if err := json.Unmarshal([]byte(fields), &t); err != nil {
			return jws.Verdict{}, fmt.Errorf("read certificate: %w", err)
		}
		if t.JWS == "" {
			return jws.Verdict{}, invalid("verify_unsigned", "código",
				"El certificado %s se emitió antes de las firmas digitales: verificalo en la página del registro con su código.", code)
		}
		token = t.JWS
	}
	set, err := s.KeySet(ctx)
	if err != nil {
		return jws.Verdict{}, err
	}
	if len(set.Keys) == 0 {
		return jws.Verdict{}, invalid("verify_no_keys", "claves",
			"Este equipo todavía no tiene las claves del registro para verificar sin conexión: sincronizalo una vez y probá de nuevo.")
	}
	return jws.Judge(set, token, jws.Receipt{}), nil
}
