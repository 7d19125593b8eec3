package registry

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

const deviceCols = `id, name, office, province, province_id, token_hash, enrolled_at, revoked_at, revoke_reason, last_batch_at, coalesce(sign_kid, ''), sign_key`

func scanDevice(sc interface{ Scan(...any) error }) (wire.EnrolledDevice, error) {
	var d wire.EnrolledDevice
	var enrolled string
	var revoked, last sql.NullString
	err := sc.Scan(&d.ID, &d.Name, &d.Office, &d.Province, &d.ProvinceID, &d.TokenHash, &enrolled, &revoked, &d.RevokeReason, &last, &d.SignKid, &d.SignKey)
	d.EnrolledAt, d.RevokedAt, d.LastBatchAt = sqlitex.ParseStamp(enrolled), sqlitex.NullStamp(revoked), sqlitex.NullStamp(last)
	return d, err
}

// RedeemEnrollment uses an enrollment code to enroll dev; see
// server.Store.
func (s *Store) RedeemEnrollment(ctx context.Context, codeHash []byte, dev wire.EnrolledDevice, now time.Time) (wire.EnrolledDevice, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// A code redeemed at two instances at once enrolls one device.
		if err := s.lock(ctx, tx, "enrollment", hex.EncodeToString(codeHash)); err != nil {
			return err
		}
		var expires string
		var used sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT office, province, province_id, expires_at, used_at FROM enrollments WHERE code_hash = ?`,
			codeHash).Scan(&dev.Office, &dev.Province, &dev.ProvinceID, &expires, &used)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return &domain.Error{Code: wire.CodeEnrollUnknown,
				Text: "Ese código de alta no existe: revisá que esté bien escrito o pedile uno nuevo al equipo central."}
		case err != nil:
			return err
		case used.Valid:
			return &domain.Error{Code: wire.CodeEnrollUsed,
				Text: "Ese código de alta ya se usó (sirve una sola vez): pedile uno nuevo al equipo central."}
		case !now.Before(sqlitex.ParseStamp(expires)):
			return &domain.Error{Code: wire.CodeEnrollExpired,
				Text: "Ese código de alta venció (dura 7 días): pedile uno nuevo al equipo central."}
		}
		dev.EnrolledAt = now.UTC()
		if dev.SignKid != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM devices WHERE sign_kid = ?`, dev.SignKid).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return &domain.Error{Code: wire.CodeKeyRegistered,
					Text: "La clave de firma de este equipo ya está registrada con otro alta: borrá el archivo signing-key.pem de la carpeta de datos (se crea uno nuevo) y volvé a inscribirlo."}
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO devices(id, name, office, province, province_id, token_hash, enrolled_at, sign_kid, sign_key)
			VALUES (?,?,?,?,?,?,?,?,?)`, dev.ID, dev.Name, dev.Office, dev.Province, dev.ProvinceID, dev.TokenHash, sqlitex.Stamp(now),
			nullIfEmpty(dev.SignKid), dev.SignKey); err != nil {
			return fmt.Errorf("add device: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE enrollments SET used_at = ?, device_id = ? WHERE code_hash = ?`, sqlitex.Stamp(now), dev.ID, codeHash)
		return err
	})
	if err != nil {
		return wire.EnrolledDevice{}, err
	}
	return dev, nil
}

// DeviceByToken returns the device whose token hashes to tokenHash.
func (s *Store) DeviceByToken(ctx context.Context, tokenHash []byte) (wire.EnrolledDevice, error) {
	d, err := scanDevice(s.db.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return wire.EnrolledDevice{}, noRows(err, "device")
	}
	// The lookup is by a hash of a 256-bit random token, so its timing
	// leaks nothing useful; compare anyway in constant time.
	if subtle.ConstantTimeCompare(d.TokenHash, tokenHash) != 1 {
		return wire.EnrolledDevice{}, notFound("device")
	}
	return d, nil
}

// Device returns the device with that ID.
func (s *Store) Device(ctx context.Context, id string) (wire.EnrolledDevice, error) {
	d, err := scanDevice(s.db.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE id = ?`, id))
	if err != nil {
		return wire.EnrolledDevice{}, noRows(err, "device")
	}
	return d, nil
}

// Devices returns every enrolled device, newest first.
func (s *Store) Devices(ctx context.Context) ([]wire.EnrolledDevice, error) {
	return s.StaffDevices(ctx, wire.StaffScope{})
}

// DeviceByPrefix returns the device whose ID is id or starts with id (at
// least 8 characters, any case, matching one device): the command line
// names devices so. It returns an error wrapping domain.ErrNotFound, or a
// *domain.Error for an ambiguous prefix.
func (s *Store) DeviceByPrefix(ctx context.Context, id string) (wire.EnrolledDevice, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	var ids []string
	if len(id) >= 8 {
		var err error
		if ids, err = queryStrings(ctx, s.db, `SELECT id FROM devices WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`, id, id+"\x7f"); err != nil {
			return wire.EnrolledDevice{}, err
		}
	}
	switch len(ids) {
	case 0:
		return wire.EnrolledDevice{}, notFound("device")
	case 2:
		return wire.EnrolledDevice{}, &domain.Error{Code: "device_ambiguous", Text: fmt.Sprintf("Hay más de un equipo cuyo ID empieza con %q: escribí el ID completo (ver «device list»).", id)}
	}
	return s.Device(ctx, ids[0])
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SetSigningKey registers the signing key of a device that has none; see
// server.Store.
func (s *Store) SetSigningKey(ctx context.Context, deviceID, kid string, pub []byte) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var have sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT sign_kid FROM devices WHERE id = ?`, deviceID).Scan(&have); err != nil {
			return noRows(err, "device")
		}
		switch {
		case have.String == kid:
			return nil
		case have.Valid:
			return &domain.Error{Code: wire.CodeKeyRegistered,
				Text: "Este equipo ya tiene una clave de firma registrada: para cambiarla, pedí un nuevo código de alta al equipo central."}
		}
		_, err := tx.ExecContext(ctx, `UPDATE devices SET sign_kid = ?, sign_key = ? WHERE id = ?`, kid, pub, deviceID)
		return err
	})
}

// DeviceKeys returns every device's signing key, in enrollment order; see
// server.Store.
func (s *Store) DeviceKeys(ctx context.Context) ([]wire.DeviceKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sign_kid, sign_key, office, province, revoked_at FROM devices
		WHERE sign_kid IS NOT NULL ORDER BY enrolled_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wire.DeviceKey
	for rows.Next() {
		var k wire.DeviceKey
		var revoked sql.NullString
		if err := rows.Scan(&k.Kid, &k.Public, &k.Office, &k.Province, &revoked); err != nil {
			return nil, err
		}
		k.RevokedAt = sqlitex.NullStamp(revoked)
		out = append(out, k)
	}
	return out, rows.Err()
}
