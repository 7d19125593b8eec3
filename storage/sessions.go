package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

const sessionCols = `id, activity_code, date, start_time, end_time, province, municipality, venue,
	instructor, modality, state, closed_at, created_at, sync_state, sync_code, sync_message,
	platform, link, min_share, min_minutes`

// SessionInfo is a session with what lists show about it.
type SessionInfo struct {
	domain.Session
	ActivityTitle string `json:"activity_title"`
	Attendees     int    `json:"attendees"`
	SyncState     string `json:"sync_state"`
	SyncCode      string `json:"sync_code,omitempty"`
	SyncMessage   string `json:"sync_message,omitempty"`
}

func scanSession(sc sqlitex.Scanner) (SessionInfo, error) {
	var si SessionInfo
	var closedAt sql.NullString
	var created string
	err := sc.Scan(&si.ID, &si.ActivityCode, &si.Date, &si.Start, &si.End, &si.Province, &si.Municipality,
		&si.Venue, &si.Instructor, &si.Modality, &si.State, &closedAt, &created, &si.SyncState, &si.SyncCode, &si.SyncMessage,
		&si.Platform, &si.Link, &si.MinShare, &si.MinMinutes)
	if closedAt.Valid {
		t := sqlitex.ParseStamp(closedAt.String)
		si.ClosedAt = &t
	}
	si.CreatedAt = sqlitex.ParseStamp(created)
	return si, err
}

// CreateSession validates a new session, gives it an ID and stores it open.
// Province and municipality are matched to the official lists when they
// are there (giving the canonical spelling) and kept as typed otherwise.
// With no modality, a session of a virtual catalog activity is virtual.
func (s *Store) CreateSession(ctx context.Context, in domain.Session) (domain.Session, error) {
	if in.Modality == "" {
		if a, err := s.Activity(ctx, strings.TrimSpace(in.ActivityCode)); err == nil && a.Type == domain.Virtual {
			in.Modality = domain.Remote
		}
	}
	if err := s.validateSession(ctx, &in); err != nil {
		return in, err
	}
	in.ID = domain.NewID()
	in.State = domain.Open
	in.CreatedAt = s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions(id, activity_code, date, start_time, end_time,
			province, municipality, venue, instructor, modality, state, created_at, platform, link, min_share, min_minutes)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			in.ID, in.ActivityCode, in.Date, in.Start, in.End, in.Province, in.Municipality, in.Venue,
			in.Instructor, in.Modality, in.State, sqlitex.Stamp(in.CreatedAt), in.Platform, in.Link, in.MinShare, in.MinMinutes); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return s.logEvent(ctx, tx, "session.create", "session", in.ID, in.ActivityCode)
	})
	return in, err
}

func invalid(code, field, msg string, args ...any) error {
	return &domain.Error{Code: code, Field: field, Text: fmt.Sprintf(msg, args...)}
}

func (s *Store) validateSession(ctx context.Context, in *domain.Session) error {
	return domain.ValidateSession(in, func(code string) error {
		_, err := s.Activity(ctx, code)
		return err
	}, officialPlaces{})
}

// officialPlaces finds places in the official lists (storage/geo).
type officialPlaces struct{}

func (officialPlaces) Province(s string) (name, id string, ok bool) {
	p, ok := geo.FindProvince(s)
	return p.Name, p.ID, ok
}

func (officialPlaces) Municipality(provinceID, s string) (string, bool) {
	return geo.FindMunicipality(provinceID, s)
}

// Session returns a session by its ID or by a unique prefix of it of at
// least 6 characters (as a person may type from a printed list).
func (s *Store) Session(ctx context.Context, id string) (SessionInfo, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 6 {
		return SessionInfo{}, invalid("session_id", "sesión", "El ID de sesión %q es demasiado corto: usá al menos 6 caracteres (ver «puntos session list»).", id)
	}
	return s.sessionBy(ctx, s.db, id)
}

