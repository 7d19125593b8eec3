package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/storage/participants"
)

// ParticipantOptions tune and settle the import of a participants report.
// Participants are named in Assign, Ignore and WalkIns by their email, their
// display name or Zoom's original name, as written in the report (case,
// accents and punctuation do not matter).
type ParticipantOptions struct {
	// MinShare or MinMinutes replace the session's threshold when set.
	MinShare   float64
	MinMinutes int
	// Assign maps a participant to the DNI of a roster person.
	Assign map[string]string
	// Ignore leaves participants out: devices, hosts, the instructor.
	Ignore []string
	// WalkIns adds participants who are not on the roster as walk-ins.
	WalkIns map[string]domain.Person
}

// MatchKind says how a participant was matched to the roster.
type MatchKind string

// How participants are matched, in the order they are tried.
const (
	ByAssign     MatchKind = "assigned"   // settled by hand
	ByWalkIn     MatchKind = "walk_in"    // added as a walk-in by hand
	ByEmail      MatchKind = "email"      // the roster's email
	ByRemembered MatchKind = "remembered" // an email settled by hand before
	ByDNI        MatchKind = "dni"        // a DNI or CUIL in the name or a DNI column
	ByName       MatchKind = "name"       // the full name of exactly one person
)

// Candidate is a roster person a participant may be, with a confidence in
// (0, 1): a shared or partial name is never matched on its own.
type Candidate struct {
	Person     domain.Person `json:"person"`
	Confidence float64       `json:"confidence"`
}

// ParticipantLine is one participant of a report and what matching found.
type ParticipantLine struct {
	participants.Participant
	Person     *domain.Person `json:"person,omitempty"` // the matched person
	By         MatchKind      `json:"by,omitempty"`
	Candidates []Candidate    `json:"candidates,omitempty"`
	Ignored    bool           `json:"ignored,omitempty"`
	Status     domain.Status  `json:"status,omitempty"` // presente or ausente, once matched
	// FoundDNI is a DNI read from the name or a DNI column that is not on
	// the roster, to pre-fill a walk-in.
	FoundDNI string `json:"found_dni,omitempty"`
}

// Settled reports whether the line needs nothing more from a person.
func (l ParticipantLine) Settled() bool { return l.Person != nil || l.Ignored }

// Change kinds of a ParticipantChange.
const (
	ChangeAdded   = "added"   // a new attendance
	ChangeUpdated = "updated" // minutes or status changed
	ChangeDropped = "dropped" // taken from an earlier report, not in this one: now ausente
	ChangeInRoom  = "in_room" // checked in in the room: left as it is
)

// ParticipantChange is what storing a report does to one attendance.
type ParticipantChange struct {
	Kind       string        `json:"kind"`
	Person     domain.Person `json:"person"`
	OldStatus  domain.Status `json:"old_status,omitempty"`
	Status     domain.Status `json:"status"`
	OldMinutes int           `json:"old_minutes,omitempty"`
	Minutes    int           `json:"minutes"`
	WalkIn     bool          `json:"walk_in,omitempty"` // added to the roster from the report
}

// ParticipantsResult is a report matched against the roster: what storing
// it does (Preview) or did (Import).
type ParticipantsResult struct {
	Format          participants.Format `json:"format"`
	Required        int                 `json:"required_minutes"` // connected minutes needed to be present
	Lines           []ParticipantLine   `json:"lines"`
	Matched         int                 `json:"matched"` // lines matched to a person
	Present         int                 `json:"present"` // people present
	BelowThreshold  int                 `json:"below_threshold"`
	Changes         []ParticipantChange `json:"changes"`
	Stored          bool                `json:"stored"`
	requiredSeconds int
}

// Unmatched returns the lines not matched nor ignored, candidates included.
func (r *ParticipantsResult) Unmatched() []ParticipantLine {
	var out []ParticipantLine
	for _, l := range r.Lines {
		if !l.Settled() {
			out = append(out, l)
		}
	}
	return out
}

