package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Ingest stores a batch and its receipt in one transaction; see
// server.Store. Records are taken in the batch's order of kinds
// (people, sessions, attendances, certificates) so that each may refer to
// the ones before it.
func (s *Store) Ingest(ctx context.Context, in wire.IngestRequest) ([]byte, error) {
	if in.Batch == nil {
		return nil, errors.New("ingest: no batch")
	}
	// A batch is short work: once started it finishes even if the client
	// goes away (its retry then gets the stored receipt). This also spares
	// the driver a watcher goroutine per statement.
	ctx = context.WithoutCancel(ctx)
	// Fast path for a replay, without taking the write lock.
	if r, err := s.Receipt(ctx, in.Batch.ID); err == nil {
		return r, nil
	}
	var receipt []byte
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT receipt FROM batches WHERE id = ?`, in.Batch.ID).Scan(&receipt)
		if !errors.Is(err, sql.ErrNoRows) {
			return err // nil: a replay that raced the fast path
		}
		ig, err := newIngest(ctx, tx, in)
		if err != nil {
			return err
		}
		defer ig.close()
		receipt, err = ig.run()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ingest batch: %w", err)
	}
	return receipt, nil
}

// Receipt returns the stored receipt of a batch.
func (s *Store) Receipt(ctx context.Context, batchID string) ([]byte, error) {
	var r []byte
	err := s.db.QueryRowContext(ctx, `SELECT receipt FROM batches WHERE id = ?`, batchID).Scan(&r)
	return r, noRows(err, "batch")
}

// sessionRef is what an attendance needs of its session.
type sessionRef struct {
	activity string
	year     int
}

type creditKey struct {
	dni, activity string
	year          int
}

// review is a record kept for central staff.
type review struct {
	o       wire.Outcome
	content []byte
}

// ingest is one batch being stored inside a transaction.
type ingest struct {
	ctx      context.Context
	tx       *sql.Tx
	in       wire.IngestRequest
	received string // stamp of in.ReceivedAt

	stmts []*sql.Stmt
	personGet, personIns, sessionGet, sessionIns, attIns, attGet,
	certIns, certGet, attExists, creditExists, creditIns, attended, personExists, sessionRef *sql.Stmt

	peopleSeq  int64 // next people change sequence, 0 until needed
	activities map[string]*domain.Activity
	people     map[string]bool
	sessions   map[string]sessionRef
	rejected   map[string]bool // sessions rejected in this batch
	credited   map[creditKey]bool

	outcomes []wire.Outcome
	reviews  []review
	flags    map[string]bool
}

func newIngest(ctx context.Context, tx *sql.Tx, in wire.IngestRequest) (*ingest, error) {
	ig := &ingest{ctx: ctx, tx: tx, in: in, received: sqlitex.Stamp(in.ReceivedAt),
		activities: map[string]*domain.Activity{}, people: map[string]bool{}, sessions: map[string]sessionRef{},
		rejected: map[string]bool{}, credited: map[creditKey]bool{}, flags: map[string]bool{},
		outcomes: make([]wire.Outcome, 0, in.Batch.Records())}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&ig.personGet, `SELECT ` + personCols + ` FROM people WHERE dni = ?`},
		{&ig.personIns, `INSERT INTO people(dni, cuil, surname, given_names, agency, email, province, province_id, sex, birth,
			walk_in, seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)`},
		{&ig.sessionGet, `SELECT activity_code, date, start_time, end_time, province, municipality, venue, instructor,
			modality, closed_at FROM sessions WHERE id = ?`},
		{&ig.sessionIns, `INSERT INTO sessions(id, activity_code, date, year, start_time, end_time, province, municipality,
			venue, instructor, modality, closed_at, flags, device_id, batch_id, received_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.attIns, `INSERT INTO attendances(id, session_id, dni, status, method, at, device_id, batch_id)
			VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.attGet, `SELECT session_id, dni, status, method, at FROM attendances WHERE id = ?`},
		{&ig.certIns, `INSERT INTO certificates(code, attendance_id, kind, issued_at, device_id, batch_id, received_at)
			VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.certGet, `SELECT attendance_id, kind FROM certificates WHERE code = ?`},
		{&ig.attExists, `SELECT EXISTS (SELECT 1 FROM attendances WHERE id = ?)`},
		{&ig.personExists, `SELECT EXISTS (SELECT 1 FROM people WHERE dni = ?)`},
		{&ig.sessionRef, `SELECT activity_code, year FROM sessions WHERE id = ?`},
		{&ig.creditExists, `SELECT EXISTS (SELECT 1 FROM ledger WHERE dni = ? AND activity_code = ? AND year = ? AND kind = 'credit')`},
		{&ig.creditIns, `INSERT INTO ledger(dni, activity_code, session_id, year, points, kind, rule_version, batch_id, device_id, created_at)
			VALUES (?,?,?,?,?,'credit',?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.attended, `SELECT a.status FROM attendances a JOIN sessions s ON s.id = a.session_id
			WHERE a.dni = ? AND s.activity_code = ? AND s.year = ?`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			ig.close()
			return nil, err
		}
		*p.st = st
		ig.stmts = append(ig.stmts, st)
	}
	return ig, nil
}

func (ig *ingest) close() {
	for _, st := range ig.stmts {
		st.Close()
	}
}

func (ig *ingest) run() ([]byte, error) {
	b := ig.in.Batch
	if ig.in.Source == wire.SourceHTTP && wire.ClockSkewed(b.DeviceClock, ig.in.ReceivedAt) {
		ig.flags[wire.FlagClockSkew] = true
	}
	for _, r := range b.People {
		if err := ig.person(r); err != nil {
			return nil, fmt.Errorf("person: %w", err)
		}
	}
	for _, r := range b.Sessions {
		if err := ig.session(r); err != nil {
			return nil, fmt.Errorf("session %s: %w", r.ID, err)
		}
	}
	for _, r := range b.Attendances {
		if err := ig.attendance(r); err != nil {
			return nil, fmt.Errorf("attendance %s: %w", r.ID, err)
		}
	}
	for _, r := range b.Certificates {
		if err := ig.certificate(r); err != nil {
			return nil, fmt.Errorf("certificate: %w", err)
		}
	}
	return ig.finish()
}

// accept, duplicate, reject and conflict record an outcome.
func (ig *ingest) accept(kind, id string) {
	ig.outcomes = append(ig.outcomes, wire.Outcome{Kind: kind, ID: id, Result: wire.Accepted})
}

func (ig *ingest) duplicate(kind, id string) {
	ig.outcomes = append(ig.outcomes, wire.Outcome{Kind: kind, ID: id, Result: wire.Duplicate})
}

func (ig *ingest) reject(kind, id string, record any, err error) {
	o := wire.RejectedOutcome(kind, id, err)
	ig.outcomes = append(ig.outcomes, o)
	ig.keep(o, record)
}

func (ig *ingest) conflict(kind, id, code string, record any) {
	o := wire.ConflictOutcome(kind, id, code)
	ig.outcomes = append(ig.outcomes, o)
	ig.keep(o, record)
}

func (ig *ingest) keep(o wire.Outcome, record any) {
	content, _ := json.Marshal(record) // wire records always marshal
	ig.reviews = append(ig.reviews, review{o, content})
}

func (ig *ingest) person(r wire.PersonRecord) error {
	p, err := wire.CheckPerson(r)
	if err != nil {
		ig.reject(wire.KindPerson, r.DNI, r, err)
		return nil
	}
	old, err := scanPerson(ig.personGet.QueryRowContext(ig.ctx, p.DNI))
	switch {
	case err == nil:
		ig.people[p.DNI] = true
		if samePerson(old, p) {
			ig.duplicate(wire.KindPerson, r.DNI)
		} else {
			ig.conflict(wire.KindPerson, r.DNI, wire.ConflictContent, r)
		}
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if ig.peopleSeq == 0 {
		if ig.peopleSeq, err = nextSeq(ig.ctx, ig.tx, "people"); err != nil {
			return err
		}
	}
	_, provID := provinceOf(p.Province)
	if _, err := ig.personIns.ExecContext(ig.ctx, p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province,
		provID, p.Sex, p.Birth, ig.peopleSeq, ig.received); err != nil {
		return err
	}
	ig.peopleSeq++
	ig.people[p.DNI] = true
	ig.accept(wire.KindPerson, r.DNI)
	return nil
}

// samePerson reports whether a walk-in names the stored person: same
// names up to case and accents, and the same CUIL when both have one.
func samePerson(old, p domain.Person) bool {
	return domain.Fold(old.Surname) == domain.Fold(p.Surname) && domain.Fold(old.GivenNames) == domain.Fold(p.GivenNames) &&
		(old.CUIL == "" || p.CUIL == "" || old.CUIL == p.CUIL)
}

func (ig *ingest) activity(code string) (*domain.Activity, error) {
	if a, ok := ig.activities[code]; ok {
		return a, nil
	}
	a, err := sqlitex.ScanActivity(ig.tx.QueryRowContext(ig.ctx, `SELECT `+sqlitex.ActivityColumns+` FROM activities WHERE code = ?`, code))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		ig.activities[code] = nil
		return nil, nil
	case err != nil:
		return nil, err
	}
	ig.activities[code] = &a
	return &a, nil
}

func (ig *ingest) session(r wire.SessionRecord) error {
	n, flags, err := wire.CheckSession(r, ig.in.ReceivedAt)
	if err == nil {
		var a *domain.Activity
		if a, err = ig.activity(n.ActivityCode); err != nil {
			return err
		} else if a == nil {
			err = wire.Reject(wire.RejectActivityUnknown, n.ActivityCode)
		}
	}
	if err != nil {
		if wire.ValidRecordID(r.ID) {
			ig.rejected[r.ID] = true
		}
		ig.reject(wire.KindSession, r.ID, r, err)
		return nil
	}
	year, _ := strconv.Atoi(n.Date[:4])
	res, err := ig.sessionIns.ExecContext(ig.ctx, n.ID, n.ActivityCode, n.Date, year, n.Start, n.End, n.Province,
		n.Municipality, n.Venue, n.Instructor, n.Modality, sqlitex.Stamp(n.ClosedAt), strings.Join(flags, ","),
		ig.in.Device.ID, ig.in.Batch.ID, ig.received)
	if err != nil {
		return err
	}
	if added, _ := res.RowsAffected(); added == 0 {
		var old wire.SessionRecord
		var closed string
		if err := ig.sessionGet.QueryRowContext(ig.ctx, n.ID).Scan(&old.ActivityCode, &old.Date, &old.Start, &old.End,
			&old.Province, &old.Municipality, &old.Venue, &old.Instructor, &old.Modality, &closed); err != nil {
			return err
		}
		old.ID, old.ClosedAt = n.ID, sqlitex.ParseStamp(closed)
		old.Platform = n.Platform // the registry keeps no platform: it cannot tell versions apart by it
		if old.ClosedAt.Equal(n.ClosedAt) {
			old.ClosedAt = n.ClosedAt
		}
		if old == n {
			ig.duplicate(wire.KindSession, r.ID)
		} else {
			ig.conflict(wire.KindSession, r.ID, wire.ConflictContent, r)
		}
		return nil
	}
	ig.sessions[n.ID] = sessionRef{n.ActivityCode, year}
	for _, f := range flags {
		ig.flags[f] = true
	}
	ig.accept(wire.KindSession, r.ID)
	return nil
}

// sessionOf returns a stored session's activity and year; ok is false
// when the registry does not have it.
func (ig *ingest) sessionOf(id string) (sessionRef, bool, error) {
	if s, ok := ig.sessions[id]; ok {
		return s, true, nil
	}
	var s sessionRef
	err := ig.sessionRef.QueryRowContext(ig.ctx, id).Scan(&s.activity, &s.year)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, false, nil
	case err != nil:
		return s, false, err
	}
	ig.sessions[id] = s
	return s, true, nil
}

func (ig *ingest) knownPerson(dni string) (bool, error) {
	if ig.people[dni] {
		return true, nil
	}
	var known bool
	err := ig.personExists.QueryRowContext(ig.ctx, dni).Scan(&known)
	return known, err
}

func (ig *ingest) attendance(r wire.AttendanceRecord) error {
	n, err := wire.CheckAttendance(r)
	if err != nil {
		ig.reject(wire.KindAttendance, r.ID, r, err)
		return nil
	}
	sess, ok, err := ig.sessionOf(n.SessionID)
	if err != nil {
		return err
	}
	if !ok {
		code := wire.RejectSessionUnknown
		if ig.rejected[n.SessionID] {
			code = wire.RejectSessionRejected
		}
		ig.reject(wire.KindAttendance, r.ID, r, wire.Reject(code))
		return nil
	}
	if known, err := ig.knownPerson(n.DNI); err != nil {
		return err
	} else if !known {
		ig.reject(wire.KindAttendance, r.ID, r, wire.Reject(wire.RejectPersonUnknown))
		return nil
	}
	at := sqlitex.Stamp(n.At)
	res, err := ig.attIns.ExecContext(ig.ctx, n.ID, n.SessionID, n.DNI, n.Status, n.Method, at, ig.in.Device.ID, ig.in.Batch.ID)
	if err != nil {
		return err
	}
	if added, _ := res.RowsAffected(); added == 0 {
		var sid, dni, status, method, oldAt string
		err := ig.attGet.QueryRowContext(ig.ctx, n.ID).Scan(&sid, &dni, &status, &method, &oldAt)
		switch {
		case errors.Is(err, sql.ErrNoRows): // another ID holds this person at this session
			ig.conflict(wire.KindAttendance, r.ID, wire.ConflictPersonMarked, r)
		case err != nil:
			return err
		case sid == n.SessionID && dni == n.DNI && status == n.Status && method == n.Method && oldAt == at:
			ig.duplicate(wire.KindAttendance, r.ID)
		default:
			ig.conflict(wire.KindAttendance, r.ID, wire.ConflictContent, r)
		}
		return nil
	}
	ig.accept(wire.KindAttendance, r.ID)
	if domain.Status(n.Status).Attended() {
		return ig.credit(n, sess)
	}
	return nil
}

// credit applies the points rules after an attendance was accepted: a
// single-session activity is credited now; a multi-session course when the
// person's attended sessions of it in the year reach its threshold. One
// credit per person, activity and year, whichever device reports first.
func (ig *ingest) credit(a wire.AttendanceRecord, s sessionRef) error {
	key := creditKey{a.DNI, s.activity, s.year}
	if ig.credited[key] {
		return nil
	}
	act, err := ig.activity(s.activity)
	if err != nil || act == nil {
		return err // an accepted session's activity exists
	}
	statuses := []domain.Status{domain.Status(a.Status)}
	if act.Sessions > 1 {
		var done bool
		if err := ig.creditExists.QueryRowContext(ig.ctx, a.DNI, s.activity, s.year).Scan(&done); err != nil {
			return err
		}
		if done {
			ig.credited[key] = true
			return nil
		}
		if statuses, err = ig.statuses(key); err != nil {
			return err
		}
	}
	o := domain.Award(*act, s.year, statuses, false)
	if !o.Eligible {
		return nil
	}
	if _, err := ig.creditIns.ExecContext(ig.ctx, a.DNI, s.activity, a.SessionID, s.year, o.Points, o.Rule,
		ig.in.Batch.ID, ig.in.Device.ID, ig.received); err != nil {
		return err
	}
	ig.credited[key] = true
	return nil
}

// statuses returns the person's attendance statuses at the sessions of an
// activity in a year.
func (ig *ingest) statuses(k creditKey) ([]domain.Status, error) {
	rows, err := ig.attended.QueryContext(ig.ctx, k.dni, k.activity, k.year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Status
	for rows.Next() {
		var st string
		if err := rows.Scan(&st); err != nil {
			return nil, err
		}
		out = append(out, domain.Status(st))
	}
	return out, rows.Err()
}

func (ig *ingest) certificate(r wire.CertificateRecord) error {
	n, err := wire.CheckCertificate(r)
	if err != nil {
		ig.reject(wire.KindCertificate, r.Code, r, err)
		return nil
	}
	var known bool
	if err := ig.attExists.QueryRowContext(ig.ctx, n.AttendanceID).Scan(&known); err != nil {
		return err
	}
	if !known {
		ig.reject(wire.KindCertificate, r.Code, r, wire.Reject(wire.RejectAttendanceUnknown))
		return nil
	}
	res, err := ig.certIns.ExecContext(ig.ctx, n.Code, n.AttendanceID, n.Kind, sqlitex.Stamp(n.IssuedAt),
		ig.in.Device.ID, ig.in.Batch.ID, ig.received)
	if err != nil {
		return err
	}
	if added, _ := res.RowsAffected(); added == 0 {
		var att, kind string
		if err := ig.certGet.QueryRowContext(ig.ctx, n.Code).Scan(&att, &kind); err != nil {
			return err
		}
		if att == n.AttendanceID && kind == n.Kind {
			ig.duplicate(wire.KindCertificate, r.Code)
		} else {
			ig.conflict(wire.KindCertificate, r.Code, wire.ConflictContent, r)
		}
		return nil
	}
	ig.accept(wire.KindCertificate, r.Code)
	return nil
}

// finish stores the batch, its outcomes, the review records and the
// receipt, and returns the receipt.
func (ig *ingest) finish() ([]byte, error) {
	ctx, tx, b := ig.ctx, ig.tx, ig.in.Batch
	flags := make([]string, 0, len(ig.flags))
	for f := range ig.flags {
		flags = append(flags, f)
	}
	slices.Sort(flags)
	receipt, err := json.Marshal(wire.Receipt{Protocol: wire.Protocol, BatchID: b.ID, ReceivedAt: ig.in.ReceivedAt.UTC(),
		Outcomes: ig.outcomes, Flags: flags})
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches(id, device_id, source, received_at, device_clock, records, flags, receipt)
		VALUES (?,?,?,?,?,?,?,?)`, b.ID, ig.in.Device.ID, ig.in.Source, ig.received, sqlitex.Stamp(b.DeviceClock), b.Records(),
		strings.Join(flags, ","), receipt); err != nil {
		return nil, fmt.Errorf("store batch: %w", err)
	}
	outIns, err := tx.PrepareContext(ctx, `INSERT INTO outcomes(batch_id, n, kind, record_id, result, code) VALUES (?,?,?,?,?,?)`)
	if err != nil {
		return nil, err
	}
	defer outIns.Close()
	counts := map[[2]string]int{}
	for i, o := range ig.outcomes {
		if _, err := outIns.ExecContext(ctx, b.ID, i, o.Kind, o.ID, o.Result, o.Code); err != nil {
			return nil, fmt.Errorf("store outcome: %w", err)
		}
		counts[[2]string{o.Kind, o.Result}]++
	}
	for k, n := range counts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outcome_counts(batch_id, kind, result, n) VALUES (?,?,?,?)`,
			b.ID, k[0], k[1], n); err != nil {
			return nil, err
		}
	}
	for _, r := range ig.reviews {
		if _, err := tx.ExecContext(ctx, `INSERT INTO review(kind, record_id, result, code, message, content, batch_id,
			device_id, received_at) VALUES (?,?,?,?,?,?,?,?,?)`, r.o.Kind, r.o.ID, r.o.Result, r.o.Code, r.o.Message,
			string(r.content), b.ID, ig.in.Device.ID, ig.received); err != nil {
			return nil, fmt.Errorf("store review: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE devices SET last_batch_at = ? WHERE id = ?`, ig.received, ig.in.Device.ID); err != nil {
		return nil, err
	}
	return receipt, nil
}
