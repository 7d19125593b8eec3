package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Sync states of a record before the registry's outcome (then it is one of
// wire.Accepted, wire.Duplicate, wire.Conflict or wire.Rejected).
const (
	SyncLocal    = "local"     // not ready to travel (open session, roster person)
	SyncPending  = "pending"   // ready, not yet in a batch
	SyncInFlight = "in_flight" // in a batch whose receipt is not stored yet
)

// batchSlack is room kept in a batch for its envelope (protocol, ID, clock
// and the array brackets) when adding up the records' JSON sizes.
const batchSlack = 512

// Enrollment returns the device's enrollment, or an error wrapping
// wire.ErrNotEnrolled when it has none.
func (s *Store) Enrollment(ctx context.Context) (wire.Enrollment, error) {
	var e wire.Enrollment
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT registry_url, device_id, token, device_name, office, province, enrolled_at
		FROM enrollment WHERE id = 1`).Scan(&e.Registry, &e.DeviceID, &e.Token, &e.DeviceName, &e.Office, &e.Province, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("enrollment: %w", wire.ErrNotEnrolled)
	}
	if err != nil {
		return e, fmt.Errorf("enrollment: %w", err)
	}
	e.EnrolledAt = sqlitex.ParseStamp(at)
	return e, nil
}

// SetEnrollment stores the device's enrollment, replacing an earlier one,
// and forgets the pull cursors: a new registry or province pulls from the
// start. Pending and in-flight batches stay and go to the new registry.
func (s *Store) SetEnrollment(ctx context.Context, e wire.Enrollment) error {
	if e.Registry == "" || e.DeviceID == "" || e.Token == "" {
		return fmt.Errorf("set enrollment: registry, device ID and token are required")
	}
	if e.EnrolledAt.IsZero() {
		e.EnrolledAt = s.now()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO enrollment(id, registry_url, device_id, token, device_name, office, province, enrolled_at)
			VALUES (1,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET registry_url=excluded.registry_url,
			device_id=excluded.device_id, token=excluded.token, device_name=excluded.device_name,
			office=excluded.office, province=excluded.province, enrolled_at=excluded.enrolled_at`,
			e.Registry, e.DeviceID, e.Token, e.DeviceName, e.Office, e.Province, sqlitex.Stamp(e.EnrolledAt)); err != nil {
			return fmt.Errorf("set enrollment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_cursors`); err != nil {
			return fmt.Errorf("set enrollment: %w", err)
		}
		// The detail names the registry and device, never the token.
		return s.logEvent(ctx, tx, "sync.enroll", "device", e.DeviceID, e.Registry)
	})
}

// syncKind is one kind of record that travels to the registry: the table
// holding it, with the columns sync_state, batch_id, sync_code and
// sync_message, and its key column (the ID the registry's outcome names).
//
// Sessions, their attendances and the walk-ins those need are gathered
// together by NextBatch; a kind with a gather function (certificates) is
// gathered after them.
type syncKind struct {
	kind  string // wire.Kind*
	table string
	key   string
	// waiting is the SQL count of the kind's records still to be
	// acknowledged by the registry (pending or in flight).
	waiting string
	// problems is an SQL query of the kind's rejected and conflicting
	// records, selecting key, sync_state, sync_code, sync_message,
	// batch_id, a label for a person, a session ID and a DNI (or '').
	problems string
	// unsent is the sync_state a record goes back to when a receipt has no
	// outcome for it.
	unsent string
	// gather adds the kind's pending records to a batch being built; nil
	// for the kinds gatherSessions adds.
	gather func(ctx context.Context, tx *sql.Tx, bb *batchBuilder) error
}

// syncKinds are the kinds of record that travel, in the order the
// problems list shows them: sessions first (a rejected session explains
// its attendances), then walk-ins, attendances, certificates and surveys.
var syncKinds = []syncKind{
	{
		kind: wire.KindSession, table: "sessions", key: "id", unsent: SyncPending,
		waiting: `SELECT count(*) FROM sessions WHERE sync_state IN ('pending','in_flight')`,
		problems: `SELECT s.id, s.sync_state, s.sync_code, s.sync_message, coalesce(s.batch_id, ''),
			coalesce(a.title, s.activity_code) || ' — ' || s.date || ', ' || s.municipality, s.id, ''
			FROM sessions s LEFT JOIN activities a ON a.code = s.activity_code
			WHERE s.sync_state IN ('rejected','conflict')`,
	},
	{
		kind: wire.KindPerson, table: "people", key: "dni", unsent: SyncLocal,
		// A walk-in waits when it is in flight or an attendance that needs
		// it is pending.
		waiting: `SELECT count(*) FROM people p WHERE p.walk_in = 1 AND (p.sync_state = 'in_flight' OR
			(p.sync_state IN ('local','pending') AND EXISTS (SELECT 1 FROM attendances t
			WHERE t.dni = p.dni AND t.sync_state = 'pending')))`,
		problems: `SELECT p.dni, p.sync_state, p.sync_code, p.sync_message, coalesce(p.batch_id, ''),
			p.surname || ', ' || p.given_names, '', p.dni
			FROM people p WHERE p.walk_in = 1 AND p.sync_state IN ('rejected','conflict')`,
	},
	{
		kind: wire.KindAttendance, table: "attendances", key: "id", unsent: SyncPending,
		waiting: `SELECT count(*) FROM attendances WHERE sync_state IN ('pending','in_flight')`,
		problems: `SELECT t.id, t.sync_state, t.sync_code, t.sync_message, coalesce(t.batch_id, ''),
			coalesce(p.surname || ', ' || p.given_names, '') || ' en ' || coalesce(a.title, s.activity_code) || ' — ' || s.date,
			t.session_id, t.dni
			FROM attendances t JOIN sessions s ON s.id = t.session_id
			LEFT JOIN people p ON p.dni = t.dni LEFT JOIN activities a ON a.code = s.activity_code
			WHERE t.sync_state IN ('rejected','conflict')`,
	},
	{
		kind: wire.KindCertificate, table: "certificates", key: "code", unsent: SyncPending,
		waiting: `SELECT count(*) FROM certificates WHERE sync_state IN ('pending','in_flight')`,
		problems: `SELECT c.code, c.sync_state, c.sync_code, c.sync_message, coalesce(c.batch_id, ''),
			'Certificado ' || c.code || ' de ' || coalesce(p.surname || ', ' || p.given_names, ''), c.session_id, c.dni
			FROM certificates c LEFT JOIN people p ON p.dni = c.dni
			WHERE c.sync_state IN ('rejected','conflict')`,
		// Certificates travel (code + attendance) once their attendance is
		// there: accepted before, or in the same batch.
		gather: gatherCertificates,
	},
	{
		kind: wire.KindSurvey, table: "surveys", key: "session_id", unsent: SyncPending,
		waiting: `SELECT count(*) FROM surveys WHERE sync_state IN ('pending','in_flight')`,
		problems: `SELECT v.session_id, v.sync_state, v.sync_code, v.sync_message, coalesce(v.batch_id, ''),
			coalesce(a.title, s.activity_code) || ' — ' || s.date, v.session_id, ''
			FROM surveys v JOIN sessions s ON s.id = v.session_id LEFT JOIN activities a ON a.code = s.activity_code
			WHERE v.sync_state IN ('rejected','conflict')`,
		// A survey travels once it takes no more answers and its session
		// is there: accepted before, or in the same batch.
		gather: gatherSurveys,
	},
}

func findKind(kind string) (syncKind, bool) {
	for _, k := range syncKinds {
		if k.kind == kind {
			return k, true
		}
	}
	return syncKind{}, false
}
