package registry

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// StaffDevices returns the enrolled devices within scope; see
// server.StaffStore.
func (s *Store) StaffDevices(ctx context.Context, scope wire.StaffScope) ([]wire.EnrolledDevice, error) {
	q, args := `SELECT `+deviceCols+` FROM devices`, []any{}
	if !scope.All() {
		q, args = q+` WHERE province_id = ?`, append(args, scope.ProvinceID)
	}
	return sqlitex.Collect(ctx, s.db, []wire.EnrolledDevice{}, scanDevice, q+` ORDER BY enrolled_at DESC, id`, args...)
}

// CreateEnrollmentBy stores a one-time enrollment code and audits it; see
// server.StaffStore.
func (s *Store) CreateEnrollmentBy(ctx context.Context, e wire.EnrollmentCode, by wire.StaffAction) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO enrollments(code_hash, office, province, province_id, created_at, expires_at)
			VALUES (?,?,?,?,?,?)`, e.CodeHash, e.Office, e.Province, e.ProvinceID, sqlitex.Stamp(e.CreatedAt), sqlitex.Stamp(e.ExpiresAt)); err != nil {
			return err
		}
		return audit(ctx, tx, wire.AuditEntry{At: s.actionTime(by), Actor: by.Actor, Action: wire.AuditEnroll,
			Target: e.Office + " (" + e.Province + ")", Reason: by.Reason, Detail: "vence " + sqlitex.Stamp(e.ExpiresAt)})
	})
	if err != nil {
		return fmt.Errorf("create enrollment: %w", err)
	}
	return nil
}

// RevokeDeviceBy revokes a device by its exact ID and audits it; see
// server.StaffStore. Revoking a revoked device keeps the first revocation.
func (s *Store) RevokeDeviceBy(ctx context.Context, id string, scope wire.StaffScope, by wire.StaffAction) (wire.EnrolledDevice, error) {
	if err := domain.CheckLen("reason", by.Reason, domain.MaxReason); err != nil {
		return wire.EnrolledDevice{}, err
	}
	at := sqlitex.Stamp(s.actionTime(by))
	var dev wire.EnrolledDevice
	err := s.tx(ctx, func(tx *sql.Tx) error {
		d, err := scanDevice(tx.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE id = ?`, id))
		if err != nil {
			return noRows(err, "device")
		}
		if !scope.All() && d.ProvinceID != scope.ProvinceID {
			return notFound("device")
		}
		if !d.Revoked() {
			if _, err := tx.ExecContext(ctx, `UPDATE devices SET revoked_at = ?, revoke_reason = ? WHERE id = ?`, at, by.Reason, id); err != nil {
				return err
			}
			if err := audit(ctx, tx, wire.AuditEntry{At: sqlitex.ParseStamp(at), Actor: by.Actor, Action: wire.AuditDeviceRevoke,
				Target: d.ID + " (" + d.Name + ", " + d.Office + ")", Reason: by.Reason}); err != nil {
				return err
			}
		}
		dev, err = scanDevice(tx.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE id = ?`, id))
		return err
	})
	if err != nil {
		return wire.EnrolledDevice{}, fmt.Errorf("revoke device: %w", err)
	}
	return dev, nil
}
