package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// syncNames folds the names of the people changed since the last search
// into people_names (see the 0002 migration). The first call after a
// large roster import folds it whole; later ones only the changes.
func (s *Store) syncNames(ctx context.Context) error {
	var done, top int64
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT seq FROM people_names_seq), (SELECT coalesce(max(seq), 0) FROM people)`).
		Scan(&done, &top); err != nil {
		return err
	}
	if top <= done {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		// Read again under the write lock (on PostgreSQL, the names lock):
		// another search, on this instance or another, may have done it.
		if err := s.lock(ctx, tx, "names", ""); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT seq FROM people_names_seq`).Scan(&done); err != nil {
			return err
		}
		if done == 0 {
			return buildNames(ctx, tx)
		}
		// Read the changes first: a connection runs one statement at a time.
		type changed struct{ dni, surname, given string }
		var people []changed
		last := done
		rows, err := tx.QueryContext(ctx, `SELECT dni, surname, given_names, seq FROM people WHERE seq > ? ORDER BY seq`, done)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p changed
			if err := rows.Scan(&p.dni, &p.surname, &p.given, &last); err != nil {
				rows.Close()
				return err
			}
			people = append(people, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		del, err := tx.PrepareContext(ctx, `DELETE FROM people_names WHERE dni = ?`)
		if err != nil {
			return err
		}
		defer del.Close()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO people_names(key, dni) VALUES (?,?), (?,?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, p := range people {
			if _, err := del.ExecContext(ctx, p.dni); err != nil {
				return err
			}
			if _, err := ins.ExecContext(ctx, domain.Fold(p.surname+" "+p.given), p.dni, domain.Fold(p.given+" "+p.surname), p.dni); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE people_names_seq SET seq = ?`, last)
		return err
	})
}

// buildNames folds every person's names into an empty people_names
// inside tx: sorted in Go and appended in key order, with the DNI index
// built after, which is several times faster than inserting a national
// roster's names one by one.
func buildNames(ctx context.Context, tx *sql.Tx) error {
	type pair struct{ key, dni string }
	var pairs []pair
	var last int64
	rows, err := tx.QueryContext(ctx, `SELECT dni, surname, given_names, seq FROM people`)
	if err != nil {
		return err
	}
	f := folder{}
	for rows.Next() {
		var dni, surname, given string
		var seq int64
		if err := rows.Scan(&dni, &surname, &given, &seq); err != nil {
			rows.Close()
			return err
		}
		last = max(last, seq)
		sur, giv := f.fold(surname), f.fold(given)
		pairs = append(pairs, pair{strings.TrimSpace(sur + " " + giv), dni}, pair{strings.TrimSpace(giv + " " + sur), dni})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.key != b.key {
			return strings.Compare(a.key, b.key)
		}
		return strings.Compare(a.dni, b.dni)
	})
	pairs = slices.Compact(pairs)
	if _, err := tx.ExecContext(ctx, `DROP INDEX people_names_dni`); err != nil {
		return err
	}
	const per = 100
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO people_names(key, dni) VALUES `+strings.Repeat("(?,?),", per-1)+`(?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]any, 0, 2*per)
	i := 0
	for ; i+per <= len(pairs); i += per {
		args = args[:0]
		for _, p := range pairs[i : i+per] {
			args = append(args, p.key, p.dni)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	for _, p := range pairs[i:] {
		if _, err := tx.ExecContext(ctx, `INSERT INTO people_names(key, dni) VALUES (?,?)`, p.key, p.dni); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE INDEX people_names_dni ON people_names(dni)`); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE people_names_seq SET seq = ?`, last)
	return err
}

// searchDNI returns the DNI a query names when it is a DNI (dots and
// spaces allowed) or a CUIL, and whether it is only digits (a DNI prefix).
func searchDNI(q string) (dni string, digits bool) {
	d := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == '.' || r == ' ' || r == '-':
			return -1
		}
		return 'x'
	}, q)
	if d == "" || strings.ContainsRune(d, 'x') {
		return "", false
	}
	if len(d) == 11 {
		if cuil, err := domain.ParseCUIL(d); err == nil {
			return domain.CUILDNI(cuil), true
		}
	}
	if n, err := domain.NormalizeDNI(d); err == nil {
		return n, true
	}
	return "", true
}

// FindPeople finds people by DNI, CUIL or name; see server.StaffStore.
func (s *Store) FindPeople(ctx context.Context, q string, year, limit int, scope wire.StaffScope) ([]wire.StaffPerson, error) {
	q = strings.TrimSpace(q)
	limit = min(max(limit, 1), 200)
	out := []wire.StaffPerson{}
	if q == "" {
		return out, nil
	}
	var dnis []string
	dni, digits := searchDNI(q)
	switch {
	case dni != "" && len(dni) == 8:
		dnis = []string{dni}
	case digits:
		// A DNI, or its first digits: a 7-digit DNI is also the start of
		// ten 8-digit ones, listed after it.
		d := dni
		if d == "" {
			d = strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, q)
		}
		if len(d) < 4 {
			return out, nil
		}
		var err error
		dnis, err = queryStrings(ctx, s.db, `SELECT dni FROM people WHERE dni >= ? AND dni < ? ORDER BY length(dni), dni LIMIT ?`, d, d+":", limit*4)
		if err != nil {
			return nil, err
		}
	default:
		key := domain.Fold(q)
		if len(key) < 2 {
			return out, nil
		}
		if err := s.syncNames(ctx); err != nil {
			return nil, fmt.Errorf("find people: %w", err)
		}
		found, err := queryStrings(ctx, s.db, `SELECT dni FROM people_names WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
			key, key+"\U0010FFFF", limit*4)
		if err != nil {
			return nil, err
		}
		for _, v := range found {
			if !slices.Contains(dnis, v) {
				dnis = append(dnis, v)
			}
		}
	}
	for _, d := range dnis {
		if len(out) == limit {
			break
		}
		var provID string
		var sp wire.StaffPerson
		err := s.db.QueryRowContext(ctx, `SELECT `+personCols+`, province_id,
			(SELECT coalesce(sum(points), 0) FROM ledger WHERE dni = people.dni AND year = ?) FROM people WHERE dni = ?`, year, d).
			Scan(&sp.DNI, &sp.CUIL, &sp.Surname, &sp.GivenNames, &sp.Agency, &sp.Email, &sp.Province, &sp.Sex, &sp.Birth, &sp.WalkIn,
				&provID, &sp.Points)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !scope.All() && provID != scope.ProvinceID {
			continue
		}
		out = append(out, sp)
	}
	return out, nil
}

