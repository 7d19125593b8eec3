package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// batchBuilder collects records for one batch within the limits of
// wire.MaxBatchRecords and wire.MaxBatchBytes.
type batchBuilder struct {
	batch   wire.Batch
	size    int
	members []batchMember
	seen    map[batchMember]bool
	// today is the device's date (YYYY-MM-DD), for the kinds whose
	// records become ready with time.
	today string
}

type batchMember struct{ kind, key string }

// builderMark is a builder's state to roll back to.
type builderMark struct{ people, sessions, attendances, certificates, surveys, members, size int }

func newBatchBuilder() *batchBuilder {
	return &batchBuilder{size: batchSlack, seen: map[batchMember]bool{}}
}

// errBatchFull says a record did not fit in the batch.
var errBatchFull = errors.New("batch full")

// add appends a record (a wire.PersonRecord, SessionRecord,
// AttendanceRecord, CertificateRecord or SurveyRecord) under its kind and key. It
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
	case wire.SurveyRecord:
		bb.batch.Surveys = append(bb.batch.Surveys, r)
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
	return builderMark{len(b.People), len(b.Sessions), len(b.Attendances), len(b.Certificates), len(b.Surveys), len(bb.members), bb.size}
}

func (bb *batchBuilder) rollback(m builderMark) {
	b := &bb.batch
	b.People, b.Sessions = b.People[:m.people], b.Sessions[:m.sessions]
	b.Attendances, b.Certificates = b.Attendances[:m.attendances], b.Certificates[:m.certificates]
	b.Surveys = b.Surveys[:m.surveys]
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
		bb.today = domain.Today(s.now())
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
			b.ID, sqlitex.Stamp(b.DeviceClock), payload, bb.len()); err != nil {
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
	out, err := sqlitex.Collect(ctx, tx, nil, func(sc sqlitex.Scanner) (wire.SessionRecord, error) {
		var r wire.SessionRecord
		var closed string
		err := sc.Scan(&r.ID, &r.ActivityCode, &r.Date, &r.Start, &r.End, &r.Province, &r.Municipality,
			&r.Venue, &r.Instructor, &r.Modality, &closed, &r.Platform)
		r.ClosedAt = sqlitex.ParseStamp(closed)
		return r, err
	}, `SELECT id, activity_code, date, start_time, end_time, province, municipality,
		venue, instructor, modality, coalesce(closed_at, ''), platform FROM sessions
		WHERE sync_state = 'pending' AND state = 'closed' ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending sessions: %w", err)
	}
	return out, nil
}

func pendingAttendances(ctx context.Context, tx *sql.Tx, limit int) ([]wire.AttendanceRecord, error) {
	out, err := sqlitex.Collect(ctx, tx, nil, func(sc sqlitex.Scanner) (wire.AttendanceRecord, error) {
		var r wire.AttendanceRecord
		var at string
		var minutes sql.NullInt64
		err := sc.Scan(&r.ID, &r.SessionID, &r.DNI, &r.Status, &r.Method, &at, &minutes)
		r.At = sqlitex.ParseStamp(at)
		if minutes.Valid {
			m := int(minutes.Int64)
			r.Minutes = &m
		}
		return r, err
	}, `SELECT id, session_id, dni, status, method, at, minutes FROM attendances
		WHERE sync_state = 'pending' ORDER BY session_id, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending attendances: %w", err)
	}
	return out, nil
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
	ids, err := sqlitex.Collect(ctx, s.db, nil, sqlitex.ScanString, `SELECT id FROM batches WHERE state != 'acknowledged' ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("unacknowledged batches: %w", err)
	}
	return ids, nil
}

// Batch returns an unacknowledged batch as it was built, or an error
// wrapping domain.ErrNotFound (also once its receipt is stored).
func (s *Store) Batch(ctx context.Context, id string) (*wire.Batch, error) {
	return storedJSON[wire.Batch](ctx, s.db, "batch", id, `SELECT payload FROM batches WHERE id = ? AND state != 'acknowledged'`)
}

// storedJSON reads the JSON column the query selects for the batch id
// and decodes it; it returns an error wrapping domain.ErrNotFound when
// there is none. what names it in errors.
func storedJSON[T any](ctx context.Context, db *sql.DB, what, id, query string) (*T, error) {
	var raw []byte
	err := db.QueryRowContext(ctx, query, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && raw == nil) {
		return nil, fmt.Errorf("%s %s: %w", what, id, domain.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, id, err)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, id, err)
	}
	return &v, nil
}

// RenewBatch gives the records of an unacknowledged batch a new batch ID,
// for a registry that holds another batch under its ID (409
// wire.CodeBatchConflict: a data folder copied to a second device, or
// another device that took the ID). In one transaction it stores the
// same records under a new ID, in the old batch's place in the queue,
// moves the batch's records to it and drops the old ID, so the new ID is
// written before it is first sent and no record is lost. It returns the
// batch as it is to be sent, or an error wrapping domain.ErrNotFound
// when id is not an unacknowledged batch.
func (s *Store) RenewBatch(ctx context.Context, id string) (*wire.Batch, error) {
	var out *wire.Batch
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var raw []byte
		var created string
		err := tx.QueryRowContext(ctx, `SELECT payload, created_at FROM batches WHERE id = ? AND state != 'acknowledged'`, id).
			Scan(&raw, &created)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && raw == nil) {
			return fmt.Errorf("batch %s: %w", id, domain.ErrNotFound)
		}
		if err != nil {
			return err
		}
		var b wire.Batch
		if err := json.Unmarshal(raw, &b); err != nil {
			return fmt.Errorf("batch %s: %w", id, err)
		}
		b.ID = domain.NewID()
		payload, err := json.Marshal(&b)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO batches(id, created_at, state, payload, records) VALUES (?,?,'pending',?,?)`,
			b.ID, created, payload, b.Records()); err != nil {
			return err
		}
		for _, k := range syncKinds {
			if _, err := tx.ExecContext(ctx, `UPDATE `+k.table+` SET batch_id = ? WHERE batch_id = ?`, b.ID, id); err != nil {
				return fmt.Errorf("move %s records: %w", k.kind, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM batches WHERE id = ?`, id); err != nil {
			return err
		}
		out = &b
		return s.logEvent(ctx, tx, "sync.rebatch", "batch", b.ID, "from="+id)
	})
	if err != nil {
		return nil, fmt.Errorf("renew batch: %w", err)
	}
	return out, nil
}

// NoteAttempt records a failed attempt to send a batch and why (a message
// for a person, no personal data).
func (s *Store) NoteAttempt(ctx context.Context, id, failure string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE batches SET attempts = attempts + 1, last_error = ?,
		state = CASE state WHEN 'pending' THEN 'in_flight' ELSE state END, sent_at = coalesce(sent_at, ?)
		WHERE id = ? AND state != 'acknowledged'`, failure, sqlitex.Stamp(s.now()), id)
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
		now := sqlitex.Stamp(s.now())
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
	return storedJSON[wire.Receipt](ctx, s.db, "receipt", batchID, `SELECT receipt FROM batches WHERE id = ? AND state = 'acknowledged'`)
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
		now := sqlitex.Stamp(s.now())
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE batches SET exported_at = ? WHERE id = ?`, now, id); err != nil {
				return fmt.Errorf("mark exported: %w", err)
			}
		}
		return s.logEvent(ctx, tx, "sync.export", "batch", "", fmt.Sprintf("batches=%d", len(ids)))
	})
}

// gatherCertificates adds pending certificates whose attendance is at the
// registry (accepted before) or in this batch.
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
		p.rec.IssuedAt = sqlitex.ParseStamp(issued)
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
