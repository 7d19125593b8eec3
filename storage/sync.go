package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
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
	e.EnrolledAt = parseStamp(at)
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
			e.Registry, e.DeviceID, e.Token, e.DeviceName, e.Office, e.Province, stamp(e.EnrolledAt)); err != nil {
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
// The core kinds (people, sessions, attendances) are gathered together by
// NextBatch. Another file can add a kind (certificates) with
// registerSyncKind and a gather function, which runs after the core kinds
// and adds its pending records with batchBuilder.add.
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
	// for the core kinds.
	gather func(ctx context.Context, tx *sql.Tx, bb *batchBuilder) error
}

var syncKinds = []syncKind{
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
		kind: wire.KindSession, table: "sessions", key: "id", unsent: SyncPending,
		waiting: `SELECT count(*) FROM sessions WHERE sync_state IN ('pending','in_flight')`,
		problems: `SELECT s.id, s.sync_state, s.sync_code, s.sync_message, coalesce(s.batch_id, ''),
			coalesce(a.title, s.activity_code) || ' — ' || s.date || ', ' || s.municipality, s.id, ''
			FROM sessions s LEFT JOIN activities a ON a.code = s.activity_code
			WHERE s.sync_state IN ('rejected','conflict')`,
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
}

// registerSyncKind adds a kind of record to batches, receipts, the status
// and the problems list. Call it from an init function.
func registerSyncKind(k syncKind) { syncKinds = append(syncKinds, k) }

func findKind(kind string) (syncKind, bool) {
	for _, k := range syncKinds {
		if k.kind == kind {
			return k, true
		}
	}
	return syncKind{}, false
}

// batchBuilder collects records for one batch within the limits of
// wire.MaxBatchRecords and wire.MaxBatchBytes.
type batchBuilder struct {
	batch   wire.Batch
	size    int
	members []batchMember
	seen    map[batchMember]bool
}

type batchMember struct{ kind, key string }

// builderMark is a builder's state to roll back to.
type builderMark struct{ people, sessions, attendances, certificates, members, size int }

func newBatchBuilder() *batchBuilder {
	return &batchBuilder{size: batchSlack, seen: map[batchMember]bool{}}
}

// errBatchFull says a record did not fit in the batch.
var errBatchFull = errors.New("batch full")

// add appends a record (a wire.PersonRecord, SessionRecord,
// AttendanceRecord or CertificateRecord) under its kind and key. It
// returns errBatchFull when the record would break the batch's limits.
func (bb *batchBuilder) add(kind, key string, rec any) error {
	if bb.len() >= wire.MaxBatchRecords {
		return errBatchFull
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode %s record: %w", kind, err)
	}
	if bb.size+len(data)+1 > wire.MaxBatchBytes {
		return errBatchFull
	}
	switch r := rec.(type) {
	case wire.PersonRecord:
		bb.batch.People = append(bb.batch.People, r)
	case wire.SessionRecord:
		bb.batch.Sessions = append(bb.batch.Sessions, r)
	case wire.AttendanceRecord:
		bb.batch.Attendances = append(bb.batch.Attendances, r)
	case wire.CertificateRecord:
		bb.batch.Certificates = append(bb.batch.Certificates, r)
	default:
		return fmt.Errorf("batch: unknown record type %T", rec)
	}
	bb.size += len(data) + 1
	m := batchMember{kind, key}
	bb.members = append(bb.members, m)
	bb.seen[m] = true
	return nil
}

// has reports whether the batch already holds a record.
func (bb *batchBuilder) has(kind, key string) bool { return bb.seen[batchMember{kind, key}] }

func (bb *batchBuilder) len() int { return len(bb.members) }

func (bb *batchBuilder) mark() builderMark {
	b := &bb.batch
	return builderMark{len(b.People), len(b.Sessions), len(b.Attendances), len(b.Certificates), len(bb.members), bb.size}
}

func (bb *batchBuilder) rollback(m builderMark) {
	b := &bb.batch
	b.People, b.Sessions = b.People[:m.people], b.Sessions[:m.sessions]
	b.Attendances, b.Certificates = b.Attendances[:m.attendances], b.Certificates[:m.certificates]
	for _, x := range bb.members[m.members:] {
		delete(bb.seen, x)
	}
	bb.members, bb.size = bb.members[:m.members], m.size
}

