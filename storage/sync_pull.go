package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Cursor returns the stored cursor of a pull feed, "" before the first
// pull.
func (s *Store) Cursor(ctx context.Context, feed string) (string, error) {
	var c string
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM sync_cursors WHERE feed = ?`, feed).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("cursor %s: %w", feed, err)
	}
	return c, nil
}

func setCursor(ctx context.Context, tx *sql.Tx, feed, cursor string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_cursors(feed, cursor, updated_at) VALUES (?,?,?)
		ON CONFLICT(feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
		feed, cursor, sqlitex.Stamp(now))
	return err
}

// ApplyCatalog applies a page of catalog changes and stores its cursor, in
// one transaction: a pull cut short resumes after the last page applied.
// Activities that break the domain rules are skipped.
func (s *Store) ApplyCatalog(ctx context.Context, p *wire.CatalogPage) (wire.PageResult, error) {
	var rep wire.PageResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, a := range p.Activities {
			if err := domain.ValidateActivity(&a); err != nil {
				rep.Skipped++
				continue
			}
			changed, _, err := s.saveActivity(ctx, tx, a)
			if err != nil {
				return err
			}
			if changed {
				rep.Changed++
			}
		}
		return setCursor(ctx, tx, wire.FeedCatalog, p.Next, s.now())
	})
	if err != nil {
		return wire.PageResult{}, fmt.Errorf("apply catalog page: %w", err)
	}
	return rep, nil
}

// ApplyRoster applies a page of roster changes and stores its cursor, in
// one transaction. The registry's data replaces the local data of a known
// person (a walk-in keeps its walk-in mark and sync state). People that
// break the domain rules are skipped.
func (s *Store) ApplyRoster(ctx context.Context, p *wire.RosterPage) (wire.PageResult, error) {
	var rep wire.PageResult
	now := s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO people(`+personCols+`, name_key, given_key, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,0,?,?,?)
			ON CONFLICT(dni) DO UPDATE SET cuil = excluded.cuil, surname = excluded.surname,
			given_names = excluded.given_names, agency = excluded.agency, email = excluded.email,
			province = excluded.province, sex = CASE excluded.sex WHEN '' THEN sex ELSE excluded.sex END,
			birth = CASE excluded.birth WHEN '' THEN birth ELSE excluded.birth END,
			name_key = excluded.name_key, given_key = excluded.given_key, updated_at = excluded.updated_at
			WHERE cuil IS NOT excluded.cuil OR surname IS NOT excluded.surname OR given_names IS NOT excluded.given_names
			OR agency IS NOT excluded.agency OR email IS NOT excluded.email OR province IS NOT excluded.province
			OR (excluded.sex != '' AND sex IS NOT excluded.sex) OR (excluded.birth != '' AND birth IS NOT excluded.birth)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, person := range p.People {
			if err := domain.ValidatePerson(&person); err != nil {
				rep.Skipped++
				continue
			}
			nk, gk := nameKeys(person)
			res, err := st.ExecContext(ctx, person.DNI, person.CUIL, person.Surname, person.GivenNames, person.Agency,
				person.Email, person.Province, person.Sex, person.Birth, nk, gk, sqlitex.Stamp(now))
			if err != nil {
				return fmt.Errorf("save person: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				rep.Changed++
			}
		}
		if err := setCursor(ctx, tx, wire.FeedRoster, p.Next, now); err != nil {
			return err
		}
		if rep.Changed == 0 && rep.Skipped == 0 {
			return nil
		}
		return s.logEvent(ctx, tx, "roster.pull", "people", "", fmt.Sprintf("changed=%d skipped=%d", rep.Changed, rep.Skipped))
	})
	if err != nil {
		return wire.PageResult{}, fmt.Errorf("apply roster page: %w", err)
	}
	return rep, nil
}