func (s *Store) sessionTx(ctx context.Context, tx *sql.Tx, id string) (SessionInfo, error) {
	return s.sessionBy(ctx, tx, id)
}

func (s *Store) sessionBy(ctx context.Context, q queryer, id string) (SessionInfo, error) {
	list, err := querySessions(ctx, q, `WHERE s.id >= ? AND s.id < ? LIMIT 2`, id, id+maxKey)
	if err != nil {
		return SessionInfo{}, err
	}
	switch len(list) {
	case 0:
		return SessionInfo{}, notFound(fmt.Sprintf("No hay ninguna sesión con el ID %q: revisá «puntos session list».", id))
	case 2:
		return SessionInfo{}, invalid("session_ambiguous", "sesión", "Hay más de una sesión que empieza con %q: escribí más caracteres del ID.", id)
	}
	return list[0], nil
}

// SessionFilter narrows Sessions.
type SessionFilter string

// Session filters.
const (
	AllSessions     SessionFilter = ""
	OpenSessions    SessionFilter = "open"
	ClosedSessions  SessionFilter = "closed"
	WaitingSessions SessionFilter = "waiting" // closed, not yet acknowledged by the registry
)

// Sessions lists sessions: today's first, then the rest newest first.
func (s *Store) Sessions(ctx context.Context, f SessionFilter) ([]SessionInfo, error) {
	where := ""
	switch f {
	case OpenSessions:
		where = `WHERE s.state = 'open'`
	case ClosedSessions:
		where = `WHERE s.state = 'closed'`
	case WaitingSessions:
		where = `WHERE s.state = 'closed' AND s.sync_state IN ('pending','in_flight')`
	}
	return querySessions(ctx, s.db, where+` ORDER BY s.date = ? DESC, s.date DESC, s.start_time DESC`, s.today())
}

// queryer is a *sql.DB or a *sql.Tx.
type queryer = sqlitex.Querier

func querySessions(ctx context.Context, q queryer, tail string, args ...any) ([]SessionInfo, error) {
	out, err := sqlitex.Collect(ctx, q, nil, func(sc sqlitex.Scanner) (SessionInfo, error) {
		var title string
		var n int
		si, err := scanSession(scanAppend{sc, []any{&title, &n}})
		si.ActivityTitle, si.Attendees = title, n
		return si, err
	}, `SELECT `+prefixCols("s.", sessionCols)+`, coalesce(a.title, ''),
		(SELECT count(*) FROM attendances t WHERE t.session_id = s.id)
		FROM sessions s LEFT JOIN activities a ON a.code = s.activity_code `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return out, nil
}

// scanAppend lets a row scanner take extra trailing columns.
type scanAppend struct {
	sc    sqlitex.Scanner
	extra []any
}

func (a scanAppend) Scan(dest ...any) error { return a.sc.Scan(append(dest, a.extra...)...) }

func prefixCols(p, cols string) string {
	fields := strings.Split(cols, ",")
	for i, f := range fields {
		fields[i] = p + strings.TrimSpace(f)
	}
	return strings.Join(fields, ", ")
}

// CountWaiting returns how many closed sessions wait to be synced.
func (s *Store) CountWaiting(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx,
		`SELECT count(*) FROM sessions WHERE state = 'closed' AND sync_state IN ('pending','in_flight')`).Scan(&n)
	return n, err
}

// Attendee is an attendance with the person's data, for lists and sheets.
type Attendee struct {
	domain.Attendance
	Person domain.Person `json:"person"`
}

// Attendees lists a session's attendances by surname.
func (s *Store) Attendees(ctx context.Context, sessionID string) ([]Attendee, error) {
	return attendees(ctx, s.db, sessionID)
}