// NextBatch gathers pending records into a new batch and returns it, or nil
// when nothing is pending. Closed sessions go with their attendances and
// the walk-ins those need; a session is not split across batches unless
// it alone exceeds the limits. The batch ID, its payload and its members'
// state (in flight, with the batch ID) are written in one transaction, so
// every retry sends the same batch under the same ID.
func (s *Store) NextBatch(ctx context.Context) (*wire.Batch, error) {
	var out *wire.Batch
	err := s.tx(ctx, func(tx *sql.Tx) error {
		bb := newBatchBuilder()
		if err := gatherSessions(ctx, tx, bb); err != nil {
			return err
		}
		for _, k := range syncKinds {
			if k.gather == nil || bb.len() >= wire.MaxBatchRecords {
				continue
			}
			if err := k.gather(ctx, tx, bb); err != nil && !errors.Is(err, errBatchFull) {
				return fmt.Errorf("gather %s: %w", k.kind, err)
			}
		}
		if bb.len() == 0 {
			return nil
		}
		b := &bb.batch
		b.Protocol, b.ID, b.DeviceClock = wire.Protocol, domain.NewID(), s.now()
		payload, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO batches(id, created_at, state, payload, records) VALUES (?,?,'pending',?,?)`,
			b.ID, stamp(b.DeviceClock), payload, bb.len()); err != nil {
			return err
		}
		if err := setMembers(ctx, tx, b.ID, bb.members); err != nil {
			return err
		}
		out = b
		return s.logEvent(ctx, tx, "sync.batch", "batch", b.ID, fmt.Sprintf("records=%d", bb.len()))
	})
	if err != nil {
		return nil, fmt.Errorf("next batch: %w", err)
	}
	return out, nil
}

// setMembers marks a batch's records in flight in it.
func setMembers(ctx context.Context, tx *sql.Tx, batchID string, members []batchMember) error {
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for _, m := range members {
		st := stmts[m.kind]
		if st == nil {
			k, ok := findKind(m.kind)
			if !ok {
				return fmt.Errorf("unknown record kind %q", m.kind)
			}
			var err error
			st, err = tx.PrepareContext(ctx, `UPDATE `+k.table+` SET sync_state = 'in_flight', batch_id = ?, sync_code = '', sync_message = ''
				WHERE `+k.key+` = ?`)
			if err != nil {
				return err
			}
			stmts[m.kind] = st
		}
		if _, err := st.ExecContext(ctx, batchID, m.key); err != nil {
			return fmt.Errorf("mark %s in flight: %w", m.kind, err)
		}
	}
	return nil
}

// gatherSessions adds closed sessions with pending records, in ID order
// (UUIDv7: creation order), each with its pending attendances and the
// walk-ins they need.
func gatherSessions(ctx context.Context, tx *sql.Tx, bb *batchBuilder) error {
	limit := wire.MaxBatchRecords - bb.len()
	sessions, err := pendingSessions(ctx, tx, limit)
	if err != nil {
		return err
	}
	atts, err := pendingAttendances(ctx, tx, limit+1)
	if err != nil {
		return err
	}
	// With more attendances than fit, the last session's list may be cut
	// short: it goes only if it is the first (then split).
	cut := ""
	if len(atts) > limit {
		cut = atts[len(atts)-1].SessionID
	}
	walkIns, err := unsentWalkIns(ctx, tx)
	if err != nil {
		return err
	}
	si, ai := 0, 0
	for si < len(sessions) || ai < len(atts) {
		var sid string
		switch {
		case si == len(sessions):
			sid = atts[ai].SessionID
		case ai == len(atts):
			sid = sessions[si].ID
		default:
			sid = min(sessions[si].ID, atts[ai].SessionID)
		}
		first := bb.len() == 0
		if sid == cut && !first {
			return nil
		}
		m := bb.mark()
		err := func() error {
			if si < len(sessions) && sessions[si].ID == sid {
				if err := bb.add(wire.KindSession, sid, sessions[si]); err != nil {
					return err
				}
				si++
			}
			for ; ai < len(atts) && atts[ai].SessionID == sid; ai++ {
				a := atts[ai]
				if p, ok := walkIns[a.DNI]; ok && !bb.has(wire.KindPerson, a.DNI) {
					if err := bb.add(wire.KindPerson, a.DNI, p); err != nil {
						return err
					}
				}
				if err := bb.add(wire.KindAttendance, a.ID, a); err != nil {
					return err
				}
			}
			return nil
		}()
		switch {
		case errors.Is(err, errBatchFull):
			if !first {
				bb.rollback(m)
			}
			return nil
		case err != nil:
			return err
		}
	}
	return nil
}

func pendingSessions(ctx context.Context, tx *sql.Tx, limit int) ([]wire.SessionRecord, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, activity_code, date, start_time, end_time, province, municipality,
		venue, instructor, modality, coalesce(closed_at, '') FROM sessions
		WHERE sync_state = 'pending' AND state = 'closed' ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending sessions: %w", err)
	}
	defer rows.Close()
	var out []wire.SessionRecord
	for rows.Next() {
		var r wire.SessionRecord
		var closed string
		if err := rows.Scan(&r.ID, &r.ActivityCode, &r.Date, &r.Start, &r.End, &r.Province, &r.Municipality,
			&r.Venue, &r.Instructor, &r.Modality, &closed); err != nil {
			return nil, err
		}
		r.ClosedAt = parseStamp(closed)
		out = append(out, r)
	}
	return out, rows.Err()
}

func pendingAttendances(ctx context.Context, tx *sql.Tx, limit int) ([]wire.AttendanceRecord, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, session_id, dni, status, method, at FROM attendances
		WHERE sync_state = 'pending' ORDER BY session_id, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending attendances: %w", err)
	}
	defer rows.Close()
	var out []wire.AttendanceRecord
	for rows.Next() {
		var r wire.AttendanceRecord
		var at string
		if err := rows.Scan(&r.ID, &r.SessionID, &r.DNI, &r.Status, &r.Method, &at); err != nil {
			return nil, err
		}
		r.At = parseStamp(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// unsentWalkIns returns the walk-ins not yet sent, by DNI.
func unsentWalkIns(ctx context.Context, tx *sql.Tx) (map[string]wire.PersonRecord, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+personCols+` FROM people
		WHERE walk_in = 1 AND sync_state IN ('local','pending')`)
	if err != nil {
		return nil, fmt.Errorf("walk-ins: %w", err)
	}
	defer rows.Close()
	out := map[string]wire.PersonRecord{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out[p.DNI] = wire.PersonRecord{DNI: p.DNI, CUIL: p.CUIL, Surname: p.Surname, GivenNames: p.GivenNames,
			Agency: p.Agency, Email: p.Email, Province: p.Province, Sex: p.Sex, Birth: p.Birth}
	}
	return out, rows.Err()
}

// UnackedBatches returns the IDs of batches whose receipt is not stored
// yet, oldest first: they go before any new batch.
func (s *Store) UnackedBatches(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM batches WHERE state != 'acknowledged' ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("unacknowledged batches: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Batch returns an unacknowledged batch as it was built, or an error
// wrapping domain.ErrNotFound (also once its receipt is stored).
func (s *Store) Batch(ctx context.Context, id string) (*wire.Batch, error) {
	var payload []byte
	err := s.db.QueryRowContext(ctx, `SELECT payload FROM batches WHERE id = ? AND state != 'acknowledged'`, id).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && payload == nil) {
		return nil, fmt.Errorf("batch %s: %w", id, domain.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("batch %s: %w", id, err)
	}
	var b wire.Batch
	if err := json.Unmarshal(payload, &b); err != nil {
		return nil, fmt.Errorf("batch %s: %w", id, err)
	}
	return &b, nil
}

// NoteAttempt records a failed attempt to send a batch and why (a message
// for a person, no personal data).
func (s *Store) NoteAttempt(ctx context.Context, id, failure string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE batches SET attempts = attempts + 1, last_error = ?,
		state = CASE state WHEN 'pending' THEN 'in_flight' ELSE state END, sent_at = coalesce(sent_at, ?)
		WHERE id = ? AND state != 'acknowledged'`, failure, stamp(s.now()), id)
	if err != nil {
		return fmt.Errorf("note attempt: %w", err)
	}
	return nil
}

// SaveReceipt stores the registry's receipt for a batch and each record's
// outcome, code and message, in one transaction, and marks the batch
// acknowledged. Storing a receipt again changes nothing (Already).
// Records the receipt does not mention go back to pending.
func (s *Store) SaveReceipt(ctx context.Context, r *wire.Receipt) (wire.Tally, error) {
	var c wire.Tally
	raw, err := json.Marshal(r)
	if err != nil {
		return c, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT state FROM batches WHERE id = ?`, r.BatchID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("batch %s: %w", r.BatchID, domain.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if state == "acknowledged" {
			c.Already = true
			return nil
		}
		stmts := map[string]*sql.Stmt{}
		defer func() {
			for _, st := range stmts {
				st.Close()
			}
		}()
		for _, o := range r.Outcomes {
			switch o.Result {
			case wire.Accepted:
				c.Accepted++
			case wire.Duplicate:
				c.Duplicate++
			case wire.Conflict:
				c.Conflict++
			case wire.Rejected:
				c.Rejected++
			default:
				return fmt.Errorf("outcome for %s %s: unknown result %q", o.Kind, o.ID, o.Result)
			}
			k, ok := findKind(o.Kind)
			if !ok {
				continue // a kind this device never sends
			}
			st := stmts[o.Kind]
			if st == nil {
				if st, err = tx.PrepareContext(ctx, `UPDATE `+k.table+` SET sync_state = ?, sync_code = ?, sync_message = ?
					WHERE `+k.key+` = ? AND batch_id = ? AND sync_state = 'in_flight'`); err != nil {
					return err
				}
				stmts[o.Kind] = st
			}
			if _, err := st.ExecContext(ctx, o.Result, o.Code, o.Message, o.ID, r.BatchID); err != nil {
				return fmt.Errorf("store outcome: %w", err)
			}
		}
		for _, k := range syncKinds {
			res, err := tx.ExecContext(ctx, `UPDATE `+k.table+` SET sync_state = ?, batch_id = NULL
				WHERE sync_state = 'in_flight' AND batch_id = ?`, k.unsent, r.BatchID)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			c.Missing += int(n)
		}
		now := stamp(s.now())
		if _, err := tx.ExecContext(ctx, `UPDATE batches SET state = 'acknowledged', acked_at = ?, receipt = ?,
			payload = NULL, attempts = attempts + 1, sent_at = coalesce(sent_at, ?), last_error = '' WHERE id = ?`,
			now, raw, now, r.BatchID); err != nil {
			return err
		}
		return s.logEvent(ctx, tx, "sync.receipt", "batch", r.BatchID, fmt.Sprintf("accepted=%d duplicate=%d conflict=%d rejected=%d missing=%d",
			c.Accepted, c.Duplicate, c.Conflict, c.Rejected, c.Missing))
	})
	if err != nil {
		return wire.Tally{}, fmt.Errorf("save receipt: %w", err)
	}
	return c, nil
}

// Receipt returns the stored receipt of an acknowledged batch, or an error
// wrapping domain.ErrNotFound.
func (s *Store) Receipt(ctx context.Context, batchID string) (*wire.Receipt, error) {
	var raw []byte
	err := s.db.QueryRowContext(ctx, `SELECT receipt FROM batches WHERE id = ? AND state = 'acknowledged'`, batchID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("receipt %s: %w", batchID, domain.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", batchID, err)
	}
	var r wire.Receipt
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("receipt %s: %w", batchID, err)
	}
	return &r, nil
}

// ExportBatches puts every pending record into batches (so their IDs are
// fixed) and returns all batches not yet acknowledged, oldest first, for a
// file to carry on a USB stick. The device learns their outcome at its
// next online sync, under the same batch IDs.
func (s *Store) ExportBatches(ctx context.Context) ([]*wire.Batch, error) {
	for {
		b, err := s.NextBatch(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
	}
	ids, err := s.UnackedBatches(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*wire.Batch, 0, len(ids))
	for _, id := range ids {
		b, err := s.Batch(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// MarkExported records that batches were written to a file.
func (s *Store) MarkExported(ctx context.Context, ids []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := stamp(s.now())
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE batches SET exported_at = ? WHERE id = ?`, now, id); err != nil {
				return fmt.Errorf("mark exported: %w", err)
			}
		}
		return s.logEvent(ctx, tx, "sync.export", "batch", "", fmt.Sprintf("batches=%d", len(ids)))
	})
}

