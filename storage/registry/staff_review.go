package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// reviewRow is a review item as stored, with its device and the
// provinces its record touches.
type reviewRow struct {
	item     wire.ReviewItem
	resolved bool
	content  string
	received string
	reach    recordReach
}

const reviewQuery = `SELECT r.seq, r.kind, r.record_id, r.result, r.code, r.message, r.content, r.batch_id, r.device_id,
	d.name, d.office, d.province, r.received_at, r.resolved_at IS NOT NULL,
	rd.decision, rd.reason, rd.actor, rd.decided_at, rd.record, rd.ledger, rd.cascaded
	FROM review r JOIN devices d ON d.id = r.device_id LEFT JOIN review_decisions rd ON rd.review_seq = r.seq
	WHERE r.seq = ?`

// loadReview reads a review item through q (the database or a
// transaction); an item whose record touches a province outside scope is
// not found.
func loadReview(ctx context.Context, q queryer, id int64, scope wire.StaffScope) (reviewRow, []int64, error) {
	var rr reviewRow
	it := &rr.item
	var decision, reason, actor, at, record, ledger sql.NullString
	var cascaded sql.NullInt64
	err := q.QueryRowContext(ctx, reviewQuery, id).Scan(&it.ID, &it.Kind, &it.RecordID, &it.Result, &it.Code, &it.Message, &rr.content,
		&it.BatchID, &it.DeviceID, &it.DeviceName, &it.Office, &it.Province, &rr.received, &rr.resolved,
		&decision, &reason, &actor, &at, &record, &ledger, &cascaded)
	if err != nil {
		return rr, nil, noRows(err, "review item")
	}
	if !scope.All() {
		_, devProvince := provinceOf(it.Province)
		if rr.reach, err = reachOf(ctx, q, it.Kind, it.RecordID, []byte(rr.content), devProvince); err != nil {
			return rr, nil, err
		}
		if !rr.reach.covers(scope) {
			return reviewRow{}, nil, notFound("review item")
		}
	}
	it.Protocol = wire.Protocol
	it.ReceivedAt = sqlitex.ParseStamp(rr.received)
	it.Incoming = json.RawMessage(rr.content)
	it.CanAccept = it.Result == wire.Rejected || it.Code == wire.ConflictContent && it.Kind != wire.KindCertificate
	var ids []int64
	if decision.Valid {
		it.Resolution = &wire.ReviewOutcome{Decision: decision.String, Reason: reason.String, Actor: actor.String,
			At: sqlitex.ParseStamp(at.String), Cascaded: int(cascaded.Int64)}
		if record.String != "" {
			it.Resolution.Record = json.RawMessage(record.String)
		}
		for _, f := range strings.Split(ledger.String, ",") {
			if n, err := strconv.ParseInt(f, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
	}
	return rr, ids, nil
}

// queryer is a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReviewItem returns a review item; see server.StaffStore.
func (s *Store) ReviewItem(ctx context.Context, id int64, scope wire.StaffScope) (wire.ReviewItem, error) {
	rr, ids, err := loadReview(ctx, s.db, id, scope)
	if err != nil {
		return wire.ReviewItem{}, err
	}
	if err := fillReview(ctx, s.db, &rr.item, ids); err != nil {
		return wire.ReviewItem{}, fmt.Errorf("review item: %w", err)
	}
	return rr.item, nil
}

// fillReview adds the stored version of a conflict and the ledger entries
// of a resolution.
func fillReview(ctx context.Context, q queryer, it *wire.ReviewItem, ledgerIDs []int64) error {
	if it.Result == wire.Conflict {
		stored, err := storedVersion(ctx, q, it.Kind, it.RecordID, it.Incoming)
		if err != nil {
			return err
		}
		it.Stored = stored
	}
	if it.Resolution != nil {
		for _, id := range ledgerIDs {
			l, err := ledgerLine(ctx, q, id)
			if err != nil {
				return err
			}
			it.Resolution.Ledger = append(it.Resolution.Ledger, l)
		}
	}
	return nil
}

// storedVersion returns the record the registry holds under a conflict's
// ID (for an attendance marked twice, the person's other attendance at
// the session), in wire form, or nil when there is none any more.
func storedVersion(ctx context.Context, q queryer, kind, id string, incoming []byte) (json.RawMessage, error) {
	var v any
	var err error
	switch kind {
	case wire.KindSession:
		v, err = storedSession(ctx, q, id)
	case wire.KindAttendance:
		v, err = storedAttendance(ctx, q, `id = ?`, id)
		if errors.Is(err, sql.ErrNoRows) {
			var in wire.AttendanceRecord
			json.Unmarshal(incoming, &in)
			dni, _ := domain.NormalizeDNI(in.DNI)
			v, err = storedAttendance(ctx, q, `session_id = ? AND dni = ?`, in.SessionID, dni)
		}
	case wire.KindPerson:
		v, err = storedPerson(ctx, q, id)
	case wire.KindCertificate:
		var c wire.CertificateRecord
		var issued string
		err = q.QueryRowContext(ctx, `SELECT code, attendance_id, kind, issued_at FROM certificates WHERE code = ?`, id).
			Scan(&c.Code, &c.AttendanceID, &c.Kind, &issued)
		c.IssuedAt = sqlitex.ParseStamp(issued)
		v = c
	default:
		return nil, nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	return b, err
}

func storedSession(ctx context.Context, q queryer, id string) (wire.SessionRecord, error) {
	r := wire.SessionRecord{ID: id}
	var closed string
	err := q.QueryRowContext(ctx, `SELECT activity_code, date, start_time, end_time, province, municipality, venue, instructor,
		modality, closed_at FROM sessions WHERE id = ?`, id).Scan(&r.ActivityCode, &r.Date, &r.Start, &r.End, &r.Province,
		&r.Municipality, &r.Venue, &r.Instructor, &r.Modality, &closed)
	r.ClosedAt = sqlitex.ParseStamp(closed)
	return r, err
}

func storedAttendance(ctx context.Context, q queryer, cond string, args ...any) (wire.AttendanceRecord, error) {
	var r wire.AttendanceRecord
	var at string
	err := q.QueryRowContext(ctx, `SELECT id, session_id, dni, status, method, at FROM attendances WHERE `+cond, args...).
		Scan(&r.ID, &r.SessionID, &r.DNI, &r.Status, &r.Method, &at)
	r.At = sqlitex.ParseStamp(at)
	return r, err
}

func storedPerson(ctx context.Context, q queryer, dni string) (wire.PersonRecord, error) {
	var r wire.PersonRecord
	err := q.QueryRowContext(ctx, `SELECT dni, cuil, surname, given_names, agency, email, province, sex, birth FROM people WHERE dni = ?`, dni).
		Scan(&r.DNI, &r.CUIL, &r.Surname, &r.GivenNames, &r.Agency, &r.Email, &r.Province, &r.Sex, &r.Birth)
	return r, err
}

// invalidRecord is the error of a decision that cannot be applied.
func invalidRecord(format string, args ...any) error {
	return &domain.Error{Code: wire.CodeInvalidRecord, Text: fmt.Sprintf(format, args...)}
}

// ResolveReview accepts or rejects a review item; see server.StaffStore.
func (s *Store) ResolveReview(ctx context.Context, id int64, d wire.ReviewDecision, scope wire.StaffScope, by wire.StaffAction) (wire.ReviewItem, error) {
	reason := strings.TrimSpace(d.Reason)
	if reason == "" {
		return wire.ReviewItem{}, &domain.Error{Code: domain.CodeRequired, Field: "reason", Text: "Escribí el motivo de la decisión: queda en el registro de auditoría."}
	}
	if d.Decision != wire.DecisionAccept && d.Decision != wire.DecisionReject {
		return wire.ReviewItem{}, invalidRecord("La decisión %q no existe: aceptar o rechazar.", d.Decision)
	}
	if err := domain.CheckLen("reason", reason, domain.MaxReason); err != nil {
		return wire.ReviewItem{}, err
	}
	at := s.actionTime(by)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Two staff members on two instances may decide at once: the
		// second waits and then finds the item resolved.
		if err := s.lock(ctx, tx, "review", strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		rr, _, err := loadReview(ctx, tx, id, scope)
		if err != nil {
			return err
		}
		if rr.resolved {
			return &domain.Error{Code: wire.CodeReviewResolved, Text: "Este registro ya fue resuelto: recargá la lista."}
		}
		ap := &applier{ctx: ctx, st: s, tx: tx, at: at, actor: by.Actor, reason: reason, item: rr.item, scope: scope}
		var record string
		if d.Decision == wire.DecisionAccept {
			if !rr.item.CanAccept {
				return invalidRecord("Este conflicto no se puede aceptar (la persona ya tiene otra asistencia en esa sesión, o el código de certificado ya existe): solo se puede rechazar.")
			}
			in := []byte(rr.content)
			if len(d.Record) > 0 && string(d.Record) != "null" {
				in = d.Record
			}
			if err := checkMove(ctx, tx, scope, rr.item.Kind, in, rr.reach); err != nil {
				return err
			}
			if record, err = ap.apply(in, rr.item.Result == wire.Conflict); err != nil {
				return err
			}
			if err := ap.cascade(); err != nil {
				return err
			}
		}
		if err := ap.decide(rr.item.ID, d.Decision, record, ap.ledger, ap.cascaded); err != nil {
			return err
		}
		action := wire.AuditReviewReject
		if d.Decision == wire.DecisionAccept {
			action = wire.AuditReviewAccept
		}
		detail := rr.item.Result + " " + rr.item.Code
		if ap.cascaded > 0 {
			detail += fmt.Sprintf("; %d registros aceptados con este", ap.cascaded)
		}
		return audit(ctx, tx, wire.AuditEntry{At: at, Actor: by.Actor, Action: action,
			Target: fmt.Sprintf("revisión %d (%s %s)", rr.item.ID, rr.item.Kind, rr.item.RecordID), Reason: reason, Detail: detail})
	})
	if err != nil {
		return wire.ReviewItem{}, fmt.Errorf("resolve review %d: %w", id, err)
	}
	return s.ReviewItem(ctx, id, scope)
}

// applier applies accepted records inside one transaction.
type applier struct {
	ctx      context.Context
	st       *Store
	tx       *sql.Tx
	at       time.Time
	actor    string
	reason   string
	item     wire.ReviewItem // the item being resolved (or cascaded)
	scope    wire.StaffScope // the deciding account's: cascades stay inside it
	ledger   []int64         // entries appended for the item being resolved
	cascaded int
	// touched lists what accepted records may unblock: session IDs,
	// attendance IDs and DNIs.
	touched []string
}

// decide stores a decision and marks the item resolved.
func (ap *applier) decide(seq int64, decision, record string, ledger []int64, cascaded int) error {
	ids := make([]string, len(ledger))
	for i, id := range ledger {
		ids[i] = strconv.FormatInt(id, 10)
	}
	if _, err := ap.tx.ExecContext(ap.ctx, `INSERT INTO review_decisions(review_seq, decision, reason, actor, decided_at, record, ledger, cascaded)
		VALUES (?,?,?,?,?,?,?,?)`, seq, decision, ap.reason, ap.actor, sqlitex.Stamp(ap.at), record, strings.Join(ids, ","), cascaded); err != nil {
		return fmt.Errorf("store decision: %w", err)
	}
	_, err := ap.tx.ExecContext(ap.ctx, `UPDATE review SET resolved_at = ? WHERE seq = ?`, sqlitex.Stamp(ap.at), seq)
	return err
}

// apply stores the record in (wire JSON of ap.item.Kind): a new row for a
// rejected record, a new version of the stored one for a conflict. It
// returns the record as stored.
func (ap *applier) apply(in []byte, replace bool) (string, error) {
	var out any
	var err error
	switch ap.item.Kind {
	case wire.KindSession:
		var r wire.SessionRecord
		if err = decodeRecord(in, &r); err == nil {
			out, err = ap.session(r, replace)
		}
	case wire.KindAttendance:
		var r wire.AttendanceRecord
		if err = decodeRecord(in, &r); err == nil {
			out, err = ap.attendance(r, replace)
		}
	case wire.KindPerson:
		var r wire.PersonRecord
		if err = decodeRecord(in, &r); err == nil {
			out, err = ap.person(r, replace)
		}
	case wire.KindCertificate:
		var r wire.CertificateRecord
		if err = decodeRecord(in, &r); err == nil {
			out, err = ap.certificate(r)
		}
	default:
		err = invalidRecord("No se pueden aceptar registros de tipo %q.", ap.item.Kind)
	}
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// decodeRecord decodes a wire record, refusing unknown fields (a typo in
// a corrected field must not pass silently).
func decodeRecord(in []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(in)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidRecord("El registro corregido no tiene la forma esperada: %v.", err)
	}
	return nil
}

// sameID refuses a corrected record whose ID is not the item's.
func (ap *applier) sameID(id string) error {
	if id != ap.item.RecordID {
		return invalidRecord("No se puede cambiar el ID del registro (%s): corregí los otros datos.", ap.item.RecordID)
	}
	return nil
}

// archive keeps the stored version of a record before it is replaced.
func (ap *applier) archive(kind, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = ap.tx.ExecContext(ap.ctx, `INSERT INTO record_versions(kind, record_id, content, replaced_at, review_seq) VALUES (?,?,?,?,?)`,
		kind, id, string(b), sqlitex.Stamp(ap.at), ap.item.ID)
	return err
}

func (ap *applier) session(r wire.SessionRecord, replace bool) (wire.SessionRecord, error) {
	if err := ap.sameID(r.ID); err != nil {
		return r, err
	}
	n, flags, err := wire.CheckSession(r, ap.item.ReceivedAt)
	if err != nil {
		return r, err
	}
	var exists bool
	if err := ap.tx.QueryRowContext(ap.ctx, `SELECT EXISTS (SELECT 1 FROM activities WHERE code = ?)`, n.ActivityCode).Scan(&exists); err != nil {
		return r, err
	}
	if !exists {
		return r, wire.Reject(wire.RejectActivityUnknown, n.ActivityCode)
	}
	year, _ := strconv.Atoi(n.Date[:4])
	old, err := storedSession(ap.ctx, ap.tx, n.ID)
	switch {
	case err == nil && !replace:
		return r, invalidRecord("El registro ya tiene la sesión %s (llegó en otro lote): rechazá este pendiente.", n.ID)
	case errors.Is(err, sql.ErrNoRows) && replace:
		return r, invalidRecord("La sesión %s ya no está en el registro.", n.ID)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return r, err
	}
	if !replace {
		if _, err := ap.tx.ExecContext(ap.ctx, `INSERT INTO sessions(id, activity_code, date, year, start_time, end_time, province,
			municipality, venue, instructor, modality, closed_at, flags, device_id, batch_id, received_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, n.ID, n.ActivityCode, n.Date, year, n.Start, n.End, n.Province, n.Municipality,
			n.Venue, n.Instructor, n.Modality, sqlitex.Stamp(n.ClosedAt), strings.Join(flags, ","), ap.item.DeviceID, ap.item.BatchID,
			sqlitex.Stamp(ap.item.ReceivedAt)); err != nil {
			return r, fmt.Errorf("add session: %w", err)
		}
		ap.touched = append(ap.touched, n.ID)
		return n, nil
	}
	if err := ap.archive(wire.KindSession, n.ID, old); err != nil {
		return r, err
	}
	oldYear, _ := strconv.Atoi(old.Date[:4])
	// The people credited through this session before the change: their
	// credits under the old activity and year are checked again.
	people, err := ap.sessionPeople(n.ID)
	if err != nil {
		return r, err
	}
	if _, err := ap.tx.ExecContext(ap.ctx, `UPDATE sessions SET activity_code = ?, date = ?, year = ?, start_time = ?, end_time = ?,
		province = ?, municipality = ?, venue = ?, instructor = ?, modality = ?, closed_at = ?, flags = ? WHERE id = ?`,
		n.ActivityCode, n.Date, year, n.Start, n.End, n.Province, n.Municipality, n.Venue, n.Instructor, n.Modality,
		sqlitex.Stamp(n.ClosedAt), strings.Join(flags, ","), n.ID); err != nil {
		return r, fmt.Errorf("update session: %w", err)
	}
	for _, dni := range people {
		if err := ap.recompute(creditKey{dni, old.ActivityCode, oldYear}, n.ID); err != nil {
			return r, err
		}
		if err := ap.recompute(creditKey{dni, n.ActivityCode, year}, n.ID); err != nil {
			return r, err
		}
	}
	return n, nil
}

// sessionPeople returns the DNIs of a session's attendances.
func (ap *applier) sessionPeople(sessionID string) ([]string, error) {
	return queryStrings(ap.ctx, ap.tx, `SELECT dni FROM attendances WHERE session_id = ?`, sessionID)
}

// sessionKey returns a stored session's activity and year.
func (ap *applier) sessionKey(id string) (string, int, error) {
	var act string
	var year int
	err := ap.tx.QueryRowContext(ap.ctx, `SELECT activity_code, year FROM sessions WHERE id = ?`, id).Scan(&act, &year)
	return act, year, err
}

func (ap *applier) attendance(r wire.AttendanceRecord, replace bool) (wire.AttendanceRecord, error) {
	if err := ap.sameID(r.ID); err != nil {
		return r, err
	}
	n, err := wire.CheckAttendance(r)
	if err != nil {
		return r, err
	}
	act, year, err := ap.sessionKey(n.SessionID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, wire.Reject(wire.RejectSessionUnknown)
	} else if err != nil {
		return r, err
	}
	var known bool
	if err := ap.tx.QueryRowContext(ap.ctx, `SELECT EXISTS (SELECT 1 FROM people WHERE dni = ?)`, n.DNI).Scan(&known); err != nil {
		return r, err
	}
	if !known {
		return r, wire.Reject(wire.RejectPersonUnknown)
	}
	var other string
	err = ap.tx.QueryRowContext(ap.ctx, `SELECT id FROM attendances WHERE session_id = ? AND dni = ?`, n.SessionID, n.DNI).Scan(&other)
	switch {
	case err == nil && other != n.ID:
		return r, wire.Reject(wire.ConflictPersonMarked)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return r, err
	}
	old, err := storedAttendance(ap.ctx, ap.tx, `id = ?`, n.ID)
	switch {
	case err == nil && !replace:
		return r, invalidRecord("El registro ya tiene la asistencia %s (llegó en otro lote): rechazá este pendiente.", n.ID)
	case errors.Is(err, sql.ErrNoRows) && replace:
		return r, invalidRecord("La asistencia %s ya no está en el registro.", n.ID)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return r, err
	}
	at := sqlitex.Stamp(n.At)
	if !replace {
		if _, err := ap.tx.ExecContext(ap.ctx, `INSERT INTO attendances(id, session_id, dni, status, method, at, device_id, batch_id)
			VALUES (?,?,?,?,?,?,?,?)`, n.ID, n.SessionID, n.DNI, n.Status, n.Method, at, ap.item.DeviceID, ap.item.BatchID); err != nil {
			return r, fmt.Errorf("add attendance: %w", err)
		}
		ap.touched = append(ap.touched, n.ID)
		return n, ap.recompute(creditKey{n.DNI, act, year}, n.SessionID)
	}
	if err := ap.archive(wire.KindAttendance, n.ID, old); err != nil {
		return r, err
	}
	oldAct, oldYear, err := ap.sessionKey(old.SessionID)
	if err != nil {
		return r, err
	}
	if _, err := ap.tx.ExecContext(ap.ctx, `UPDATE attendances SET session_id = ?, dni = ?, status = ?, method = ?, at = ? WHERE id = ?`,
		n.SessionID, n.DNI, n.Status, n.Method, at, n.ID); err != nil {
		return r, fmt.Errorf("update attendance: %w", err)
	}
	if err := ap.recompute(creditKey{old.DNI, oldAct, oldYear}, old.SessionID); err != nil {
		return r, err
	}
	return n, ap.recompute(creditKey{n.DNI, act, year}, n.SessionID)
}

func (ap *applier) person(r wire.PersonRecord, replace bool) (wire.PersonRecord, error) {
	p, err := wire.CheckPerson(r)
	if err != nil {
		return r, err
	}
	if id, _ := domain.NormalizeDNI(ap.item.RecordID); replace && p.DNI != id {
		return r, invalidRecord("No se puede cambiar el DNI de una persona que ya está en el registro (%s).", domain.FormatDNI(id))
	}
	out := wire.PersonRecord{DNI: p.DNI, CUIL: p.CUIL, Surname: p.Surname, GivenNames: p.GivenNames, Agency: p.Agency,
		Email: p.Email, Province: p.Province, Sex: p.Sex, Birth: p.Birth}
	old, err := storedPerson(ap.ctx, ap.tx, p.DNI)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return r, err
	}
	exists := err == nil
	seq, err := ap.st.nextSeq(ap.ctx, ap.tx, "people")
	if err != nil {
		return r, err
	}
	_, provID := provinceOf(p.Province)
	switch {
	case !exists && replace:
		return r, invalidRecord("La persona con DNI %s ya no está en el registro.", domain.FormatDNI(p.DNI))
	case exists && !replace:
		oldP := domain.Person{DNI: old.DNI, CUIL: old.CUIL, Surname: old.Surname, GivenNames: old.GivenNames}
		if !samePerson(oldP, p) {
			return r, invalidRecord("Ya hay otra persona con DNI %s en el registro (%s): revisá el DNI.", domain.FormatDNI(p.DNI), oldP.FullName())
		}
		// The person is there already: nothing to add.
	case !exists:
		if _, err := ap.tx.ExecContext(ap.ctx, `INSERT INTO people(dni, cuil, surname, given_names, agency, email, province, province_id,
			sex, birth, walk_in, seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)`, p.DNI, p.CUIL, p.Surname, p.GivenNames,
			p.Agency, p.Email, p.Province, provID, p.Sex, p.Birth, seq, sqlitex.Stamp(ap.at)); err != nil {
			return r, fmt.Errorf("add person: %w", err)
		}
	default:
		if err := ap.archive(wire.KindPerson, p.DNI, old); err != nil {
			return r, err
		}
		// A new change sequence sends the corrected person to the devices.
		if _, err := ap.tx.ExecContext(ap.ctx, `UPDATE people SET cuil = ?, surname = ?, given_names = ?, agency = ?, email = ?,
			province = ?, province_id = ?, seq = ?, updated_at = ? WHERE dni = ?`, p.CUIL, p.Surname, p.GivenNames, p.Agency,
			p.Email, p.Province, provID, seq, sqlitex.Stamp(ap.at), p.DNI); err != nil {
			return r, fmt.Errorf("update person: %w", err)
		}
	}
	ap.touched = append(ap.touched, p.DNI)
	return out, nil
}

func (ap *applier) certificate(r wire.CertificateRecord) (wire.CertificateRecord, error) {
	n, err := wire.CheckCertificate(r)
	if err != nil {
		return r, err
	}
	if err := ap.sameID(n.Code); err != nil {
		return r, err
	}
	var known, taken bool
	if err := ap.tx.QueryRowContext(ap.ctx, `SELECT EXISTS (SELECT 1 FROM attendances WHERE id = ?), EXISTS (SELECT 1 FROM certificates WHERE code = ?)`,
		n.AttendanceID, n.Code).Scan(&known, &taken); err != nil {
		return r, err
	}
	if !known {
		return r, wire.Reject(wire.RejectAttendanceUnknown)
	}
	if taken {
		return r, invalidRecord("El registro ya tiene el certificado %s (llegó en otro lote): rechazá este pendiente.", n.Code)
	}
	if _, err := ap.tx.ExecContext(ap.ctx, `INSERT INTO certificates(code, attendance_id, kind, issued_at, device_id, batch_id, received_at)
		VALUES (?,?,?,?,?,?,?)`, n.Code, n.AttendanceID, n.Kind, sqlitex.Stamp(n.IssuedAt), ap.item.DeviceID, ap.item.BatchID,
		sqlitex.Stamp(ap.item.ReceivedAt)); err != nil {
		return r, fmt.Errorf("add certificate: %w", err)
	}
	return n, nil
}

// recompute applies the points rules to a person, activity and year as
// the registry now holds them, and appends what changed: a credit when
// the person is eligible and holds none, a reversal of the credit held
// when no longer eligible. Nothing is updated or deleted.
func (ap *applier) recompute(k creditKey, sessionID string) error {
	// Decisions on two instances may recompute one credit at once.
	if err := ap.st.lock(ap.ctx, ap.tx, "credit", fmt.Sprintf("%s|%s|%d", k.dni, k.activity, k.year)); err != nil {
		return err
	}
	a, err := sqlitex.ScanActivity(ap.tx.QueryRowContext(ap.ctx, `SELECT `+sqlitex.ActivityColumns+` FROM activities WHERE code = ?`, k.activity))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	rows, err := ap.tx.QueryContext(ap.ctx, `SELECT a.status FROM attendances a JOIN sessions s ON s.id = a.session_id
		WHERE a.dni = ? AND s.activity_code = ? AND s.year = ?`, k.dni, k.activity, k.year)
	if err != nil {
		return err
	}
	var statuses []domain.Status
	for rows.Next() {
		var st string
		if err := rows.Scan(&st); err != nil {
			rows.Close()
			return err
		}
		statuses = append(statuses, domain.Status(st))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	o := domain.Award(a, k.year, statuses, false)
	var held struct {
		id, points    int64
		rule, session string
	}
	err = ap.tx.QueryRowContext(ap.ctx, `SELECT c.id, c.points, c.rule_version, c.session_id FROM ledger c
		WHERE c.dni = ? AND c.activity_code = ? AND c.year = ? AND c.kind = 'credit'
		AND NOT EXISTS (SELECT 1 FROM ledger r WHERE r.kind = 'reversal' AND r.reverses = c.id)`, k.dni, k.activity, k.year).
		Scan(&held.id, &held.points, &held.rule, &held.session)
	has := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var id int64
	switch {
	case o.Eligible && !has:
		var n int
		if err := ap.tx.QueryRowContext(ap.ctx, `SELECT count(*) FROM ledger WHERE dni = ? AND activity_code = ? AND year = ? AND kind = 'credit'`,
			k.dni, k.activity, k.year).Scan(&n); err != nil {
			return err
		}
		err = ap.tx.QueryRowContext(ap.ctx, `INSERT INTO ledger(dni, activity_code, session_id, year, points, kind, rule_version, reason,
			batch_id, device_id, actor, created_at, credit_no) VALUES (?,?,?,?,?,'credit',?,?,?,?,?,?,?) RETURNING id`, k.dni, k.activity, sessionID,
			k.year, o.Points, o.Rule, ap.reason, ap.item.BatchID, ap.item.DeviceID, ap.actor, sqlitex.Stamp(ap.at), n).Scan(&id)
	case !o.Eligible && has:
		err = ap.tx.QueryRowContext(ap.ctx, `INSERT INTO ledger(dni, activity_code, session_id, year, points, kind, reverses, rule_version,
			reason, batch_id, device_id, actor, created_at) VALUES (?,?,?,?,?,'reversal',?,?,?,?,?,?,?) RETURNING id`, k.dni, k.activity, held.session,
			k.year, -held.points, held.id, held.rule, ap.reason, ap.item.BatchID, ap.item.DeviceID, ap.actor, sqlitex.Stamp(ap.at)).Scan(&id)
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("append ledger entry: %w", err)
	}
	ap.ledger = append(ap.ledger, id)
	return nil
}

// cascade accepts the open rejections that waited for what was just
// accepted: attendances of an accepted session or person, certificates of
// an accepted attendance. Each is applied as it arrived; one that still
// fails stays open for review. Records they unblock follow in turn.
func (ap *applier) cascade() error {
	parent := ap.item
	for len(ap.touched) > 0 {
		ref := ap.touched[0]
		ap.touched = ap.touched[1:]
		rows, err := ap.tx.QueryContext(ap.ctx, `SELECT r.seq FROM review r WHERE r.resolved_at IS NULL AND r.result = 'rejected'
			AND r.seq != ? AND r.code IN ('session_unknown', 'session_rejected', 'person_unknown', 'attendance_unknown')
			AND ? IN (r.content ->> 'session', r.content ->> 'dni', r.content ->> 'attendance')
			ORDER BY r.seq`, parent.ID, ref)
		if err != nil {
			return err
		}
		var seqs []int64
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			seqs = append(seqs, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, seq := range seqs {
			rr, _, err := loadReview(ap.ctx, ap.tx, seq, ap.scope)
			if errors.Is(err, domain.ErrNotFound) {
				continue // another province's: its own reviewers decide it
			}
			if err != nil {
				return err
			}
			child := &applier{ctx: ap.ctx, st: ap.st, tx: ap.tx, at: ap.at, actor: ap.actor, item: rr.item, scope: ap.scope,
				reason: fmt.Sprintf("Aceptado con la revisión %d: %s", parent.ID, ap.reason)}
			sp := fmt.Sprintf("cascade_%d", seq)
			if _, err := ap.tx.ExecContext(ap.ctx, `SAVEPOINT `+sp); err != nil {
				return err
			}
			record, err := child.apply([]byte(rr.content), false)
			if err != nil {
				if _, ok := errors.AsType[*domain.Error](err); !ok {
					return err
				}
				// Still not acceptable: leave it for a person.
				if _, err := ap.tx.ExecContext(ap.ctx, `ROLLBACK TO `+sp); err != nil {
					return err
				}
				if _, err := ap.tx.ExecContext(ap.ctx, `RELEASE `+sp); err != nil {
					return err
				}
				continue
			}
			if err := child.decide(seq, wire.DecisionAccept, record, child.ledger, 0); err != nil {
				return err
			}
			if err := audit(ap.ctx, ap.tx, wire.AuditEntry{At: ap.at, Actor: ap.actor, Action: wire.AuditReviewAccept,
				Target: fmt.Sprintf("revisión %d (%s %s)", seq, rr.item.Kind, rr.item.RecordID), Reason: child.reason,
				Detail: "aceptado en cascada"}); err != nil {
				return err
			}
			if _, err := ap.tx.ExecContext(ap.ctx, `RELEASE `+sp); err != nil {
				return err
			}
			ap.cascaded++
			ap.touched = append(ap.touched, child.touched...)
		}
	}
	return nil
}
