package registry

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Ledger entry kinds.
const (
	EntryCredit   = "credit"
	EntryReversal = "reversal"
)

// LedgerEntry is one entry of a person's ledger.
type LedgerEntry struct {
	ID           int64     `json:"id"`
	DNI          string    `json:"dni"`
	ActivityCode string    `json:"activity_code"`
	Activity     string    `json:"activity"` // the activity's title
	SessionID    string    `json:"session_id,omitempty"`
	SessionDate  string    `json:"session_date,omitempty"`
	Year         int       `json:"year"`
	Points       int       `json:"points"`
	Kind         string    `json:"kind"` // EntryCredit or EntryReversal
	Reverses     int64     `json:"reverses,omitempty"`
	RuleVersion  string    `json:"rule_version"`
	Reason       string    `json:"reason,omitempty"`
	BatchID      string    `json:"batch_id,omitempty"`
	DeviceID     string    `json:"device_id,omitempty"`
	Actor        string    `json:"actor,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

const ledgerQuery = `SELECT l.id, l.dni, l.activity_code, coalesce(a.title, ''), l.session_id, coalesce(s.date, ''), l.year,
	l.points, l.kind, coalesce(l.reverses, 0), l.rule_version, l.reason, l.batch_id, l.device_id, l.actor, l.created_at
	FROM ledger l LEFT JOIN activities a ON a.code = l.activity_code LEFT JOIN sessions s ON s.id = l.session_id `

func scanEntry(sc interface{ Scan(...any) error }) (LedgerEntry, error) {
	var e LedgerEntry
	var created string
	err := sc.Scan(&e.ID, &e.DNI, &e.ActivityCode, &e.Activity, &e.SessionID, &e.SessionDate, &e.Year, &e.Points,
		&e.Kind, &e.Reverses, &e.RuleVersion, &e.Reason, &e.BatchID, &e.DeviceID, &e.Actor, &created)
	e.CreatedAt = parseStamp(created)
	return e, err
}

// Ledger returns a person's ledger entries for a calendar year (every year
// when year is 0), oldest first.
func (s *Store) Ledger(ctx context.Context, dni string, year int) ([]LedgerEntry, error) {
	q, args := ledgerQuery+`WHERE l.dni = ?`, []any{dni}
	if year != 0 {
		q, args = q+` AND l.year = ?`, append(args, year)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY l.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []LedgerEntry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Reverse appends a reversal of the credit entryID: a new entry with the
// opposite points, by actor, for reason. Nothing is deleted. It returns an
// error wrapping domain.ErrNotFound for an unknown entry, and a
// *domain.Error when the entry is not a credit or was reversed already.
func (s *Store) Reverse(ctx context.Context, entryID int64, actor, reason string) (LedgerEntry, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return LedgerEntry{}, &domain.Error{Code: domain.CodeRequired, Text: "Escribí el motivo de la reversión."}
	}
	var out LedgerEntry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		e, err := scanEntry(tx.QueryRowContext(ctx, ledgerQuery+`WHERE l.id = ?`, entryID))
		if err != nil {
			return noRows(err, "ledger entry")
		}
		if e.Kind != EntryCredit {
			return &domain.Error{Code: "not_a_credit", Text: "Solo se puede revertir un crédito."}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO ledger(dni, activity_code, session_id, year, points, kind, reverses,
			rule_version, reason, actor, created_at) VALUES (?,?,?,?,?,'reversal',?,?,?,?,?) ON CONFLICT DO NOTHING`,
			e.DNI, e.ActivityCode, e.SessionID, e.Year, -e.Points, e.ID, e.RuleVersion, reason, actor, stamp(s.now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &domain.Error{Code: "already_reversed", Text: "Ese crédito ya fue revertido."}
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		out, err = scanEntry(tx.QueryRowContext(ctx, ledgerQuery+`WHERE l.id = ?`, id))
		return err
	})
	if err != nil {
		return LedgerEntry{}, fmt.Errorf("reverse: %w", err)
	}
	return out, nil
}

