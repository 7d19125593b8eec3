package registry

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
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
	e.CreatedAt = sqlitex.ParseStamp(created)
	return e, err
}

// Ledger returns a person's ledger entries for a calendar year (every year
// when year is 0), oldest first.
func (s *Store) Ledger(ctx context.Context, dni string, year int) ([]LedgerEntry, error) {
	q, args := ledgerQuery+`WHERE l.dni = ?`, []any{dni}
	if year != 0 {
		q, args = q+` AND l.year = ?`, append(args, year)
	}
	return sqlitex.Collect(ctx, s.db, []LedgerEntry{}, scanEntry, q+` ORDER BY l.id`, args...)
}

// Certificate returns what the registry knows of a certificate; see
// server.Store.
func (s *Store) Certificate(ctx context.Context, code string) (wire.CertificateCheck, error) {
	c := wire.CertificateCheck{Protocol: wire.Protocol, Status: wire.CertGenuine}
	var issued, received string
	var revoked sql.NullString
	var surname, given, dni string
	var year int
	err := s.db.QueryRowContext(ctx, `SELECT c.code, c.kind, c.issued_at, c.received_at, c.revoked_at, c.revoke_reason,
		p.surname, p.given_names, p.dni, a.code, a.title, s.date, s.year
		FROM certificates c JOIN attendances t ON t.id = c.attendance_id JOIN people p ON p.dni = t.dni
		JOIN sessions s ON s.id = t.session_id JOIN activities a ON a.code = s.activity_code
		WHERE c.code = ?`, code).Scan(&c.Code, &c.Kind, &issued, &received, &revoked, &c.RevokeReason,
		&surname, &given, &dni, &c.ActivityCode, &c.Activity, &c.Date, &year)
	if err != nil {
		return wire.CertificateCheck{}, noRows(err, "certificate")
	}
	c.Name = domain.Person{Surname: surname, GivenNames: given}.FullName()
	c.IssuedAt, c.ReceivedAt = sqlitex.ParseStamp(issued), sqlitex.ParseStamp(received)
	if revoked.Valid {
		c.Status, c.RevokedAt = wire.CertRevoked, sqlitex.ParseStamp(revoked.String)
	}
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(sum(points), 0) FROM ledger WHERE dni = ? AND activity_code = ? AND year = ?`,
		dni, c.ActivityCode, year).Scan(&c.Points)
	return c, err
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
