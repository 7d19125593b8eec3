package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

// activitySaver writes the device's own columns along with an activity:
// the folded text searches match and when it changed.
var activitySaver = sqlitex.NewActivitySaver("search_key", "updated_at")

// ImportCatalog reads a catalog, CSV or Excel workbook (csvin; opts may
// name the sheet), and adds or updates activities in one transaction.
// Rejected rows are listed in the report.
func (s *Store) ImportCatalog(ctx context.Context, r io.Reader, progress Progress, opts ...csvin.Option) (ImportReport, error) {
	var rep ImportReport
	rd, err := csvin.NewCatalogReader(r, append(opts, csvin.Workbooks(s.Workbook))...)
	if err != nil {
		return rep, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := csvin.ImportRows(&rep, rd.NextActivity, func(a domain.Activity) (added, changed bool, err error) {
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
	added, changed, err = activitySaver.Save(ctx, tx, a, domain.Fold(a.Code+" "+a.Title), sqlitex.Stamp(s.now()))
	if err != nil || !changed {
		return changed, added, err
	}
	return true, added, s.logEvent(ctx, tx, "activity.save", "activity", a.Code, "")
}

// Activity returns the catalog activity with that code, or an error
// wrapping domain.ErrNotFound.
func (s *Store) Activity(ctx context.Context, code string) (domain.Activity, error) {
	a, err := sqlitex.ScanActivity(s.db.QueryRowContext(ctx, `SELECT `+sqlitex.ActivityColumns+` FROM activities WHERE code = ?`, code))
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
	return sqlitex.Collect(ctx, s.db, nil, sqlitex.ScanActivity, `SELECT `+sqlitex.ActivityColumns+` FROM activities
		WHERE search_key LIKE ? ESCAPE '\' ORDER BY title, code LIMIT ?`, pattern, limit)
}
