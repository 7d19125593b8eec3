package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
)

const activityCols = `code, title, type, hours, points, sessions, threshold, rule_version`

func scanActivity(sc interface{ Scan(...any) error }) (domain.Activity, error) {
	var a domain.Activity
	err := sc.Scan(&a.Code, &a.Title, &a.Type, &a.Hours, &a.Points, &a.Sessions, &a.Threshold, &a.RuleVersion)
	return a, err
}

const personCols = `dni, cuil, surname, given_names, agency, email, province, sex, birth, walk_in`

func scanPerson(sc interface{ Scan(...any) error }) (domain.Person, error) {
	var p domain.Person
	err := sc.Scan(&p.DNI, &p.CUIL, &p.Surname, &p.GivenNames, &p.Agency, &p.Email, &p.Province, &p.Sex, &p.Birth, &p.WalkIn)
	return p, err
}

// provinceOf returns the official name and INDEC code of the province a
// person's text names, or the text and "" when it names none.
func provinceOf(s string) (name, id string) {
	if p, ok := geo.FindProvince(s); ok {
		return p.Name, p.ID
	}
	return s, ""
}

// ImportReport tells what a catalog or roster import did.
type ImportReport struct {
	Added     int            `json:"added"`
	Updated   int            `json:"updated"`
	Unchanged int            `json:"unchanged"`
	Skipped   int            `json:"skipped"` // repeated identical rows in the file
	Rejects   []RejectedLine `json:"rejected"`
}

// RejectedLine is a row of a CSV file that was not imported.
type RejectedLine struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Reason  string `json:"reason"`
	Message string `json:"message"` // the whole sentence: "línea 12, DNI: …"
}

func (rep *ImportReport) reject(e *csvin.RowError) {
	rep.Rejects = append(rep.Rejects, RejectedLine{Line: e.Line, Field: e.Field, Reason: e.Err.Error(), Message: e.Error()})
}

// ImportCatalog reads a catalog CSV with the device's rules (csvin) and
// adds or updates activities in one transaction; a changed activity takes
// a new change sequence so devices pull it again.
func (s *Store) ImportCatalog(ctx context.Context, r io.Reader) (ImportReport, error) {
	rep := ImportReport{Rejects: []RejectedLine{}}
	rd, err := csvin.NewCatalogReader(r)
	if err != nil {
		return rep, err
	}
	now := stamp(s.now())
	err = s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx, "activities")
		if err != nil {
			return err
		}
		for {
			a, _, err := rd.NextActivity()
			if errors.Is(err, io.EOF) {
				break
			}
			if rowErr, ok := errors.AsType[*csvin.RowError](err); ok {
				rep.reject(rowErr)
				continue
			}
			if err != nil {
				return err
			}
			old, err := scanActivity(tx.QueryRowContext(ctx, `SELECT `+activityCols+` FROM activities WHERE code = ?`, a.Code))
			switch {
			case errors.Is(err, sql.ErrNoRows):
				rep.Added++
			case err != nil:
				return err
			case old == a:
				rep.Unchanged++
				continue
			default:
				rep.Updated++
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO activities(`+activityCols+`, seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)
				ON CONFLICT(code) DO UPDATE SET title=excluded.title, type=excluded.type, hours=excluded.hours,
				points=excluded.points, sessions=excluded.sessions, threshold=excluded.threshold,
				rule_version=excluded.rule_version, seq=excluded.seq, updated_at=excluded.updated_at`,
				a.Code, a.Title, a.Type, a.Hours, a.Points, a.Sessions, a.Threshold, a.RuleVersion, seq, now); err != nil {
				return fmt.Errorf("save activity: %w", err)
			}
			seq++
		}
		rep.Skipped = rd.Skipped()
		return nil
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import catalog: %w", err)
	}
	return rep, nil
}

// ImportRoster reads a roster CSV with the device's rules (csvin) and adds
// or updates people in one transaction. The roster is authoritative: a
// walk-in found in it becomes a roster person. Sex and birth date, which
// rosters do not carry, are kept.
func (s *Store) ImportRoster(ctx context.Context, r io.Reader) (ImportReport, error) {
	rep := ImportReport{Rejects: []RejectedLine{}}
	rd, err := csvin.NewRosterReader(r)
	if err != nil {
		return rep, err
	}
	now := stamp(s.now())
	err = s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx, "people")
		if err != nil {
			return err
		}
		get, err := tx.PrepareContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`)
		if err != nil {
			return err
		}
		defer get.Close()
		put, err := tx.PrepareContext(ctx, `INSERT INTO people(dni, cuil, surname, given_names, agency, email, province, province_id, seq, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT(dni) DO UPDATE SET cuil=excluded.cuil, surname=excluded.surname, given_names=excluded.given_names,
			agency=excluded.agency, email=excluded.email, province=excluded.province, province_id=excluded.province_id,
			walk_in=0, seq=excluded.seq, updated_at=excluded.updated_at`)
		if err != nil {
			return err
		}
		defer put.Close()
		for n := 0; ; n++ {
			p, _, err := rd.NextPerson()
			if errors.Is(err, io.EOF) {
				break
			}
			if rowErr, ok := errors.AsType[*csvin.RowError](err); ok {
				rep.reject(rowErr)
				continue
			}
			if err != nil {
				return err
			}
			if n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var provID string
			p.Province, provID = provinceOf(p.Province)
			old, err := scanPerson(get.QueryRowContext(ctx, p.DNI))
			switch {
			case errors.Is(err, sql.ErrNoRows):
				rep.Added++
			case err != nil:
				return err
			case !old.WalkIn && old.CUIL == p.CUIL && old.Surname == p.Surname && old.GivenNames == p.GivenNames &&
				old.Agency == p.Agency && old.Email == p.Email && old.Province == p.Province:
				rep.Unchanged++
				continue
			default:
				rep.Updated++
			}
			if _, err := put.ExecContext(ctx, p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, provID, seq, now); err != nil {
				return fmt.Errorf("save person: %w", err)
			}
			seq++
		}
		rep.Skipped = rd.Skipped()
		return nil
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import roster: %w", err)
	}
	return rep, nil
}

