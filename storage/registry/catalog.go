package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/internal/pgsql"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

const personCols = `dni, cuil, surname, given_names, agency, email, province, sex, birth, walk_in`

func scanPerson(sc sqlitex.Scanner) (domain.Person, error) {
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

// ImportReport tells what a catalog or roster import did: the device's
// report, so both ends and their command lines print it alike.
type ImportReport = csvin.ImportReport

// RejectedLine is a row of a CSV file that was not imported.
type RejectedLine = csvin.RejectedLine

// activitySaver writes the registry's own columns along with an activity:
// its change sequence and when it changed.
var activitySaver = sqlitex.NewActivitySaver("seq", "updated_at")

// ImportCatalog reads a catalog, CSV or Excel workbook, with the device's
// rules (csvin; opts may name the sheet) and adds or updates activities in
// one transaction; a changed activity takes a new change sequence so
// devices pull it again.
func (s *Store) ImportCatalog(ctx context.Context, r io.Reader, opts ...csvin.Option) (ImportReport, error) {
	rd, err := csvin.NewCatalogReader(r, append(opts, csvin.Workbooks(s.Workbook))...)
	if err != nil {
		return ImportReport{Rejects: []RejectedLine{}}, err
	}
	now := sqlitex.Stamp(s.now())
	return importCSV(ctx, s, "import catalog", "activities", rd.NextActivity, rd.Skipped,
		func(tx *sql.Tx) (saveFunc[domain.Activity], func(), error) {
			return func(a domain.Activity, seq int64) (added, changed bool, err error) {
				return activitySaver.Save(ctx, tx, a, seq, now)
			}, func() {}, nil
		})
}

// ImportRoster reads a roster, CSV or Excel workbook, with the device's
// rules (csvin; opts may name the sheet) and adds or updates people in one
// transaction. The roster is authoritative: a walk-in found in it becomes
// a roster person. Sex and birth date, which rosters do not carry, are
// kept. Each person added or changed takes the next change sequence, in
// the file's order; on PostgreSQL the rows go in with COPY (copyRoster).
func (s *Store) ImportRoster(ctx context.Context, r io.Reader, opts ...csvin.Option) (ImportReport, error) {
	rd, err := csvin.NewRosterReader(r, append(opts, csvin.Workbooks(s.Workbook))...)
	if err != nil {
		return ImportReport{Rejects: []RejectedLine{}}, err
	}
	now := sqlitex.Stamp(s.now())
	if s.pg {
		return s.copyRoster(ctx, rd, now)
	}
	return importCSV(ctx, s, "import roster", "people", rd.NextPerson, rd.Skipped,
		func(tx *sql.Tx) (saveFunc[domain.Person], func(), error) {
			get, err := tx.PrepareContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`)
			if err != nil {
				return nil, nil, err
			}
			put, err := tx.PrepareContext(ctx, `INSERT INTO people(`+rosterCols+`, seq, updated_at)
				VALUES (?,?,?,?,?,?,?,?,?,?) `+rosterUpsert)
			if err != nil {
				get.Close()
				return nil, nil, err
			}
			n := 0
			return func(p domain.Person, seq int64) (added, changed bool, err error) {
				if n++; n%4096 == 1 {
					if err := ctx.Err(); err != nil {
						return false, false, err
					}
				}
				var provID string
				p.Province, provID = provinceOf(p.Province)
				old, err := scanPerson(get.QueryRowContext(ctx, p.DNI))
				switch {
				case errors.Is(err, sql.ErrNoRows):
					added = true
				case err != nil:
					return false, false, err
				case !old.WalkIn && old.SameRosterData(p):
					return false, false, nil
				}
				if _, err := put.ExecContext(ctx, p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, provID, seq, now); err != nil {
					return false, false, fmt.Errorf("save person: %w", err)
				}
				return added, true, nil
			}, func() { get.Close(); put.Close() }, nil
		})
}

// The columns a roster sets, and how a roster row replaces a person
// already stored (keeping sex and birth date, ending walk-in status).
const (
	rosterCols   = `dni, cuil, surname, given_names, agency, email, province, province_id`
	rosterUpsert = `ON CONFLICT(dni) DO UPDATE SET cuil=excluded.cuil, surname=excluded.surname, given_names=excluded.given_names,
		agency=excluded.agency, email=excluded.email, province=excluded.province, province_id=excluded.province_id,
		walk_in=0, seq=excluded.seq, updated_at=excluded.updated_at`
)

// copyChunk is how many roster rows copyRoster sends in one COPY.
const copyChunk = 20_000

// copyRoster is ImportRoster on PostgreSQL, in one transaction on one
// pgx connection holding the people's "seq" lock throughout. The valid
// rows, numbered in the file's order, go with COPY into a temporary table,
// then one INSERT … SELECT adds the new people and updates those whose
// roster data differ or who were walk-ins, each taking the next change
// sequence in the file's order; unchanged people keep theirs. The first
// roster of a registry, into an empty table (no one else reads or writes
// it meanwhile: writers of people wait for the lock), goes with COPY
// straight into people, whose secondary indexes are built once after.
func (s *Store) copyRoster(ctx context.Context, rd *csvin.Reader, now string) (ImportReport, error) {
	rep := ImportReport{Rejects: []RejectedLine{}}
	err := pgsql.Raw(ctx, s.db, func(conn *pgx.Conn) error {
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, pgsql.Rebind(lockSQL), lockKey("seq", "people")); err != nil {
				return err
			}
			var seq int64
			var first bool
			if err := tx.QueryRow(ctx, nextSeqSQL("people")).Scan(&seq); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM people)`).Scan(&first); err != nil {
				return err
			}
			roster := strings.Split(strings.ReplaceAll(rosterCols, " ", ""), ",")
			target, cols := pgx.Identifier{"roster_in"}, append([]string{"n"}, roster...)
			var restore []string
			if first {
				var err error
				if restore, err = dropForLoad(ctx, tx, "people"); err != nil {
					return err
				}
				target, cols = pgx.Identifier{"people"}, append(roster, "seq", "updated_at")
			} else if _, err := tx.Exec(ctx, `CREATE TEMP TABLE roster_in (n bigint NOT NULL, dni text NOT NULL, cuil text NOT NULL,
				surname text NOT NULL, given_names text NOT NULL, agency text NOT NULL, email text NOT NULL,
				province text NOT NULL, province_id text NOT NULL) ON COMMIT DROP`); err != nil {
				return err
			}
			rows := make([][]any, 0, copyChunk)
			send := func() error {
				if len(rows) == 0 {
					return nil
				}
				_, err := tx.CopyFrom(ctx, target, cols, pgx.CopyFromRows(rows))
				rows = rows[:0]
				return err
			}
			n := 0
			// Every valid row counts as unchanged here; the rows saved are
			// known, and moved to added and updated, at the end.
			err := csvin.ImportRows(&rep, rd.NextPerson, func(p domain.Person) (added, changed bool, err error) {
				n++
				var provID string
				p.Province, provID = provinceOf(p.Province)
				if first {
					rows = append(rows, []any{p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, provID, seq + int64(n) - 1, now})
				} else {
					rows = append(rows, []any{n, p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, provID})
				}
				if len(rows) == copyChunk {
					return false, false, send()
				}
				return false, false, nil
			})
			if err == nil {
				err = send()
			}
			if err != nil {
				return err
			}
			rep.Skipped = rd.Skipped()
			var saved, added int
			if first {
				saved, added = n, n
				restore = append(restore, `ANALYZE people`)
			} else {
				if _, err := tx.Exec(ctx, `ANALYZE roster_in`); err != nil {
					return err
				}
				if err := tx.QueryRow(ctx, `WITH changed AS (
					SELECT r.*, p.dni IS NULL AS added FROM roster_in r LEFT JOIN people p ON p.dni = r.dni
					WHERE p.dni IS NULL OR p.walk_in <> 0 OR (p.cuil, p.surname, p.given_names, p.agency, p.email, p.province)
						IS DISTINCT FROM (r.cuil, r.surname, r.given_names, r.agency, r.email, r.province)
				), saved AS (
					INSERT INTO people(`+rosterCols+`, seq, updated_at)
					SELECT `+rosterCols+`, $1 - 1 + row_number() OVER (ORDER BY n), $2 FROM changed ORDER BY n
					`+rosterUpsert+`
					RETURNING 1
				)
				SELECT (SELECT count(*) FROM saved), count(*) FILTER (WHERE added) FROM changed`, seq, now).Scan(&saved, &added); err != nil {
					return fmt.Errorf("save people: %w", err)
				}
			}
			for _, q := range restore {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
			}
			rep.Added, rep.Updated, rep.Unchanged = added, saved-added, rep.Unchanged-saved
			return nil
		})
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import roster: %w", err)
	}
	return rep, nil
}