func attendees(ctx context.Context, q queryer, sessionID string) ([]Attendee, error) {
	out, err := sqlitex.Collect(ctx, q, nil, scanAttendee, `SELECT t.id, t.session_id, t.dni, t.status, t.at, t.method, t.minutes, `+
		prefixCols("p.", personCols)+` FROM attendances t JOIN people p ON p.dni = t.dni
		WHERE t.session_id = ? ORDER BY p.name_key`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("list attendees: %w", err)
	}
	return out, nil
}

// scanAttendee scans an attendance's columns followed by personCols.
func scanAttendee(sc sqlitex.Scanner) (Attendee, error) {
	var a Attendee
	var at string
	var walkIn int
	var minutes sql.NullInt64
	p := &a.Person
	err := sc.Scan(&a.ID, &a.SessionID, &a.DNI, &a.Status, &at, &a.Method, &minutes,
		&p.DNI, &p.CUIL, &p.Surname, &p.GivenNames, &p.Agency, &p.Email, &p.Province, &p.Sex, &p.Birth, &walkIn)
	a.At = sqlitex.ParseStamp(at)
	p.WalkIn = walkIn != 0
	if minutes.Valid {
		m := int(minutes.Int64)
		a.Minutes = &m
	}
	return a, err
}

// UnknownPersonError says a check-in named someone not on the roster. It
// carries what is known (a DNI, and the scan when there was one) so a
// walk-in can be offered pre-filled.
type UnknownPersonError struct {
	DNI  string
	Scan *domain.DNIScan
}

func (e *UnknownPersonError) Error() string {
	return "La persona no está en el padrón: agregala como asistente sin inscripción previa."
}

// Is makes errors.Is(err, domain.ErrNotFound) true.
func (e *UnknownPersonError) Is(target error) bool { return target == domain.ErrNotFound }

// AmbiguousError says a name matched several people.
type AmbiguousError struct{ Matches []domain.Person }

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("El nombre coincide con %d personas: escribí el DNI o más letras del nombre.", len(e.Matches))
}

// CheckInResult tells what a check-in did.
type CheckInResult struct {
	Attendance domain.Attendance `json:"attendance"`
	Person     domain.Person     `json:"person"`
	Already    bool              `json:"already"` // was already checked in; nothing changed
	Created    bool              `json:"walk_in"` // the person was created from a scan
}

// CheckInOptions tune CheckIn.
type CheckInOptions struct {
	Status domain.Status // presente when empty
	// WalkInFromScan creates a person not on the roster from a scan.
	WalkInFromScan bool
}

// CheckIn records attendance from what was typed or scanned: a DNI, a
// CUIL, a DNI barcode or a name that matches one person. It returns an
// *UnknownPersonError when the person is not on the roster (unless a scan
// and opts.WalkInFromScan), an *AmbiguousError for a name matching several
// people, and an error wrapping domain.ErrClosed for a closed session.
func (s *Store) CheckIn(ctx context.Context, sessionID, input string, opts CheckInOptions) (CheckInResult, error) {
	in, err := domain.ClassifyInput(input)
	if err != nil {
		return CheckInResult{}, err
	}
	method := domain.Typed
	var dni string
	switch in.Kind {
	case domain.InputDNI, domain.InputCUIL:
		dni = in.DNI
	case domain.InputScan:
		method, dni = domain.Scan, in.Scan.DNI
	case domain.InputName:
		ps, err := s.FindPeople(ctx, in.Query, 5)
		if err != nil {
			return CheckInResult{}, err
		}
		switch len(ps) {
		case 0:
			return CheckInResult{}, invalid("name_not_found", "", "Nadie en el padrón coincide con %q: probá con el DNI.", in.Query)
		case 1:
			method, dni = domain.Search, ps[0].DNI
		default:
			return CheckInResult{}, &AmbiguousError{Matches: ps}
		}
	}
	p, err := s.Person(ctx, dni)
	if errors.Is(err, domain.ErrNotFound) {
		if in.Kind != domain.InputScan || !opts.WalkInFromScan {
			return CheckInResult{}, &UnknownPersonError{DNI: dni, Scan: in.Scan}
		}
		return s.WalkIn(ctx, sessionID, PersonFromScan(*in.Scan))
	}
	if err != nil {
		return CheckInResult{}, err
	}
	return s.Mark(ctx, sessionID, p.DNI, opts.Status, method)
}