// PreviewParticipants matches a report's participants to the roster and
// says what importing it would change, storing nothing. The session must
// be virtual or hybrid and open.
func (s *Store) PreviewParticipants(ctx context.Context, sessionID string, rep *participants.Report, opt ParticipantOptions) (*ParticipantsResult, error) {
	var res *ParticipantsResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.participants(ctx, tx, sessionID, rep, opt)
		if err == nil {
			err = errPreview
		}
		return err
	})
	if errors.Is(err, errPreview) {
		err = nil
	}
	return res, err
}

// errPreview rolls back a preview's transaction.
var errPreview = errors.New("preview")

// ImportParticipants matches a report's participants to the roster and
// stores their attendance in one transaction: matched people reaching the
// threshold are presente, the others ausente, each with their connected
// minutes. Importing the same report again changes nothing; a corrected
// report updates the attendances an earlier report made (Changes says
// which). Emails settled by hand are remembered for the next report. The
// session must be virtual or hybrid and open; nothing is stored on error.
func (s *Store) ImportParticipants(ctx context.Context, sessionID string, rep *participants.Report, opt ParticipantOptions) (*ParticipantsResult, error) {
	var res *ParticipantsResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if res, err = s.participants(ctx, tx, sessionID, rep, opt); err != nil {
			return err
		}
		if err := s.storeParticipants(ctx, tx, sessionID, res); err != nil {
			return err
		}
		res.Stored = true
		return s.logEvent(ctx, tx, "participants.import", "session", sessionID,
			fmt.Sprintf("%s: %d participantes, %d cambios", rep.Format, len(rep.Participants), len(res.Changes)))
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// participants matches and measures a report inside tx and lists the
// changes storing it makes, without storing.
func (s *Store) participants(ctx context.Context, tx *sql.Tx, sessionID string, rep *participants.Report, opt ParticipantOptions) (*ParticipantsResult, error) {
	if err := s.openSession(ctx, tx, sessionID); err != nil {
		return nil, err
	}
	si, err := s.sessionTx(ctx, tx, sessionID)
	if err != nil {
		return nil, err
	}
	if !si.Modality.Online() {
		return nil, invalid("session_presencial", "modalidad", "La sesión es presencial: el informe de participantes se carga en sesiones virtuales o híbridas.")
	}
	sess := si.Session
	if opt.MinShare != 0 || opt.MinMinutes != 0 {
		sess.MinShare, sess.MinMinutes = opt.MinShare, opt.MinMinutes
		if !(opt.MinShare >= 0 && opt.MinShare <= 1) || opt.MinMinutes < 0 || opt.MinShare != 0 && opt.MinMinutes != 0 {
			return nil, invalid("threshold", "mínimo", "Indicá el mínimo como proporción entre 0 y 1 (--min-share 0.75) o como minutos (--min-minutes 90), no los dos.")
		}
	}
	res := &ParticipantsResult{Format: rep.Format, requiredSeconds: sess.RequiredSeconds()}
	res.Required = (res.requiredSeconds + 59) / 60
	m, err := newMatcher(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer m.close()
	res.Lines = make([]ParticipantLine, len(rep.Participants))
	for i, p := range rep.Participants {
		res.Lines[i] = ParticipantLine{Participant: p}
	}
	if err := settleByHand(ctx, tx, m, res.Lines, opt); err != nil {
		return nil, err
	}
	for i := range res.Lines {
		if l := &res.Lines[i]; !l.Settled() {
			if err := m.match(l); err != nil {
				return nil, err
			}
		}
	}
	res.measure()
	res.Changes, err = s.participantChanges(ctx, tx, sessionID, res)
	return res, err
}

// settleByHand applies the options' assignments, walk-ins and ignores.
// Each must name a participant of the report and a valid person.
func settleByHand(ctx context.Context, tx *sql.Tx, m *matcher, lines []ParticipantLine, opt ParticipantOptions) error {
	find := func(flag, key string) ([]int, error) {
		var at []int
		k := domain.Fold(key)
		for i, l := range lines {
			if strings.EqualFold(strings.TrimSpace(key), l.Email) && l.Email != "" ||
				k != "" && (k == domain.Fold(l.Name) || k == domain.Fold(l.OriginalName) ||
					k == domain.Fold(l.Name+" ("+l.OriginalName+")")) {
				at = append(at, i)
			}
		}
		if len(at) == 0 {
			return nil, invalid("participant_unknown", flag, "Ningún participante del informe se llama %q ni tiene ese correo: copialo como aparece en la lista de no encontrados.", key)
		}
		return at, nil
	}
	for _, key := range opt.Ignore {
		at, err := find("ignorar", key)
		if err != nil {
			return err
		}
		for _, i := range at {
			lines[i].Ignored = true
		}
	}
	for key, dni := range opt.Assign {
		at, err := find("asignar", key)
		if err != nil {
			return err
		}
		d, err := domain.NormalizeDNI(dni)
		if err != nil {
			if cuil, cerr := domain.ParseCUIL(dni); cerr == nil {
				d, err = domain.CUILDNI(cuil), nil
			}
		}
		if err != nil {
			return invalid("dni", "asignar", "El DNI %q asignado a %q no es válido: escribí de 7 a 8 dígitos.", dni, key)
		}
		p, err := m.person(d)
		if err != nil {
			return err
		}
		if p == nil {
			return invalid("dni_unknown", "asignar", "El DNI asignado a %q no está en el padrón: agregá a la persona como asistente sin inscripción previa.", key)
		}
		for _, i := range at {
			lines[i].Person, lines[i].By, lines[i].Ignored = p, ByAssign, false
		}
	}
	for key, p := range opt.WalkIns {
		at, err := find("sin inscripción", key)
		if err != nil {
			return err
		}
		if err := domain.ValidatePerson(&p); err != nil {
			return err
		}
		known, err := m.person(p.DNI)
		if err != nil {
			return err
		}
		by := ByWalkIn
		if known != nil {
			p, by = *known, ByAssign // already on the roster: keep the stored data
		} else {
			p.WalkIn = true
		}
		for _, i := range at {
			pp := p
			lines[i].Person, lines[i].By, lines[i].Ignored = &pp, by, false
		}
	}
	return nil
}

// measure merges the lines matched to one person (two devices, two
// names) and sets each one's status against the threshold.
func (r *ParticipantsResult) measure() {
	byDNI := map[string][]int{}
	var order []string
	for i, l := range r.Lines {
		if l.Person == nil || l.Ignored {
			continue
		}
		r.Matched++
		if _, ok := byDNI[l.Person.DNI]; !ok {
			order = append(order, l.Person.DNI)
		}
		byDNI[l.Person.DNI] = append(byDNI[l.Person.DNI], i)
	}
	for _, dni := range order {
		at := byDNI[dni]
		secs := personSeconds(r.Lines, at)
		st := domain.Ausente
		if secs >= r.requiredSeconds && secs > 0 {
			st = domain.Presente
			r.Present++
		} else {
			r.BelowThreshold++
		}
		for _, i := range at {
			r.Lines[i].Status = st
		}
	}
}

// personSeconds is the connected time of the lines of one person: the
// union of their intervals when all have them, else the sum.
func personSeconds(lines []ParticipantLine, at []int) int {
	if len(at) == 1 {
		return lines[at[0]].Seconds
	}
	var ivs []participants.Interval
	sum := 0
	timed := true
	for _, i := range at {
		sum += lines[i].Seconds
		if len(lines[i].Intervals) == 0 {
			timed = false
		}
		ivs = append(ivs, lines[i].Intervals...)
	}
	if !timed {
		return sum
	}
	return participants.Connected(ivs)
}

// reportAttendance is an attendance of the session as a report sees it.
type reportAttendance struct {
	id      string
	status  domain.Status
	minutes sql.NullInt64
	person  domain.Person
}

// participantChanges compares the matched people with the session's
// attendances.
func (s *Store) participantChanges(ctx context.Context, tx *sql.Tx, sessionID string, res *ParticipantsResult) ([]ParticipantChange, error) {
	existing, err := sessionAttendances(ctx, tx, sessionID)
	if err != nil {
		return nil, err
	}
	var out []ParticipantChange
	seen := map[string]bool{}
	for _, dni := range res.people() {
		seen[dni] = true
		i := res.lineOf(dni)
		l := res.Lines[i]
		mins := personSeconds(res.Lines, res.linesOf(dni)) / 60
		c := ParticipantChange{Person: *l.Person, Status: l.Status, Minutes: mins, WalkIn: l.By == ByWalkIn}
		old, ok := existing[dni]
		switch {
		case !ok:
			c.Kind = ChangeAdded
		case !old.minutes.Valid:
			c.Kind, c.OldStatus, c.Status = ChangeInRoom, old.status, old.status
		case old.status != l.Status || int(old.minutes.Int64) != mins:
			c.Kind, c.OldStatus, c.OldMinutes = ChangeUpdated, old.status, int(old.minutes.Int64)
		default:
			continue
		}
		out = append(out, c)
	}
	for dni, old := range existing {
		if seen[dni] || !old.minutes.Valid || old.status == domain.Ausente && old.minutes.Int64 == 0 {
			continue
		}
		out = append(out, ParticipantChange{Kind: ChangeDropped, Person: old.person, OldStatus: old.status,
			Status: domain.Ausente, OldMinutes: int(old.minutes.Int64)})
	}
	slices.SortStableFunc(out, func(a, b ParticipantChange) int {
		return strings.Compare(a.Person.Surname+" "+a.Person.GivenNames, b.Person.Surname+" "+b.Person.GivenNames)
	})
	return out, nil
}

// people returns the matched DNIs in report order.
func (r *ParticipantsResult) people() []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range r.Lines {
		if l.Person != nil && !l.Ignored && !seen[l.Person.DNI] {
			seen[l.Person.DNI] = true
			out = append(out, l.Person.DNI)
		}
	}
	return out
}

func (r *ParticipantsResult) linesOf(dni string) []int {
	var at []int
	for i, l := range r.Lines {
		if l.Person != nil && !l.Ignored && l.Person.DNI == dni {
			at = append(at, i)
		}
	}
	return at
}

func (r *ParticipantsResult) lineOf(dni string) int { return r.linesOf(dni)[0] }

func sessionAttendances(ctx context.Context, tx *sql.Tx, sessionID string) (map[string]reportAttendance, error) {
	list, err := sqlitex.Collect(ctx, tx, nil, func(sc sqlitex.Scanner) (reportAttendance, error) {
		var a reportAttendance
		var walkIn int
		p := &a.person
		err := sc.Scan(&a.id, &a.status, &a.minutes, &p.DNI, &p.CUIL, &p.Surname, &p.GivenNames, &p.Agency,
			&p.Email, &p.Province, &p.Sex, &p.Birth, &walkIn)
		p.WalkIn = walkIn != 0
		return a, err
	}, `SELECT t.id, t.status, t.minutes, `+prefixCols("p.", personCols)+`
		FROM attendances t JOIN people p ON p.dni = t.dni WHERE t.session_id = ?`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("session attendances: %w", err)
	}
	out := make(map[string]reportAttendance, len(list))
	for _, a := range list {
		out[a.person.DNI] = a
	}
	return out, nil
}

// storeParticipants writes res.Changes and remembers emails settled by hand.
func (s *Store) storeParticipants(ctx context.Context, tx *sql.Tx, sessionID string, res *ParticipantsResult) error {
	existing, err := sessionAttendances(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	now := sqlitex.Stamp(s.now())
	for _, c := range res.Changes {
		switch c.Kind {
		case ChangeAdded:
			method := domain.Import
			if c.WalkIn {
				if err := s.addWalkIn(ctx, tx, c.Person); err != nil {
					return err
				}
				method = domain.WalkIn
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO attendances(id, session_id, dni, status, at, method, minutes)
				VALUES (?,?,?,?,?,?,?)`, domain.NewID(), sessionID, c.Person.DNI, c.Status, now, method, c.Minutes); err != nil {
				return fmt.Errorf("add attendance: %w", err)
			}
		case ChangeUpdated, ChangeDropped:
			if _, err := tx.ExecContext(ctx, `UPDATE attendances SET status = ?, minutes = ? WHERE id = ?`,
				c.Status, c.Minutes, existing[c.Person.DNI].id); err != nil {
				return fmt.Errorf("update attendance: %w", err)
			}
		}
	}
	for _, l := range res.Lines {
		if l.Email == "" || l.Person == nil || l.Ignored || (l.By != ByAssign && l.By != ByWalkIn) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO participant_emails(email, dni, updated_at) VALUES (?,?,?)
			ON CONFLICT(email) DO UPDATE SET dni = excluded.dni, updated_at = excluded.updated_at`, l.Email, l.Person.DNI, now); err != nil {
			return fmt.Errorf("remember email: %w", err)
		}
	}
	return nil
}

// addWalkIn adds a person settled as a walk-in, unless already added.
func (s *Store) addWalkIn(ctx context.Context, tx *sql.Tx, p domain.Person) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM people WHERE dni = ?`, p.DNI).Scan(&n); err != nil || n > 0 {
		return err
	}
	return s.savePerson(ctx, tx, &p)
}

// matcher looks participants up in the roster with prepared statements.
type matcher struct {
	ctx                                  context.Context
	email, remembered, dni, given, named *sql.Stmt
	givenPrefix, namePrefix              *sql.Stmt
}

func newMatcher(ctx context.Context, tx *sql.Tx) (*matcher, error) {
	m := &matcher{ctx: ctx}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&m.email, `SELECT ` + personCols + ` FROM people WHERE email = ? COLLATE NOCASE LIMIT 5`},
		{&m.remembered, `SELECT ` + prefixCols("p.", personCols) + ` FROM participant_emails e JOIN people p ON p.dni = e.dni WHERE e.email = ?`},
		{&m.dni, `SELECT ` + personCols + ` FROM people WHERE dni = ?`},
		{&m.given, `SELECT ` + personCols + ` FROM people WHERE given_key = ? LIMIT 5`},
		{&m.named, `SELECT ` + personCols + ` FROM people WHERE name_key = ? LIMIT 5`},
		{&m.givenPrefix, `SELECT ` + personCols + ` FROM people WHERE given_key >= ? AND given_key < ? ORDER BY given_key LIMIT 5`},
		{&m.namePrefix, `SELECT ` + personCols + ` FROM people WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT 5`},
	} {
		st, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			m.close()
			return nil, fmt.Errorf("prepare matching: %w", err)
		}
		*p.st = st
	}
	return m, nil
}

func (m *matcher) close() {
	for _, st := range []*sql.Stmt{m.email, m.remembered, m.dni, m.given, m.named, m.givenPrefix, m.namePrefix} {
		if st != nil {
			st.Close()
		}
	}
}

func (m *matcher) people(st *sql.Stmt, args ...any) ([]domain.Person, error) {
	rows, err := st.QueryContext(m.ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("match participants: %w", err)
	}
	defer rows.Close()
	var out []domain.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// person returns the person with that DNI, nil when not on the roster.
func (m *matcher) person(dni string) (*domain.Person, error) {
	ps, err := m.people(m.dni, dni)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

// match tries, in order: the email in the roster, an email settled
// before, a DNI or CUIL in the name (or a DNI column), then the full name
// (Zoom's original name first). A shared or partial name gives
// candidates, not a match.
func (m *matcher) match(l *ParticipantLine) error {
	set := func(p domain.Person, by MatchKind) { l.Person, l.By = &p, by }
	if l.Email != "" {
		ps, err := m.people(m.email, l.Email)
		if err != nil {
			return err
		}
		if len(ps) == 1 {
			set(ps[0], ByEmail)
			return nil
		}
		if rs, err := m.people(m.remembered, l.Email); err != nil || len(rs) == 1 {
			if err == nil {
				set(rs[0], ByRemembered)
			}
			return err
		}
		for _, p := range ps { // an email several people share
			l.Candidates = append(l.Candidates, Candidate{Person: p, Confidence: 1 / float64(len(ps))})
		}
	}
	for _, dni := range dnisIn(l.DNI, l.Name, l.OriginalName) {
		p, err := m.person(dni)
		if err != nil {
			return err
		}
		if p != nil {
			set(*p, ByDNI)
			return nil
		}
		l.FoundDNI = dni
	}
	for _, name := range []string{l.OriginalName, l.Name} {
		key := domain.Fold(stripDNI(name))
		if strings.Count(key, " ") < 1 {
			continue // one word is never a full name
		}
		ps, err := m.exact(key)
		if err != nil {
			return err
		}
		if len(ps) == 1 {
			set(ps[0], ByName)
			l.Candidates = nil
			return nil
		}
		for _, p := range ps {
			l.addCandidate(p, 1/float64(len(ps)))
		}
	}
	if len(l.Candidates) == 0 {
		return m.partial(l)
	}
	return nil
}

// exact returns the people whose full name, given names first or surname
// first, is key.
func (m *matcher) exact(key string) ([]domain.Person, error) {
	a, err := m.people(m.given, key)
	if err != nil {
		return nil, err
	}
	b, err := m.people(m.named, key)
	if err != nil {
		return nil, err
	}
	for _, p := range b {
		if !slices.ContainsFunc(a, func(q domain.Person) bool { return q.DNI == p.DNI }) {
			a = append(a, p)
		}
	}
	return a, nil
}

// partial lists people whose name starts with the participant's name in
// either order ("Juan Pérez" for PÉREZ GÓMEZ, Juan Carlos), as candidates.
func (m *matcher) partial(l *ParticipantLine) error {
	for _, name := range []string{l.OriginalName, l.Name} {
		words := strings.Fields(domain.Fold(stripDNI(name)))
		if len(words) < 2 {
			continue
		}
		given := strings.Join(words, " ")
		surnameFirst := words[len(words)-1] + " " + strings.Join(words[:len(words)-1], " ")
		for _, q := range []struct {
			st  *sql.Stmt
			key string
		}{{m.givenPrefix, given}, {m.namePrefix, surnameFirst}, {m.namePrefix, given}} {
			ps, err := m.people(q.st, q.key, q.key+maxKey)
			if err != nil {
				return err
			}
			for _, p := range ps {
				l.addCandidate(p, 0.9*overlap(words, p))
			}
		}
	}
	slices.SortStableFunc(l.Candidates, func(a, b Candidate) int {
		switch {
		case a.Confidence > b.Confidence:
			return -1
		case a.Confidence < b.Confidence:
			return 1
		}
		return 0
	})
	return nil
}

func (l *ParticipantLine) addCandidate(p domain.Person, conf float64) {
	for i, c := range l.Candidates {
		if c.Person.DNI == p.DNI {
			l.Candidates[i].Confidence = max(c.Confidence, conf)
			return
		}
	}
	l.Candidates = append(l.Candidates, Candidate{Person: p, Confidence: conf})
}

// overlap is the share of the words of the longer of a name and a
// person's full name that both have.
func overlap(words []string, p domain.Person) float64 {
	theirs := strings.Fields(domain.Fold(p.GivenNames + " " + p.Surname))
	common := 0
	for _, w := range words {
		if slices.Contains(theirs, w) {
			common++
		}
	}
	return float64(common) / float64(max(len(words), len(theirs)))
}

// dniRE finds a DNI ("20123456", "20.123.456") or a CUIL ("20-20123456-3")
// written into a display name.
var dniRE = regexp.MustCompile(`\b\d{2}-?\d{1,2}\.?\d{3}\.?\d{3}-?\d\b|\b\d{1,2}\.?\d{3}\.?\d{3}\b`)

// dnisIn returns the DNIs a DNI column and names hold, in order.
func dnisIn(dni string, names ...string) []string {
	var out []string
	if dni != "" {
		out = append(out, dni)
	}
	for _, n := range names {
		for _, m := range dniRE.FindAllString(n, -1) {
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, m)
			if len(digits) == 11 {
				if cuil, err := domain.ParseCUIL(digits); err == nil {
					out = append(out, domain.CUILDNI(cuil))
				}
				continue
			}
			if d, err := domain.NormalizeDNI(digits); err == nil && !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// stripDNI removes DNIs and CUILs from a name ("Juan Pérez - 20123456").
func stripDNI(name string) string { return dniRE.ReplaceAllString(name, " ") }

// ParticipantsDay returns when a session starts, in Argentina's time, for
// reading its report (participants.Parse).
func ParticipantsDay(s domain.Session) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s.Date+" "+s.Start, participants.Argentina)
	if err != nil {
		t, _ = time.ParseInLocation("2006-01-02", s.Date, participants.Argentina)
	}
	return t
}