// saveFunc stores one valid row of an import with the change sequence it
// takes if it is written; it says whether the row was added or changed.
type saveFunc[T any] func(row T, seq int64) (added, changed bool, err error)

// importCSV runs an import in one transaction: prepare readies saving in
// the transaction and returns the row saver and what to release at the
// end; each row next reads goes to save (see csvin.ImportRows) and each
// row written takes the next change sequence of table. what names the
// import in errors.
func importCSV[T any](ctx context.Context, s *Store, what, table string, next func() (T, int, error), skipped func() int,
	prepare func(*sql.Tx) (saveFunc[T], func(), error)) (ImportReport, error) {
	rep := ImportReport{Rejects: []RejectedLine{}}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextSeq(ctx, tx, table)
		if err != nil {
			return err
		}
		save, release, err := prepare(tx)
		if err != nil {
			return err
		}
		defer release()
		err = csvin.ImportRows(&rep, next, func(row T) (added, changed bool, err error) {
			added, changed, err = save(row, seq)
			if changed {
				seq++
			}
			return added, changed, err
		})
		rep.Skipped = skipped()
		return err
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("%s: %w", what, err)
	}
	return rep, nil
}

// CatalogChanges returns activities changed after the cursor since.
func (s *Store) CatalogChanges(ctx context.Context, since int64, limit int) ([]domain.Activity, int64, bool, error) {
	return changes(ctx, s.db, since, limit, sqlitex.ScanActivity,
		`SELECT `+sqlitex.ActivityColumns+`, seq FROM activities WHERE seq > ? ORDER BY seq LIMIT ?`, since, limit+1)
}