// PersonFromScan makes a person from the data on a DNI barcode.
func PersonFromScan(sc domain.DNIScan) domain.Person {
	return domain.Person{DNI: sc.DNI, CUIL: sc.CUIL, Surname: sc.Surname, GivenNames: sc.GivenNames, Sex: sc.Sex, Birth: sc.Birth}
}

// WalkIn adds a person who is not on the roster (or updates them, if a
// walk-in form names a known DNI) and checks them in as a walk-in.
func (s *Store) WalkIn(ctx context.Context, sessionID string, p domain.Person) (CheckInResult, error) {
	if err := domain.ValidatePerson(&p); err != nil {
		return CheckInResult{}, err
	}
	p.WalkIn = true
	var res CheckInResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.openSession(ctx, tx, sessionID); err != nil {
			return err
		}
		known, err := scanPerson(tx.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`, p.DNI))
		if err == nil {
			// Already on the roster: keep the stored data, just check in.
			res, err = s.mark(ctx, tx, sessionID, known, domain.Presente, domain.Typed)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := s.savePerson(ctx, tx, &p); err != nil {
			return err
		}
		res, err = s.mark(ctx, tx, sessionID, p, domain.Presente, domain.WalkIn)
		res.Created = err == nil
		return err
	})
	return res, err
}

// Mark checks in a person already on the roster. Checking in someone
// already there changes nothing and reports Already.
func (s *Store) Mark(ctx context.Context, sessionID, dni string, status domain.Status, method domain.Method) (CheckInResult, error) {
	var res CheckInResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.openSession(ctx, tx, sessionID); err != nil {
			return err
		}
		p, err := scanPerson(tx.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`, dni))
		if errors.Is(err, sql.ErrNoRows) {
			return &UnknownPersonError{DNI: dni}
		}
		if err != nil {
			return err
		}
		res, err = s.mark(ctx, tx, sessionID, p, status, method)
		return err
	})
	return res, err
}

func (s *Store) mark(ctx context.Context, tx *sql.Tx, sessionID string, p domain.Person, status domain.Status, method domain.Method) (CheckInResult, error) {
	if status == "" {
		status = domain.Presente
	}
	res := CheckInResult{Person: p}
	var at string
	err := tx.QueryRowContext(ctx, `SELECT id, status, at, method FROM attendances WHERE session_id = ? AND dni = ?`,
		sessionID, p.DNI).Scan(&res.Attendance.ID, &res.Attendance.Status, &at, &res.Attendance.Method)
	if err == nil {
		res.Already = true
		res.Attendance.SessionID, res.Attendance.DNI, res.Attendance.At = sessionID, p.DNI, sqlitex.ParseStamp(at)
		return res, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return res, err
	}
	res.Attendance = domain.Attendance{ID: domain.NewID(), SessionID: sessionID, DNI: p.DNI, Status: status, At: s.now(), Method: method}
	if _, err := tx.ExecContext(ctx, `INSERT INTO attendances(id, session_id, dni, status, at, method) VALUES (?,?,?,?,?,?)`,
		res.Attendance.ID, sessionID, p.DNI, status, sqlitex.Stamp(res.Attendance.At), method); err != nil {
		return res, fmt.Errorf("check in: %w", err)
	}
	return res, s.logEvent(ctx, tx, "attendance.add", "attendance", res.Attendance.ID, string(status)+" "+string(method))
}

// openSession fails unless the session exists and is open.
func (s *Store) openSession(ctx context.Context, tx *sql.Tx, id string) error {
	var state string
	err := tx.QueryRowContext(ctx, `SELECT state FROM sessions WHERE id = ?`, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("La sesión no existe.")
	}
	if err != nil {
		return err
	}
	if state != string(domain.Open) {
		return closedError{}
	}
	return nil
}