// Certificate returns what the registry knows of a certificate; see
// server.Store.
func (s *Store) Certificate(ctx context.Context, code string) (wire.CertificateCheck, error) {
	c := wire.CertificateCheck{Protocol: wire.Protocol, Status: wire.CertGenuine}
	var issued string
	var revoked sql.NullString
	var surname, given, dni string
	var year int
	err := s.db.QueryRowContext(ctx, `SELECT c.code, c.kind, c.issued_at, c.revoked_at, c.revoke_reason,
		p.surname, p.given_names, p.dni, a.code, a.title, s.date, s.year
		FROM certificates c JOIN attendances t ON t.id = c.attendance_id JOIN people p ON p.dni = t.dni
		JOIN sessions s ON s.id = t.session_id JOIN activities a ON a.code = s.activity_code
		WHERE c.code = ?`, code).Scan(&c.Code, &c.Kind, &issued, &revoked, &c.RevokeReason,
		&surname, &given, &dni, &c.ActivityCode, &c.Activity, &c.Date, &year)
	if err != nil {
		return wire.CertificateCheck{}, noRows(err, "certificate")
	}
	c.Name = domain.Person{Surname: surname, GivenNames: given}.FullName()
	c.IssuedAt = parseStamp(issued)
	if revoked.Valid {
		c.Status, c.RevokedAt = wire.CertRevoked, parseStamp(revoked.String)
	}
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(sum(points), 0) FROM ledger WHERE dni = ? AND activity_code = ? AND year = ?`,
		dni, c.ActivityCode, year).Scan(&c.Points)
	return c, err
}

// RevokeCertificate marks a certificate revoked, now, for reason; its
// verification page then says so. Revoking twice keeps the first time.
func (s *Store) RevokeCertificate(ctx context.Context, code, reason string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE certificates SET revoked_at = coalesce(revoked_at, ?),
		revoke_reason = CASE WHEN revoked_at IS NULL THEN ? ELSE revoke_reason END WHERE code = ?`,
		stamp(s.now()), reason, code)
	if err != nil {
		return fmt.Errorf("revoke certificate: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("certificate")
	}
	return nil
}

// Counts are record counts by outcome.
type Counts struct {
	Accepted  int `json:"accepted"`
	Duplicate int `json:"duplicate"`
	Conflict  int `json:"conflict"`
	Rejected  int `json:"rejected"`
}

// Stats are the registry's totals.
type Stats struct {
	Attendances  Counts         `json:"attendances"` // outcomes of attendance records received
	Sessions     Counts         `json:"sessions"`
	People       int            `json:"people"` // roster and accepted walk-ins
	WalkIns      int            `json:"walk_ins"`
	Activities   int            `json:"activities"`
	Batches      int            `json:"batches"`
	Devices      int            `json:"devices"` // enrolled, not revoked
	Certificates int            `json:"certificates"`
	Points       int            `json:"points"`         // net points in the ledger
	Entries      int            `json:"ledger_entries"` // ledger entries
	Review       int            `json:"review"`         // conflicts and rejections awaiting staff
	Flags        map[string]int `json:"flags"`          // batches per flag
}

// Stats returns the registry's totals.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Flags: map[string]int{}}
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM people), (SELECT count(*) FROM people WHERE walk_in = 1),
		(SELECT count(*) FROM activities), (SELECT count(*) FROM batches),
		(SELECT count(*) FROM devices WHERE revoked_at IS NULL), (SELECT count(*) FROM certificates),
		(SELECT coalesce(sum(points), 0) FROM ledger), (SELECT count(*) FROM ledger),
		(SELECT count(*) FROM review WHERE resolved_at IS NULL)`).Scan(&st.People, &st.WalkIns, &st.Activities,
		&st.Batches, &st.Devices, &st.Certificates, &st.Points, &st.Entries, &st.Review)
	if err != nil {
		return st, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT kind, result, sum(n) FROM outcome_counts GROUP BY kind, result`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, result string
		var n int
		if err := rows.Scan(&kind, &result, &n); err != nil {
			return st, err
		}
		var c *Counts
		switch kind {
		case wire.KindAttendance:
			c = &st.Attendances
		case wire.KindSession:
			c = &st.Sessions
		default:
			continue
		}
		switch result {
		case wire.Accepted:
			c.Accepted = n
		case wire.Duplicate:
			c.Duplicate = n
		case wire.Conflict:
			c.Conflict = n
		case wire.Rejected:
			c.Rejected = n
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	frows, err := s.db.QueryContext(ctx, `SELECT flags FROM batches WHERE flags != ''`)
	if err != nil {
		return st, err
	}
	defer frows.Close()
	for frows.Next() {
		var f string
		if err := frows.Scan(&f); err != nil {
			return st, err
		}
		for _, x := range strings.Split(f, ",") {
			st.Flags[x]++
		}
	}
	return st, frows.Err()
}