// RosterChanges returns people of the province with INDEC code provinceID,
// and people with no known province, changed after the cursor since.
func (s *Store) RosterChanges(ctx context.Context, provinceID string, since int64, limit int) ([]domain.Person, int64, bool, error) {
	return changes(ctx, s.db, since, limit, scanPerson, `SELECT `+personCols+`, seq FROM people
		WHERE seq > ? AND province_id IN (?, '') ORDER BY seq LIMIT ?`, since, provinceID, limit+1)
}

// changes runs a change query, whose rows end with their change sequence
// and which asks for limit+1 rows, and returns up to limit rows read by
// scan, the cursor after the last one (since when none) and whether more
// remain.
func changes[T any](ctx context.Context, db *sql.DB, since int64, limit int, scan func(sqlitex.Scanner) (T, error),
	query string, args ...any) ([]T, int64, bool, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	out := []T{}
	next, more := since, false
	for rows.Next() {
		if len(out) == limit {
			more = true
			break
		}
		v, err := scan(seqScanner{rows, &next})
		if err != nil {
			return nil, 0, false, err
		}
		out = append(out, v)
	}
	return out, next, more, rows.Err()
}

// seqScanner scans a row's columns and then its trailing change sequence
// into seq.
type seqScanner struct {
	rows *sql.Rows
	seq  *int64
}

func (s seqScanner) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.seq)...) }

// Activity returns the catalog activity with that code.
func (s *Store) Activity(ctx context.Context, code string) (domain.Activity, error) {
	a, err := sqlitex.ScanActivity(s.db.QueryRowContext(ctx, `SELECT `+sqlitex.ActivityColumns+` FROM activities WHERE code = ?`, code))
	return a, noRows(err, "activity")
}

// Person returns the person with that DNI.
func (s *Store) Person(ctx context.Context, dni string) (domain.Person, error) {
	p, err := scanPerson(s.db.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`, dni))
	return p, noRows(err, "person")
}