// Cursor returns the stored cursor of a pull feed, "" before the first
// pull.
func (s *Store) Cursor(ctx context.Context, feed string) (string, error) {
	var c string
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM sync_cursors WHERE feed = ?`, feed).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("cursor %s: %w", feed, err)
	}
	return c, nil
}

func setCursor(ctx context.Context, tx *sql.Tx, feed, cursor string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_cursors(feed, cursor, updated_at) VALUES (?,?,?)
		ON CONFLICT(feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
		feed, cursor, stamp(now))
	return err
}

// ApplyCatalog applies a page of catalog changes and stores its cursor, in
// one transaction: a pull cut short resumes after the last page applied.
// Activities that break the domain rules are skipped.
func (s *Store) ApplyCatalog(ctx context.Context, p *wire.CatalogPage) (wire.PageResult, error) {
	var rep wire.PageResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, a := range p.Activities {
			if err := domain.ValidateActivity(&a); err != nil {
				rep.Skipped++
				continue
			}
			changed, _, err := s.saveActivity(ctx, tx, a)
			if err != nil {
				return err
			}
			if changed {
				rep.Changed++
			}
		}
		return setCursor(ctx, tx, wire.FeedCatalog, p.Next, s.now())
	})
	if err != nil {
		return wire.PageResult{}, fmt.Errorf("apply catalog page: %w", err)
	}
	return rep, nil
}

// ApplyRoster applies a page of roster changes and stores its cursor, in
// one transaction. The registry's data replaces the local data of a known
// person (a walk-in keeps its walk-in mark and sync state). People that
// break the domain rules are skipped.
func (s *Store) ApplyRoster(ctx context.Context, p *wire.RosterPage) (wire.PageResult, error) {
	var rep wire.PageResult
	now := s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO people(`+personCols+`, name_key, given_key, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,0,?,?,?)
			ON CONFLICT(dni) DO UPDATE SET cuil = excluded.cuil, surname = excluded.surname,
			given_names = excluded.given_names, agency = excluded.agency, email = excluded.email,
			province = excluded.province, sex = CASE excluded.sex WHEN '' THEN sex ELSE excluded.sex END,
			birth = CASE excluded.birth WHEN '' THEN birth ELSE excluded.birth END,
			name_key = excluded.name_key, given_key = excluded.given_key, updated_at = excluded.updated_at
			WHERE cuil IS NOT excluded.cuil OR surname IS NOT excluded.surname OR given_names IS NOT excluded.given_names
			OR agency IS NOT excluded.agency OR email IS NOT excluded.email OR province IS NOT excluded.province
			OR (excluded.sex != '' AND sex IS NOT excluded.sex) OR (excluded.birth != '' AND birth IS NOT excluded.birth)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, person := range p.People {
			if err := domain.ValidatePerson(&person); err != nil {
				rep.Skipped++
				continue
			}
			nk, gk := nameKeys(person)
			res, err := st.ExecContext(ctx, person.DNI, person.CUIL, person.Surname, person.GivenNames, person.Agency,
				person.Email, person.Province, person.Sex, person.Birth, nk, gk, stamp(now))
			if err != nil {
				return fmt.Errorf("save person: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				rep.Changed++
			}
		}
		if err := setCursor(ctx, tx, wire.FeedRoster, p.Next, now); err != nil {
			return err
		}
		if rep.Changed == 0 && rep.Skipped == 0 {
			return nil
		}
		return s.logEvent(ctx, tx, "roster.pull", "people", "", fmt.Sprintf("changed=%d skipped=%d", rep.Changed, rep.Skipped))
	})
	if err != nil {
		return wire.PageResult{}, fmt.Errorf("apply roster page: %w", err)
	}
	return rep, nil
}

// RecordSyncRun notes the end of a sync run: a success when failure is
// empty, else failure (a message for a person) becomes the last error.
func (s *Store) RecordSyncRun(ctx context.Context, failure string) error {
	now := stamp(s.now())
	q := `UPDATE sync_runs SET last_attempt_at = ?, last_success_at = ?, last_error = '' WHERE id = 1`
	args := []any{now, now}
	if failure != "" {
		q = `UPDATE sync_runs SET last_attempt_at = ?, last_error = ? WHERE id = 1`
		args = []any{now, failure}
	}
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("record sync run: %w", err)
	}
	return nil
}

// SyncStatus is what the status bar and "puntos sync status" show.
type SyncStatus struct {
	Enrolled bool   `json:"enrolled"`
	Registry string `json:"registry,omitempty"`
	DeviceID string `json:"device_id,omitempty"`
	// Pending counts records still to be acknowledged by the registry:
	// waiting for a batch or in flight.
	Pending         int       `json:"pending"`
	InFlight        int       `json:"in_flight"` // of Pending, those in a batch already
	InFlightBatches int       `json:"in_flight_batches"`
	Problems        int       `json:"problems"` // rejected or conflicting records
	LastSync        time.Time `json:"last_sync,omitzero"`
	LastAttempt     time.Time `json:"last_attempt,omitzero"`
	LastError       string    `json:"last_error,omitempty"`
}

// SyncStatus returns pending records, in-flight batches, the last
// successful sync and the last error.
func (s *Store) SyncStatus(ctx context.Context) (SyncStatus, error) {
	var st SyncStatus
	e, err := s.Enrollment(ctx)
	switch {
	case err == nil:
		st.Enrolled, st.Registry, st.DeviceID = true, e.Registry, e.DeviceID
	case !errors.Is(err, wire.ErrNotEnrolled):
		return st, err
	}
	var q strings.Builder
	q.WriteString(`SELECT 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (` + k.waiting + `)`)
	}
	q.WriteString(`, 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (SELECT count(*) FROM ` + k.table + ` WHERE sync_state = 'in_flight')`)
	}
	q.WriteString(`, 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (SELECT count(*) FROM ` + k.table + ` WHERE sync_state IN ('rejected','conflict'))`)
	}
	q.WriteString(`, (SELECT count(*) FROM batches WHERE state != 'acknowledged'),
		coalesce(r.last_success_at, ''), coalesce(r.last_attempt_at, ''), r.last_error FROM sync_runs r WHERE r.id = 1`)
	var last, attempt string
	if err := s.db.QueryRowContext(ctx, q.String()).Scan(&st.Pending, &st.InFlight, &st.Problems, &st.InFlightBatches,
		&last, &attempt, &st.LastError); err != nil {
		return st, fmt.Errorf("sync status: %w", err)
	}
	st.LastSync, st.LastAttempt = parseStamp(last), parseStamp(attempt)
	return st, nil
}

// Waiting counts records not yet acknowledged by the registry: pending
// or in flight.
func (s *Store) Waiting(ctx context.Context) (int, error) {
	var q strings.Builder
	q.WriteString(`SELECT 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (` + k.waiting + `)`)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, q.String()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count waiting records: %w", err)
	}
	return n, nil
}

// SyncStates counts records by kind and sync state (for people, walk-ins
// only), for "puntos sync status" and checks.
func (s *Store) SyncStates(ctx context.Context) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for _, k := range syncKinds {
		where := ""
		if k.kind == wire.KindPerson {
			where = ` WHERE walk_in = 1`
		}
		rows, err := s.db.QueryContext(ctx, `SELECT sync_state, count(*) FROM `+k.table+where+` GROUP BY sync_state`)
		if err != nil {
			return nil, fmt.Errorf("sync states: %w", err)
		}
		m := map[string]int{}
		for rows.Next() {
			var state string
			var n int
			if err := rows.Scan(&state, &n); err != nil {
				rows.Close()
				return nil, err
			}
			m[state] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[k.kind] = m
	}
	return out, nil
}

// SyncProblem is a record the registry rejected or found in conflict,
// with its message, for the person to act on.
type SyncProblem struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Result  string `json:"result"` // wire.Rejected or wire.Conflict
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	BatchID string `json:"batch_id,omitempty"`
	// Label names the record for a person: the session, or the person and
	// the session.
	Label     string `json:"label"`
	SessionID string `json:"session_id,omitempty"`
	DNI       string `json:"dni,omitempty"`
}

// SyncProblems lists the records the registry rejected or found in
// conflict, sessions first, each kind in ID order.
func (s *Store) SyncProblems(ctx context.Context) ([]SyncProblem, error) {
	// Sessions first: a rejected session explains its attendances.
	rank := func(k syncKind) int {
		switch k.kind {
		case wire.KindSession:
			return 0
		case wire.KindPerson:
			return 1
		case wire.KindAttendance:
			return 2
		}
		return 3
	}
	kinds := slices.Clone(syncKinds)
	slices.SortStableFunc(kinds, func(a, b syncKind) int { return rank(a) - rank(b) })
	out := []SyncProblem{}
	for _, k := range kinds {
		rows, err := s.db.QueryContext(ctx, k.problems+` ORDER BY 1`)
		if err != nil {
			return nil, fmt.Errorf("sync problems: %w", err)
		}
		for rows.Next() {
			p := SyncProblem{Kind: k.kind}
			if err := rows.Scan(&p.ID, &p.Result, &p.Code, &p.Message, &p.BatchID, &p.Label, &p.SessionID, &p.DNI); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
