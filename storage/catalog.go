package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

// ActivityColumns are the columns of a catalog activity, in the order
// ScanActivity reads them; the device's and the registry's activities
// tables both have them.
const ActivityColumns = `code, title, type, hours, points, sessions, threshold, rule_version`

// ScanActivity scans a row of ActivityColumns into an activity.
func ScanActivity(sc interface{ Scan(...any) error }) (domain.Activity, error) {
	var a domain.Activity
	err := sc.Scan(&a.Code, &a.Title, &a.Type, &a.Hours, &a.Points, &a.Sessions, &a.Threshold, &a.RuleVersion)
	return a, err
}

// ImportCatalog reads a catalog CSV and adds or updates activities in one
// transaction. Rejected rows are listed in the report.
func (s *Store) ImportCatalog(ctx context.Context, r io.Reader, progress Progress) (ImportReport, error) {
	var rep ImportReport
	rd, err := csvin.NewCatalogReader(r)
	if err != nil {
		return rep, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := ImportRows(&rep, rd.NextActivity, func(a domain.Activity) (added, changed bool, err error) {
			changed, added, err = s.saveActivity(ctx, tx, a)
			if err == nil && progress != nil {
				progress(rd.Progress())
			}
			return added, changed, err
		}); err != nil {
			return err
		}
		rep.Skipped = rd.Skipped()
		return s.logEvent(ctx, tx, "catalog.import", "activities", "",
			fmt.Sprintf("added=%d updated=%d unchanged=%d rejected=%d", rep.Added, rep.Updated, rep.Unchanged, len(rep.Rejects)))
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import catalog: %w", err)
	}
	return rep, nil
}

// SaveActivity validates and adds or updates one catalog activity.
func (s *Store) SaveActivity(ctx context.Context, a domain.Activity) error {
	if err := domain.ValidateActivity(&a); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, _, err := s.saveActivity(ctx, tx, a)
		return err
	})
}

func (s *Store) saveActivity(ctx context.Context, tx *sql.Tx, a domain.Activity) (changed, added bool, err error) {
	old, err := ScanActivity(tx.QueryRowContext(ctx, `SELECT `+ActivityColumns+` FROM activities WHERE code = ?`, a.Code))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		added = true
	case err != nil:
		return false, false, err
	case old == a:
		return false, false, nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO activities(`+ActivityColumns+`, search_key, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(code) DO UPDATE SET title=excluded.title, type=excluded.type, hours=excluded.hours,
		points=excluded.points, sessions=excluded.sessions, threshold=excluded.threshold,
		rule_version=excluded.rule_version, search_key=excluded.search_key, updated_at=excluded.updated_at`,
		a.Code, a.Title, a.Type, a.Hours, a.Points, a.Sessions, a.Threshold, a.RuleVersion,
		domain.Fold(a.Code+" "+a.Title), stamp(s.now()))
	if err != nil {
		return false, false, fmt.Errorf("save activity %s: %w", a.Code, err)
	}
	return true, added, s.logEvent(ctx, tx, "activity.save", "activity", a.Code, "")
}

// Activity returns the catalog activity with that code, or an error
// wrapping domain.ErrNotFound.
func (s *Store) Activity(ctx context.Context, code string) (domain.Activity, error) {
	a, err := ScanActivity(s.db.QueryRowContext(ctx, `SELECT `+ActivityColumns+` FROM activities WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return a, &domain.Error{Code: "activity_unknown", Field: "actividad",
			Text: fmt.Sprintf("La actividad %q no está en el catálogo: importá el catálogo o revisá el código.", code)}
	}
	return a, err
}

// Activities returns the catalog sorted by title; with a non-empty query,
// only activities whose folded code and title contain the folded query.
func (s *Store) Activities(ctx context.Context, query string, limit int) ([]domain.Activity, error) {
	if limit <= 0 {
		limit = -1
	}
	pattern := "%" + likeEscape(domain.Fold(query)) + "%"
	rows, err := s.db.QueryContext(ctx, `SELECT `+ActivityColumns+` FROM activities
		WHERE search_key LIKE ? ESCAPE '\' ORDER BY title, code LIMIT ?`, pattern, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Activity
	for rows.Next() {
		a, err := ScanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
