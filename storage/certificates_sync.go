package storage

import (
	"context"
	"database/sql"

	"github.com/puntos-ar/puntos/sync/wire"
)

// Certificates travel to the registry (code + attendance) once their
// attendance is there: accepted before, or in the same batch.
func init() {
	registerSyncKind(syncKind{
		kind: wire.KindCertificate, table: "certificates", key: "code", unsent: SyncPending,
		waiting: `SELECT count(*) FROM certificates WHERE sync_state IN ('pending','in_flight')`,
		problems: `SELECT c.code, c.sync_state, c.sync_code, c.sync_message, coalesce(c.batch_id, ''),
			'Certificado ' || c.code || ' de ' || coalesce(p.surname || ', ' || p.given_names, ''), c.session_id, c.dni
			FROM certificates c LEFT JOIN people p ON p.dni = c.dni
			WHERE c.sync_state IN ('rejected','conflict')`,
		gather: gatherCertificates,
	})
}

func gatherCertificates(ctx context.Context, tx *sql.Tx, bb *batchBuilder) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.code, c.attendance_id, c.kind, c.issued_at, t.sync_state
		FROM certificates c JOIN attendances t ON t.id = c.attendance_id
		WHERE c.sync_state = 'pending' ORDER BY c.issued_at, c.code`)
	if err != nil {
		return err
	}
	type pending struct {
		rec   wire.CertificateRecord
		state string
	}
	var list []pending
	for rows.Next() {
		var p pending
		var issued string
		if err := rows.Scan(&p.rec.Code, &p.rec.AttendanceID, &p.rec.Kind, &issued, &p.state); err != nil {
			rows.Close()
			return err
		}
		p.rec.IssuedAt = parseStamp(issued)
		list = append(list, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range list {
		there := p.state == "accepted" || p.state == "duplicate" || bb.has(wire.KindAttendance, p.rec.AttendanceID)
		if !there {
			continue
		}
		if err := bb.add(wire.KindCertificate, p.rec.Code, p.rec); err != nil {
			return err
		}
	}
	return nil
}