// closedError says a session is closed; errors.Is finds domain.ErrClosed.
type closedError struct{}

func (closedError) Error() string {
	return "La sesión está cerrada: ya no admite cambios (cerrada es de solo lectura)."
}

func (closedError) Is(target error) bool { return target == domain.ErrClosed }

// sessionOfAttendance returns the session an attendance belongs to.
func sessionOfAttendance(ctx context.Context, tx *sql.Tx, id string) (string, error) {
	var sid string
	err := tx.QueryRowContext(ctx, `SELECT session_id FROM attendances WHERE id = ?`, id).Scan(&sid)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Esa asistencia ya no existe: actualizá la lista.")
	}
	return sid, err
}

// SetStatus changes an attendance's status while its session is open.
func (s *Store) SetStatus(ctx context.Context, attendanceID string, status domain.Status) error {
	if !status.Valid() {
		return invalid("status", "estado", "Estado %q no válido: usá presente, tarde, justificado o ausente.", status)
	}
	return s.changeAttendance(ctx, attendanceID, "attendance.status", string(status),
		`UPDATE attendances SET status = ? WHERE id = ?`, status, attendanceID)
}

// RemoveAttendance deletes a mistaken check-in while its session is open.
func (s *Store) RemoveAttendance(ctx context.Context, attendanceID string) error {
	return s.changeAttendance(ctx, attendanceID, "attendance.remove", "",
		`DELETE FROM attendances WHERE id = ?`, attendanceID)
}

// changeAttendance runs stmt on an attendance while its session is open
// and logs it as event with detail, in one transaction.
func (s *Store) changeAttendance(ctx context.Context, attendanceID, event, detail, stmt string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		sid, err := sessionOfAttendance(ctx, tx, attendanceID)
		if err != nil {
			return err
		}
		if err := s.openSession(ctx, tx, sid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
			return err
		}
		return s.logEvent(ctx, tx, event, "attendance", attendanceID, detail)
	})
}

// Summary counts a session's attendances.
type Summary struct {
	Total       int `json:"total"`
	Presente    int `json:"presente"`
	Tarde       int `json:"tarde"`
	Justificado int `json:"justificado"`
	Ausente     int `json:"ausente"`
	WalkIns     int `json:"walk_ins"`
}

// SessionSummary counts a session's attendances by status and walk-ins.
func (s *Store) SessionSummary(ctx context.Context, sessionID string) (Summary, error) {
	var sum Summary
	err := s.db.QueryRowContext(ctx, `SELECT count(*),
		coalesce(sum(status = 'presente'), 0), coalesce(sum(status = 'tarde'), 0),
		coalesce(sum(status = 'justificado'), 0), coalesce(sum(status = 'ausente'), 0),
		coalesce(sum(method = 'walk-in'), 0)
		FROM attendances WHERE session_id = ?`, sessionID).
		Scan(&sum.Total, &sum.Presente, &sum.Tarde, &sum.Justificado, &sum.Ausente, &sum.WalkIns)
	return sum, err
}

// CloseSession closes an open session: from then on it is read-only and
// it and its attendances are pending for sync.
func (s *Store) CloseSession(ctx context.Context, id string) (Summary, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.openSession(ctx, tx, id); err != nil {
			return err
		}
		now := sqlitex.Stamp(s.now())
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET state = 'closed', closed_at = ?, sync_state = 'pending' WHERE id = ?`, now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE attendances SET sync_state = 'pending' WHERE session_id = ?`, id); err != nil {
			return err
		}
		return s.logEvent(ctx, tx, "session.close", "session", id, "")
	})
	if err != nil {
		return Summary{}, err
	}
	return s.SessionSummary(ctx, id)
}

// today returns the store's current date as YYYY-MM-DD.
func (s *Store) today() string { return s.Now().In(domain.Argentina).Format("2006-01-02") }
