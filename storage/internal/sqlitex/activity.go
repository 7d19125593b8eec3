package sqlitex

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
)

// ActivityColumns are the columns of a catalog activity, in the order
// ScanActivity reads them; the device's and the registry's activities
// tables both have them.
const ActivityColumns = `code, title, type, hours, points, sessions, threshold, rule_version`

// ScanActivity scans a row of ActivityColumns into an activity.
func ScanActivity(sc Scanner) (domain.Activity, error) {
	var a domain.Activity
	err := sc.Scan(&a.Code, &a.Title, &a.Type, &a.Hours, &a.Points, &a.Sessions, &a.Threshold, &a.RuleVersion)
	return a, err
}

// ActivitySaver adds or updates catalog activities in a store's
// activities table, writing along more columns of its own.
type ActivitySaver struct {
	upsert string
}

// NewActivitySaver returns a saver that writes, besides ActivityColumns,
// the columns extra names (comma-separated, e.g. "seq, updated_at").
func NewActivitySaver(extra ...string) ActivitySaver {
	cols := strings.Split(ActivityColumns, ", ")
	set := make([]string, 0, len(cols)-1+len(extra))
	for _, c := range append(cols[1:], extra...) {
		set = append(set, c+"=excluded."+c)
	}
	n := len(cols) + len(extra)
	return ActivitySaver{upsert: `INSERT INTO activities(` + ActivityColumns + `, ` + strings.Join(extra, ", ") + `)
		VALUES (?` + strings.Repeat(",?", n-1) + `) ON CONFLICT(code) DO UPDATE SET ` + strings.Join(set, ", ")}
}

// Save stores a inside tx with the values of the extra columns, unless it
// is stored already exactly so; it reports whether a was new and whether
// it was written (added or changed).
func (s ActivitySaver) Save(ctx context.Context, tx *sql.Tx, a domain.Activity, extra ...any) (added, changed bool, err error) {
	old, err := ScanActivity(tx.QueryRowContext(ctx, `SELECT `+ActivityColumns+` FROM activities WHERE code = ?`, a.Code))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		added = true
	case err != nil:
		return false, false, err
	case old == a:
		return false, false, nil
	}
	args := append([]any{a.Code, a.Title, a.Type, a.Hours, a.Points, a.Sessions, a.Threshold, a.RuleVersion}, extra...)
	if _, err := tx.ExecContext(ctx, s.upsert, args...); err != nil {
		return false, false, fmt.Errorf("save activity %s: %w", a.Code, err)
	}
	return added, true, nil
}