const ledgerLineQuery = `SELECT l.id, l.dni, l.year, l.points, l.kind, coalesce(l.reverses, 0),
	coalesce((SELECT r.id FROM ledger r WHERE r.kind = 'reversal' AND r.reverses = l.id), 0),
	l.activity_code, coalesce(a.title, ''), coalesce(a.type, ''), coalesce(a.hours, 0), l.session_id, coalesce(s.date, ''),
	coalesce(s.municipality, ''), coalesce(s.province, ''), l.rule_version, l.reason, l.batch_id, l.device_id,
	coalesce(d.name, ''), coalesce(d.office, ''), l.actor, l.created_at
	FROM ledger l LEFT JOIN activities a ON a.code = l.activity_code LEFT JOIN sessions s ON s.id = l.session_id
	LEFT JOIN devices d ON d.id = l.device_id `

func scanLedgerLine(sc interface{ Scan(...any) error }) (wire.LedgerLine, error) {
	var l wire.LedgerLine
	var created string
	err := sc.Scan(&l.ID, &l.DNI, &l.Year, &l.Points, &l.Kind, &l.Reverses, &l.ReversedBy, &l.ActivityCode, &l.Activity,
		&l.ActivityType, &l.Hours, &l.SessionID, &l.SessionDate, &l.Municipality, &l.Province, &l.RuleVersion, &l.Reason,
		&l.BatchID, &l.DeviceID, &l.DeviceName, &l.Office, &l.Actor, &created)
	l.CreatedAt = sqlitex.ParseStamp(created)
	return l, err
}

// ledgerLine returns one ledger entry with its provenance.
func ledgerLine(ctx context.Context, q queryer, id int64) (wire.LedgerLine, error) {
	l, err := scanLedgerLine(q.QueryRowContext(ctx, ledgerLineQuery+`WHERE l.id = ?`, id))
	return l, noRows(err, "ledger entry")
}

// personInScope returns the person with that DNI if scope sees them.
func (s *Store) personInScope(ctx context.Context, q queryer, dni string, scope wire.StaffScope) (domain.Person, error) {
	var provID string
	p, err := scanPerson2(q.QueryRowContext(ctx, `SELECT `+personCols+`, province_id FROM people WHERE dni = ?`, dni), &provID)
	if err != nil {
		return p, noRows(err, "person")
	}
	if !scope.All() && provID != scope.ProvinceID {
		return domain.Person{}, notFound("person")
	}
	return p, nil
}

func scanPerson2(sc interface{ Scan(...any) error }, provID *string) (domain.Person, error) {
	var p domain.Person
	err := sc.Scan(&p.DNI, &p.CUIL, &p.Surname, &p.GivenNames, &p.Agency, &p.Email, &p.Province, &p.Sex, &p.Birth, &p.WalkIn, provID)
	return p, err
}