// CatalogChanges returns activities changed after the cursor since.
func (s *Store) CatalogChanges(ctx context.Context, since int64, limit int) ([]domain.Activity, int64, bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+activityCols+`, seq FROM activities WHERE seq > ? ORDER BY seq LIMIT ?`, since, limit+1)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	out := []domain.Activity{}
	next, more := since, false
	for rows.Next() {
		if len(out) == limit {
			more = true
			break
		}
		var a domain.Activity
		if err := rows.Scan(&a.Code, &a.Title, &a.Type, &a.Hours, &a.Points, &a.Sessions, &a.Threshold, &a.RuleVersion, &next); err != nil {
			return nil, 0, false, err
		}
		out = append(out, a)
	}
	return out, next, more, rows.Err()
}

// RosterChanges returns people of the province with INDEC code provinceID,
// and people with no known province, changed after the cursor since.
func (s *Store) RosterChanges(ctx context.Context, provinceID string, since int64, limit int) ([]domain.Person, int64, bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+personCols+`, seq FROM people
		WHERE seq > ? AND province_id IN (?, '') ORDER BY seq LIMIT ?`, since, provinceID, limit+1)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	out := []domain.Person{}
	next, more := since, false
	for rows.Next() {
		if len(out) == limit {
			more = true
			break
		}
		var p domain.Person
		if err := rows.Scan(&p.DNI, &p.CUIL, &p.Surname, &p.GivenNames, &p.Agency, &p.Email, &p.Province, &p.Sex, &p.Birth, &p.WalkIn, &next); err != nil {
			return nil, 0, false, err
		}
		out = append(out, p)
	}
	return out, next, more, rows.Err()
}

// Activity returns the catalog activity with that code.
func (s *Store) Activity(ctx context.Context, code string) (domain.Activity, error) {
	a, err := scanActivity(s.db.QueryRowContext(ctx, `SELECT `+activityCols+` FROM activities WHERE code = ?`, code))
	return a, noRows(err, "activity")
}

// Person returns the person with that DNI.
func (s *Store) Person(ctx context.Context, dni string) (domain.Person, error) {
	p, err := scanPerson(s.db.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`, dni))
	return p, noRows(err, "person")
}
