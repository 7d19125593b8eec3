package registry

import (
	"bytes"
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
// the ones before it. A batch ID already stored answers the stored
// receipt when the batch is the same (wire.Batch.Digest) and a
// wire.CodeBatchConflict error, changing nothing, when it is not.
func (s *Store) Ingest(ctx context.Context, in wire.IngestRequest) ([]byte, error) {
	if in.Batch == nil {
		return nil, errors.New("ingest: no batch")
	}
	// A batch is short work: once started it finishes even if the client
	// goes away (its retry then gets the stored receipt). This also spares
	// the driver a watcher goroutine per statement.
	ctx = context.WithoutCancel(ctx)
	digest := in.Batch.Digest()
	// Fast path for a replay, without taking the write lock.
	if r, err := replay(ctx, s.db, in.Batch, digest); !errors.Is(err, domain.ErrNotFound) {
		return r, err
	}
	var receipt []byte
	err := s.retryTx(ctx, func(tx *sql.Tx) error {
		// Two instances may receive the same batch at once: the second
		// waits here for the first and then answers its receipt.
		if err := s.lock(ctx, tx, "batch", in.Batch.ID); err != nil {
			return err
		}
		var err error
		receipt, err = replay(ctx, tx, in.Batch, digest)
		if !errors.Is(err, domain.ErrNotFound) {
			return err // nil: a replay that raced the fast path
		}
		ig, err := newIngest(ctx, s, tx, in)
		if err != nil {
			return err
		}
		defer ig.close()
		ig.digest = digest
		receipt, err = ig.run()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ingest batch: %w", err)
	}
	return receipt, nil
}

// replay returns the stored receipt of batch b, whose digest is digest,
// an error wrapping domain.ErrNotFound when it was never stored, or a
// wire.CodeBatchConflict error when the stored batch had other records or
// record content.
func replay(ctx context.Context, q queryer, b *wire.Batch, digest []byte) ([]byte, error) {
	var receipt, stored []byte
	err := q.QueryRowContext(ctx, `SELECT receipt, digest FROM batches WHERE id = ?`, b.ID).Scan(&receipt, &stored)
	if err != nil {
		return nil, noRows(err, "batch")
	}
	same := bytes.Equal(stored, digest)
	if stored == nil { // stored before digests were kept
		if same, err = sameRecordIDs(ctx, q, b); err != nil {
			return nil, err
		}
	}
	if !same {
		return nil, &domain.Error{Code: wire.CodeBatchConflict, Text: "El registro ya recibió otro lote con este mismo ID y otros registros: " +
			"el equipo vuelve a enviar los suyos con un ID nuevo, sin perder nada. Si pasa seguido, avisale al equipo central."}
	}
	return receipt, nil
}

// sameRecordIDs reports whether the outcomes stored for batch b name the
// kinds and IDs of b's records, in order: all a batch stored without a
// digest can be compared by.
func sameRecordIDs(ctx context.Context, q queryer, b *wire.Batch) (bool, error) {
	var want []string
	for _, r := range b.People {
		want = append(want, wire.KindPerson+" "+r.DNI)
	}
	for _, r := range b.Sessions {
		want = append(want, wire.KindSession+" "+r.ID)
	}
	for _, r := range b.Attendances {
		want = append(want, wire.KindAttendance+" "+r.ID)
	}
	for _, r := range b.Certificates {
		want = append(want, wire.KindCertificate+" "+r.Code)
	}
	for _, r := range b.Surveys {
		want = append(want, wire.KindSurvey+" "+r.SessionID)
	}
	got, err := queryStrings(ctx, q, `SELECT kind || ' ' || record_id FROM outcomes WHERE batch_id = ? ORDER BY n`, b.ID)
	if err != nil {
		return false, err
	}
	return slices.Equal(got, want), nil
}

// Receipt returns the stored receipt of a batch the device deviceID sent;
// see server.Store.
func (s *Store) Receipt(ctx context.Context, deviceID, batchID string) ([]byte, error) {
	var r []byte
	err := s.db.QueryRowContext(ctx, `SELECT receipt FROM batches WHERE id = ? AND device_id = ?`, batchID, deviceID).Scan(&r)
	return r, noRows(err, "batch")
}

// sessionRef is what an attendance needs of its session: its activity
// and year, and the office of the device that reported it.
type sessionRef struct {
	activity string
	year     int
	owner    office
}

// office is where a device was enrolled: the office name and the INDEC
// code of its province. Devices of one office may add to each other's
// sessions (two laptops at one big event).
type office struct {
	device, name, provinceID string
}

// officeOf returns the office of an enrolled device.
func officeOf(d wire.EnrolledDevice) office { return office{d.ID, d.Office, d.ProvinceID} }

// mayWrite reports whether the device of office o may add to or change a
// session whose owner is owner: the same device, or one of the same
// office (name up to case and accents, and province).
func (o office) mayWrite(owner office) bool {
	return o.device == owner.device ||
		o.provinceID == owner.provinceID && domain.Fold(o.name) == domain.Fold(owner.name)
}

type creditKey struct {
	dni, activity string
	year          int
}

// creditRow is a ledger credit awarded in the batch.
type creditRow struct {
	creditKey
	session, rule string
	points        int
}

// review is a record kept for central staff.
type review struct {
	o       wire.Outcome
	content []byte
}

// ingest is one batch being stored inside a transaction.
type ingest struct {
	ctx      context.Context
	st       *Store
	tx       *sql.Tx
	in       wire.IngestRequest
	received string // stamp of in.ReceivedAt
	digest   []byte // in.Batch.Digest()
	from     office // the sending device's

	stmts []*sql.Stmt // prepared on SQLite, to close
	personGet, personIns, sessionGet, sessionIns, attIns, attGet,
	certIns, certGet, attSession, creditExists, creditIns, attended, personExists, sessionRef stmt

	peopleSeq  int64 // next people change sequence, 0 until needed
	activities map[string]*domain.Activity
	people     map[string]bool
	sessions   map[string]sessionRef
	rejected   map[string]bool // sessions rejected in this batch
	credited   map[creditKey]bool
	credits    []creditRow                   // credits to write at the end (see saveCredits)
	stored     map[creditKey][]domain.Status // statuses of the attendances stored so far

	outcomes []wire.Outcome
	reviews  []review
	flags    map[string]bool
}

func newIngest(ctx context.Context, s *Store, tx *sql.Tx, in wire.IngestRequest) (*ingest, error) {
	ig := &ingest{ctx: ctx, st: s, tx: tx, in: in, received: sqlitex.Stamp(in.ReceivedAt), from: officeOf(in.Device),
		activities: map[string]*domain.Activity{}, people: map[string]bool{}, sessions: map[string]sessionRef{},
		rejected: map[string]bool{}, credited: map[creditKey]bool{}, stored: map[creditKey][]domain.Status{}, flags: map[string]bool{},
		outcomes: make([]wire.Outcome, 0, in.Batch.Records())}
	for _, p := range []struct {
		st  *stmt
		sql string
	}{
		{&ig.personGet, `SELECT ` + personCols + ` FROM people WHERE dni = ?`},
		{&ig.personIns, `INSERT INTO people(dni, cuil, surname, given_names, agency, email, province, province_id, sex, birth,
			walk_in, seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)`},
		{&ig.sessionGet, `SELECT activity_code, date, start_time, end_time, province, municipality, venue, instructor,
			modality, platform, closed_at FROM sessions WHERE id = ?`},
		{&ig.sessionIns, `INSERT INTO sessions(id, activity_code, date, year, start_time, end_time, province, municipality,
			venue, instructor, modality, platform, closed_at, flags, device_id, batch_id, received_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.attIns, `INSERT INTO attendances(id, session_id, dni, status, method, at, minutes, device_id, batch_id)
			VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.attGet, `SELECT session_id, dni, status, method, at, minutes FROM attendances WHERE id = ?`},
		{&ig.certIns, `INSERT INTO certificates(code, attendance_id, kind, issued_at, device_id, batch_id, received_at)
			VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.certGet, `SELECT attendance_id, kind FROM certificates WHERE code = ?`},
		{&ig.attSession, `SELECT session_id FROM attendances WHERE id = ?`},
		{&ig.personExists, `SELECT EXISTS (SELECT 1 FROM people WHERE dni = ?)`},
		{&ig.sessionRef, `SELECT s.activity_code, s.year, s.device_id, coalesce(d.office, ''), coalesce(d.province_id, '')
			FROM sessions s LEFT JOIN devices d ON d.id = s.device_id WHERE s.id = ?`},
		{&ig.creditExists, `SELECT EXISTS (SELECT 1 FROM ledger WHERE dni = ? AND activity_code = ? AND year = ? AND kind = 'credit')`},
		{&ig.creditIns, `INSERT INTO ledger(dni, activity_code, session_id, year, points, kind, rule_version, batch_id, device_id, created_at)
			VALUES (?,?,?,?,?,'credit',?,?,?,?) ON CONFLICT DO NOTHING`},
		{&ig.attended, `SELECT a.status FROM attendances a JOIN sessions s ON s.id = a.session_id
			WHERE a.dni = ? AND s.activity_code = ? AND s.year = ? AND a.batch_id <> ?`},
	} {
		*p.st = stmt{tx: tx, query: p.sql}
		if s.pg {
			continue
		}
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			ig.close()
			return nil, err
		}
		p.st.prepared = st
		ig.stmts = append(ig.stmts, st)
	}
	return ig, nil
}

// stmt is one of ingest's statements. On SQLite it is prepared in the
// batch's transaction. On PostgreSQL it runs as text: pgx prepares it once
// per connection and keeps it for later batches, where a database/sql
// prepared statement would cost two round trips a batch (prepare and
// deallocate), used or not.
type stmt struct {
	tx       *sql.Tx
	query    string
	prepared *sql.Stmt
}

func (s stmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	if s.prepared != nil {
		return s.prepared.QueryRowContext(ctx, args...)
	}
	return s.tx.QueryRowContext(ctx, s.query, args...)
}

func (s stmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	if s.prepared != nil {
		return s.prepared.QueryContext(ctx, args...)
	}
	return s.tx.QueryContext(ctx, s.query, args...)
}

func (s stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	if s.prepared != nil {
		return s.prepared.ExecContext(ctx, args...)
	}
	return s.tx.ExecContext(ctx, s.query, args...)
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
	if err := ig.knownPeople(); err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	if err := ig.attendances(); err != nil {
		return nil, err
	}
	for _, r := range b.Certificates {
		if err := ig.certificate(r); err != nil {
			return nil, fmt.Errorf("certificate: %w", err)
		}
	}
	for _, r := range b.Surveys {
		if err := ig.survey(r); err != nil {
			return nil, fmt.Errorf("survey: %w", err)
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
		if ig.peopleSeq, err = ig.st.nextSeq(ig.ctx, ig.tx, "people"); err != nil {
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
		n.Municipality, n.Venue, n.Instructor, n.Modality, n.Platform, sqlitex.Stamp(n.ClosedAt), strings.Join(flags, ","),
		ig.in.Device.ID, ig.in.Batch.ID, ig.received)
	if err != nil {
		return err
	}
	if added, _ := res.RowsAffected(); added == 0 {
		var old wire.SessionRecord
		var closed string
		if err := ig.sessionGet.QueryRowContext(ig.ctx, n.ID).Scan(&old.ActivityCode, &old.Date, &old.Start, &old.End,
			&old.Province, &old.Municipality, &old.Venue, &old.Instructor, &old.Modality, &old.Platform, &closed); err != nil {
			return err
		}
		old.ID, old.ClosedAt = n.ID, sqlitex.ParseStamp(closed)
		if old.ClosedAt.Equal(n.ClosedAt) {
			old.ClosedAt = n.ClosedAt
		}
		if old == n {
			ig.duplicate(wire.KindSession, r.ID)
			return nil
		}
		// A change: only the session's own office may propose one.
		if sess, _, err := ig.sessionOf(n.ID); err != nil {
			return err
		} else if !ig.from.mayWrite(sess.owner) {
			ig.reject(wire.KindSession, r.ID, r, wire.Reject(wire.RejectNotOwner))
			return nil
		}
		ig.conflict(wire.KindSession, r.ID, wire.ConflictContent, r)
		return nil
	}
	ig.sessions[n.ID] = sessionRef{n.ActivityCode, year, ig.from}
	for _, f := range flags {
		ig.flags[f] = true
	}
	ig.accept(wire.KindSession, r.ID)
	return nil
}

// sessionOf returns a stored session's activity, year and owner; ok is
// false when the registry does not have it.
func (ig *ingest) sessionOf(id string) (sessionRef, bool, error) {
	if s, ok := ig.sessions[id]; ok {
		return s, true, nil
	}
	var s sessionRef
	err := ig.sessionRef.QueryRowContext(ig.ctx, id).Scan(&s.activity, &s.year, &s.owner.device, &s.owner.name, &s.owner.provinceID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, false, nil
	case err != nil:
		return s, false, err
	}
	ig.sessions[id] = s
	return s, true, nil
}

// mayWrite reports whether the sending device may add to or change the
// stored session with that ID (true when there is none).
func (ig *ingest) mayWrite(sessionID string) (bool, error) {
	sess, ok, err := ig.sessionOf(sessionID)
	return !ok || ig.from.mayWrite(sess.owner), err
}

// heldAttendance looks up the attendance stored under n's ID (its time
// stamped at): its session, whether there is one, and whether it is the
// same as n.
func (ig *ingest) heldAttendance(n wire.AttendanceRecord, at string) (sessionID string, held, same bool, err error) {
	var dni, status, method, oldAt string
	var minutes sql.NullInt64
	err = ig.attGet.QueryRowContext(ig.ctx, n.ID).Scan(&sessionID, &dni, &status, &method, &oldAt, &minutes)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, false, nil
	}
	sameMinutes := minutes.Valid == (n.Minutes != nil) && (n.Minutes == nil || int64(*n.Minutes) == minutes.Int64)
	same = sessionID == n.SessionID && dni == n.DNI && status == n.Status && method == n.Method && oldAt == at && sameMinutes
	return sessionID, err == nil, same, err
}

// sameCertificate reports whether the certificate stored under n's code
// is the same as n (false when there is none).
func (ig *ingest) sameCertificate(n wire.CertificateRecord) (bool, error) {
	var att, kind string
	err := ig.certGet.QueryRowContext(ig.ctx, n.Code).Scan(&att, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && att == n.AttendanceID && kind == n.Kind, err
}

// knownPeople looks up, on PostgreSQL, the people of the batch's
// attendances in one query, sparing a round trip per attendance; on
// SQLite knownPerson asks for each.
func (ig *ingest) knownPeople() error {
	if !ig.st.pg || len(ig.in.Batch.Attendances) == 0 {
		return nil
	}
	dnis := make([]string, 0, len(ig.in.Batch.Attendances))
	for _, a := range ig.in.Batch.Attendances {
		dnis = append(dnis, a.DNI)
	}
	known, err := queryStrings(ig.ctx, ig.tx, `SELECT dni FROM people WHERE dni = ANY(?)`, dnis)
	for _, dni := range known {
		ig.people[dni] = true
	}
	return err
}

func (ig *ingest) knownPerson(dni string) (bool, error) {
	if ig.people[dni] {
		return true, nil
	}
	var known bool
	err := ig.personExists.QueryRowContext(ig.ctx, dni).Scan(&known)
	return known, err
}

// attCheck is what the checks before storing an attendance found: the
// record as stored, its session, and why it is rejected (reject) or
// whether its session is another office's (foreign); else it is to be
// inserted.
type attCheck struct {
	n       wire.AttendanceRecord
	sess    sessionRef
	at      string
	reject  error
	foreign bool
}

// checkAttendance runs the checks of r that come before storing it. It
// reads sessions and people only, never attendances, so the checks of a
// whole batch may run before any of its attendances is stored.
func (ig *ingest) checkAttendance(r wire.AttendanceRecord) (attCheck, error) {
	n, err := wire.CheckAttendance(r)
	if err != nil {
		return attCheck{reject: err}, nil
	}
	c := attCheck{n: n, at: sqlitex.Stamp(n.At)}
	var ok bool
	if c.sess, ok, err = ig.sessionOf(n.SessionID); err != nil {
		return c, err
	}
	if !ok {
		code := wire.RejectSessionUnknown
		if ig.rejected[n.SessionID] {
			code = wire.RejectSessionRejected
		}
		c.reject = wire.Reject(code)
		return c, nil
	}
	if !ig.from.mayWrite(c.sess.owner) {
		c.foreign = true
		return c, nil
	}
	if known, err := ig.knownPerson(n.DNI); err != nil {
		return c, err
	} else if !known {
		c.reject = wire.Reject(wire.RejectPersonUnknown)
	}
	return c, nil
}

// attendances stores the batch's attendances in order. On PostgreSQL the
// checks run first for all of them, and those to insert go in with one
// statement (insertAttendances) rather than one round trip each; the
// outcomes are then told in order as on SQLite, which inserts each one.
func (ig *ingest) attendances() error {
	all := ig.in.Batch.Attendances
	checks := make([]attCheck, len(all))
	var inserted map[attKey]bool
	if ig.st.pg {
		for i, r := range all {
			var err error
			if checks[i], err = ig.checkAttendance(r); err != nil {
				return fmt.Errorf("attendance %s: %w", r.ID, err)
			}
		}
		var err error
		if inserted, err = ig.insertAttendances(checks); err != nil {
			return err
		}
	}
	for i, r := range all {
		c := checks[i]
		if inserted == nil {
			var err error
			if c, err = ig.checkAttendance(r); err != nil {
				return fmt.Errorf("attendance %s: %w", r.ID, err)
			}
		}
		if err := ig.attendance(r, c, inserted); err != nil {
			return fmt.Errorf("attendance %s: %w", r.ID, err)
		}
	}
	return nil
}

// attKey names an inserted attendance: its ID, session and person.
type attKey [3]string

// insertAttendances inserts, in the batch's order and in one statement,
// the attendances whose checks passed, each unless its ID or its person
// at its session is stored (or came earlier in the batch), and returns
// the ones stored.
func (ig *ingest) insertAttendances(checks []attCheck) (map[attKey]bool, error) {
	var ids, sessions, dnis, statuses, methods, ats []string
	var minutes []*int64
	for _, c := range checks {
		if c.reject != nil || c.foreign {
			continue
		}
		n := c.n
		ids, sessions, dnis, statuses = append(ids, n.ID), append(sessions, n.SessionID), append(dnis, n.DNI), append(statuses, n.Status)
		methods, ats = append(methods, n.Method), append(ats, c.at)
		var m *int64
		if n.Minutes != nil {
			v := int64(*n.Minutes)
			m = &v
		}
		minutes = append(minutes, m)
	}
	inserted := map[attKey]bool{}
	if len(ids) == 0 {
		return inserted, nil
	}
	rows, err := ig.tx.QueryContext(ig.ctx, `INSERT INTO attendances(id, session_id, dni, status, method, at, minutes, device_id, batch_id)
		SELECT a.id, a.session, a.dni, a.status, a.method, a.at, a.minutes, ?, ?
		FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) WITH ORDINALITY
			AS a(id, session, dni, status, method, at, minutes, n)
		ORDER BY a.n ON CONFLICT DO NOTHING RETURNING id, session_id, dni`,
		ig.in.Device.ID, ig.in.Batch.ID, ids, sessions, dnis, statuses, methods, ats, minutes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k attKey
		if err := rows.Scan(&k[0], &k[1], &k[2]); err != nil {
			return nil, err
		}
		inserted[k] = true
	}
	return inserted, rows.Err()
}

// attendance tells r's outcome after its checks c and stores it: with
// inserted (PostgreSQL) the bulk insert did, and the first record of an
// inserted ID, session and person is the one stored; else it is inserted
// here.
func (ig *ingest) attendance(r wire.AttendanceRecord, c attCheck, inserted map[attKey]bool) error {
	n, at := c.n, c.at
	switch {
	case c.reject != nil:
		ig.reject(wire.KindAttendance, r.ID, r, c.reject)
		return nil
	case c.foreign:
		// Another office's session: the device may only repeat what the
		// registry holds (a copied data folder resending).
		if _, _, same, err := ig.heldAttendance(n, at); err != nil {
			return err
		} else if same {
			ig.duplicate(wire.KindAttendance, r.ID)
		} else {
			ig.reject(wire.KindAttendance, r.ID, r, wire.Reject(wire.RejectNotOwner))
		}
		return nil
	}
	var added bool
	if inserted != nil {
		k := attKey{n.ID, n.SessionID, n.DNI}
		added = inserted[k]
		delete(inserted, k)
	} else {
		res, err := ig.attIns.ExecContext(ig.ctx, n.ID, n.SessionID, n.DNI, n.Status, n.Method, at, n.Minutes, ig.in.Device.ID, ig.in.Batch.ID)
		if err != nil {
			return err
		}
		rows, _ := res.RowsAffected()
		added = rows > 0
	}
	if !added {
		sid, held, same, err := ig.heldAttendance(n, at)
		switch {
		case err != nil:
			return err
		case !held: // another ID holds this person at this session
			ig.conflict(wire.KindAttendance, r.ID, wire.ConflictPersonMarked, r)
		case same:
			ig.duplicate(wire.KindAttendance, r.ID)
		case sid != n.SessionID:
			// A change that would move the attendance out of its session:
			// that session's office must be the sender's too.
			if allowed, err := ig.mayWrite(sid); err != nil {
				return err
			} else if !allowed {
				ig.reject(wire.KindAttendance, r.ID, r, wire.Reject(wire.RejectNotOwner))
				return nil
			}
			ig.conflict(wire.KindAttendance, r.ID, wire.ConflictContent, r)
		default:
			ig.conflict(wire.KindAttendance, r.ID, wire.ConflictContent, r)
		}
		return nil
	}
	ig.accept(wire.KindAttendance, r.ID)
	key := creditKey{n.DNI, c.sess.activity, c.sess.year}
	ig.stored[key] = append(ig.stored[key], domain.Status(n.Status))
	if domain.Status(n.Status).Attended() {
		return ig.credit(n, c.sess)
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
	ig.credits = append(ig.credits, creditRow{key, a.SessionID, o.Rule, o.Points})
	ig.credited[key] = true
	return nil
}

// saveCredits writes the batch's credits, in their order. Nothing in the
// batch reads them before: ig.credited answers for the batch's own.
func (ig *ingest) saveCredits() error {
	if !ig.st.pg {
		for _, c := range ig.credits {
			if _, err := ig.creditIns.ExecContext(ig.ctx, c.dni, c.activity, c.session, c.year, c.points, c.rule,
				ig.in.Batch.ID, ig.in.Device.ID, ig.received); err != nil {
				return err
			}
		}
		return nil
	}
	if len(ig.credits) == 0 {
		return nil
	}
	var dnis, acts, sessions, rules []string
	var years, points []int64
	for _, c := range ig.credits {
		dnis, acts, sessions, rules = append(dnis, c.dni), append(acts, c.activity), append(sessions, c.session), append(rules, c.rule)
		years, points = append(years, int64(c.year)), append(points, int64(c.points))
	}
	_, err := ig.tx.ExecContext(ig.ctx, `INSERT INTO ledger(dni, activity_code, session_id, year, points, kind, rule_version, batch_id, device_id, created_at)
		SELECT c.dni, c.act, c.session, c.year, c.points, 'credit', c.rule, ?, ?, ?
		FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[]) WITH ORDINALITY AS c(dni, act, session, year, points, rule, n)
		ORDER BY c.n ON CONFLICT DO NOTHING`, ig.in.Batch.ID, ig.in.Device.ID, ig.received, dnis, acts, sessions, years, points, rules)
	return err
}

// statuses returns the person's attendance statuses at the sessions of an
// activity in a year: those stored before the batch and those of the
// batch stored so far (on PostgreSQL the batch's later attendances are
// already in the table).
func (ig *ingest) statuses(k creditKey) ([]domain.Status, error) {
	out := slices.Clone(ig.stored[k])
	rows, err := ig.attended.QueryContext(ig.ctx, k.dni, k.activity, k.year, ig.in.Batch.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
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
	var sessionID string
	err = ig.attSession.QueryRowContext(ig.ctx, n.AttendanceID).Scan(&sessionID)
	if errors.Is(err, sql.ErrNoRows) {
		ig.reject(wire.KindCertificate, r.Code, r, wire.Reject(wire.RejectAttendanceUnknown))
		return nil
	} else if err != nil {
		return err
	}
	if allowed, err := ig.mayWrite(sessionID); err != nil {
		return err
	} else if !allowed {
		// Another office's session: only a repeat of what is stored.
		if same, err := ig.sameCertificate(n); err != nil {
			return err
		} else if same {
			ig.duplicate(wire.KindCertificate, r.Code)
		} else {
			ig.reject(wire.KindCertificate, r.Code, r, wire.Reject(wire.RejectNotOwner))
		}
		return nil
	}
	res, err := ig.certIns.ExecContext(ig.ctx, n.Code, n.AttendanceID, n.Kind, sqlitex.Stamp(n.IssuedAt),
		ig.in.Device.ID, ig.in.Batch.ID, ig.received)
	if err != nil {
		return err
	}
	if added, _ := res.RowsAffected(); added == 0 {
		if same, err := ig.sameCertificate(n); err != nil {
			return err
		} else if same {
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
	if err := ig.saveCredits(); err != nil {
		return nil, fmt.Errorf("store credits: %w", err)
	}
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
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches(id, device_id, source, received_at, device_clock, records, flags, receipt, digest)
		VALUES (?,?,?,?,?,?,?,?,?)`, b.ID, ig.in.Device.ID, ig.in.Source, ig.received, sqlitex.Stamp(b.DeviceClock), b.Records(),
		strings.Join(flags, ","), receipt, ig.digest); err != nil {
		return nil, fmt.Errorf("store batch: %w", err)
	}
	if err := ig.saveOutcomes(); err != nil {
		return nil, fmt.Errorf("store outcome: %w", err)
	}
	counts := map[[2]string]int{}
	for _, o := range ig.outcomes {
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

// saveOutcomes writes the batch's outcomes: one statement on PostgreSQL,
// a prepared one per outcome on SQLite.
func (ig *ingest) saveOutcomes() error {
	b := ig.in.Batch
	if ig.st.pg {
		var kinds, ids, results, codes []string
		for _, o := range ig.outcomes {
			kinds, ids, results, codes = append(kinds, o.Kind), append(ids, o.ID), append(results, o.Result), append(codes, o.Code)
		}
		_, err := ig.tx.ExecContext(ig.ctx, `INSERT INTO outcomes(batch_id, n, kind, record_id, result, code)
			SELECT ?, o.n - 1, o.kind, o.id, o.result, o.code
			FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS o(kind, id, result, code, n)`,
			b.ID, kinds, ids, results, codes)
		return err
	}
	outIns, err := ig.tx.PrepareContext(ig.ctx, `INSERT INTO outcomes(batch_id, n, kind, record_id, result, code) VALUES (?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer outIns.Close()
	for i, o := range ig.outcomes {
		if _, err := outIns.ExecContext(ig.ctx, b.ID, i, o.Kind, o.ID, o.Result, o.Code); err != nil {
			return err
		}
	}
	return nil
}