// PersonLedger returns a person's ledger by year and certificates; see
// server.StaffStore.
func (s *Store) PersonLedger(ctx context.Context, dni string, scope wire.StaffScope) (wire.PersonLedger, error) {
	p, err := s.personInScope(ctx, s.db, dni, scope)
	if err != nil {
		return wire.PersonLedger{}, err
	}
	out := wire.PersonLedger{Protocol: wire.Protocol, Person: p, Years: []wire.LedgerYear{}, Certificates: []wire.CertificateCheck{}}
	rows, err := s.db.QueryContext(ctx, ledgerLineQuery+`WHERE l.dni = ? ORDER BY l.year DESC, l.id`, dni)
	if err != nil {
		return out, fmt.Errorf("person ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLedgerLine(rows)
		if err != nil {
			return out, err
		}
		if n := len(out.Years); n == 0 || out.Years[n-1].Year != l.Year {
			out.Years = append(out.Years, wire.LedgerYear{Year: l.Year, Required: domain.RequiredPoints, Entries: []wire.LedgerLine{}})
		}
		y := &out.Years[len(out.Years)-1]
		y.Points += l.Points
		y.Entries = append(y.Entries, l)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	codes, err := queryStrings(ctx, s.db, `SELECT c.code FROM certificates c JOIN attendances a ON a.id = c.attendance_id
		WHERE a.dni = ? ORDER BY c.issued_at, c.code`, dni)
	if err != nil {
		return out, err
	}
	for _, c := range codes {
		cc, err := s.Certificate(ctx, c)
		if err != nil {
			return out, err
		}
		out.Certificates = append(out.Certificates, cc)
	}
	return out, nil
}

// ReverseEntry appends the reversal of a credit; see server.StaffStore.
func (s *Store) ReverseEntry(ctx context.Context, id int64, scope wire.StaffScope, by wire.StaffAction) (wire.LedgerLine, error) {
	reason := strings.TrimSpace(by.Reason)
	if reason == "" {
		return wire.LedgerLine{}, &domain.Error{Code: domain.CodeRequired, Field: "reason", Text: "Escribí el motivo de la reversión."}
	}
	if err := domain.CheckLen("reason", reason, domain.MaxReason); err != nil {
		return wire.LedgerLine{}, err
	}
	at := s.actionTime(by)
	var out wire.LedgerLine
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Two staff members reversing one entry at once: the second waits,
		// then finds it reversed.
		if err := s.lock(ctx, tx, "entry", strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		e, err := ledgerLine(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.personInScope(ctx, tx, e.DNI, scope); err != nil {
			return notFound("ledger entry")
		}
		// The entry also touches the province of the session it credits.
		if prov, ok, err := sessionProvince(ctx, tx, e.SessionID); err != nil {
			return err
		} else if ok && !scope.Covers(prov) {
			return outOfScope(scope, "Este asiento viene de una sesión que no es de %s")
		}
		if e.Kind != EntryCredit {
			return &domain.Error{Code: wire.CodeInvalidRecord, Text: "Solo se puede revertir un crédito."}
		}
		if e.ReversedBy != 0 {
			return &domain.Error{Code: wire.CodeInvalidRecord, Text: "Ese crédito ya fue revertido."}
		}
		var rid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO ledger(dni, activity_code, session_id, year, points, kind, reverses,
			rule_version, reason, batch_id, device_id, actor, created_at) VALUES (?,?,?,?,?,'reversal',?,?,?,?,?,?,?) RETURNING id`,
			e.DNI, e.ActivityCode, e.SessionID, e.Year, -e.Points, e.ID, e.RuleVersion, reason, e.BatchID, e.DeviceID, by.Actor, sqlitex.Stamp(at)).
			Scan(&rid); err != nil {
			return err
		}
		if err := audit(ctx, tx, wire.AuditEntry{At: at, Actor: by.Actor, Action: wire.AuditReverse,
			Target: fmt.Sprintf("asiento %d (%s %d)", e.ID, e.ActivityCode, e.Year), Reason: reason,
			Detail: fmt.Sprintf("reversión %d: %+d puntos", rid, -e.Points)}); err != nil {
			return err
		}
		out, err = ledgerLine(ctx, tx, rid)
		return err
	})
	if err != nil {
		return wire.LedgerLine{}, fmt.Errorf("reverse entry: %w", err)
	}
	return out, nil
}

// RevokeCertificateBy revokes a certificate; see server.StaffStore. The
// scope is the province of the certificate's session.
func (s *Store) RevokeCertificateBy(ctx context.Context, code string, scope wire.StaffScope, by wire.StaffAction) (wire.CertificateCheck, error) {
	reason := strings.TrimSpace(by.Reason)
	if reason == "" {
		return wire.CertificateCheck{}, &domain.Error{Code: domain.CodeRequired, Field: "reason",
			Text: "Escribí el motivo de la revocación: se muestra en la página de verificación."}
	}
	if err := domain.CheckLen("reason", reason, domain.MaxReason); err != nil {
		return wire.CertificateCheck{}, err
	}
	at := s.actionTime(by)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM certificates WHERE code = ?`, code).Scan(&revoked)
		if err != nil {
			return noRows(err, "certificate")
		}
		if prov, _, err := certificateProvince(ctx, tx, code); err != nil {
			return err
		} else if !scope.Covers(prov) {
			return notFound("certificate")
		}
		if revoked.Valid {
			return nil // the first revocation stands
		}
		if _, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE code = ?`,
			sqlitex.Stamp(at), reason, code); err != nil {
			return err
		}
		return audit(ctx, tx, wire.AuditEntry{At: at, Actor: by.Actor, Action: wire.AuditRevoke, Target: code, Reason: reason})
	})
	if err != nil {
		return wire.CertificateCheck{}, fmt.Errorf("revoke certificate: %w", err)
	}
	return s.Certificate(ctx, code)
}
