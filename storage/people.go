package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

// ImportReport tells what an import did; see csvin.ImportReport.
type ImportReport = csvin.ImportReport

// RejectedLine is a rejected row in a form fit for JSON and reports.
type RejectedLine = csvin.RejectedLine

// Progress receives bytes done and total during a long operation.
type Progress func(done, total int64)

// bulkThreshold is the file size above which a first import (into an
// empty roster) builds the indexes once at the end instead of row by row.
const bulkThreshold = 4 << 20

const personCols = `dni, cuil, surname, given_names, agency, email, province, sex, birth, walk_in`

func scanPerson(sc interface{ Scan(...any) error }) (domain.Person, error) {
	var p domain.Person
	var walkIn int
	err := sc.Scan(&p.DNI, &p.CUIL, &p.Surname, &p.GivenNames, &p.Agency, &p.Email, &p.Province, &p.Sex, &p.Birth, &walkIn)
	p.WalkIn = walkIn != 0
	return p, err
}

func nameKeys(p domain.Person) (string, string) {
	sur, given := domain.Fold(p.Surname), domain.Fold(p.GivenNames)
	switch {
	case sur == "":
		return given, given
	case given == "":
		return sur, sur
	}
	return sur + " " + given, given + " " + sur
}

// ImportRoster reads a roster, CSV or Excel workbook (csvin; opts may
// name the sheet), and adds or updates people in one transaction: all
// valid rows go in, or none if the import fails. Rejected rows are listed
// in the report. Attendances are never touched.
func (s *Store) ImportRoster(ctx context.Context, r io.Reader, progress Progress, opts ...csvin.Option) (ImportReport, error) {
	var rep ImportReport
	rd, err := csvin.NewRosterReader(r, append(opts, csvin.Workbooks(s.Workbook))...)
	if err != nil {
		return rep, err
	}
	_, total := rd.Progress()
	now := sqlitex.Stamp(s.now())
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var empty bool
		if err := tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM people)`).Scan(&empty); err != nil {
			return err
		}
		// A large first import appends rows and builds the name and email
		// indexes once at the end. (The DNI index stays: foreign keys need it.)
		bulk := empty && total > bulkThreshold
		if total > bulkThreshold {
			// A larger page cache for this connection while it imports.
			if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
				return err
			}
			defer tx.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -8192`)
		}
		if bulk {
			if _, err := tx.ExecContext(ctx, `DROP INDEX people_name_key; DROP INDEX people_given_key; DROP INDEX people_email`); err != nil {
				return err
			}
		}
		w, err := newRosterWriter(ctx, tx, empty, now)
		if err != nil {
			return err
		}
		defer w.close()
		// Parsing and folding run on one core while SQLite inserts on the other.
		pctx, cancel := context.WithCancel(ctx)
		defer cancel()
		chunks := make(chan rosterChunk, 4)
		go readRoster(pctx, rd, chunks)
		for c := range chunks {
			if c.err != nil {
				return c.err
			}
			for _, e := range c.rejects {
				rep.Reject(e)
			}
			if progress != nil {
				progress(c.done, c.total)
			}
			for _, row := range c.rows {
				if err := w.save(row, &rep); err != nil {
					return err
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.ins.flush(); err != nil {
			return err
		}
		rep.Skipped = rd.Skipped()
		if bulk {
			if _, err := tx.ExecContext(ctx, `CREATE INDEX people_name_key ON people(name_key);
				CREATE INDEX people_given_key ON people(given_key);
				CREATE INDEX people_email ON people(email COLLATE NOCASE)`); err != nil {
				return err
			}
		}
		return s.logEvent(ctx, tx, "roster.import", "people", "",
			fmt.Sprintf("added=%d updated=%d unchanged=%d rejected=%d", rep.Added, rep.Updated, rep.Unchanged, len(rep.Rejects)))
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import roster: %w", err)
	}
	return rep, nil
}

// rosterWriter stores the rows of a roster import inside its transaction.
type rosterWriter struct {
	ctx      context.Context
	empty    bool // the roster was empty before the import: every row is new
	get, upd *sql.Stmt
	ins      *peopleInserter
	now      string
}

func newRosterWriter(ctx context.Context, tx *sql.Tx, empty bool, now string) (*rosterWriter, error) {
	w := &rosterWriter{ctx: ctx, empty: empty, now: now}
	var err error
	if w.get, err = tx.PrepareContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`); err != nil {
		return nil, err
	}
	if w.upd, err = tx.PrepareContext(ctx, `UPDATE people SET cuil=?, surname=?, given_names=?, agency=?, email=?,
		province=?, name_key=?, given_key=?, updated_at=? WHERE dni=?`); err != nil {
		w.get.Close()
		return nil, err
	}
	w.ins = newPeopleInserter(ctx, tx, now)
	return w, nil
}

// save adds the row's person, or updates a stored one whose roster data
// differ, and counts it in rep.
func (w *rosterWriter) save(row rosterRow, rep *ImportReport) error {
	p := row.p
	if !w.empty {
		old, err := scanPerson(w.get.QueryRowContext(w.ctx, p.DNI))
		if err == nil {
			if old.SameRosterData(p) {
				rep.Unchanged++
				return nil
			}
			if _, err := w.upd.ExecContext(w.ctx, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email,
				p.Province, row.nk, row.gk, w.now, p.DNI); err != nil {
				return fmt.Errorf("update person: %w", err)
			}
			rep.Updated++
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if err := w.ins.add(p, row.nk, row.gk); err != nil {
		return err
	}
	rep.Added++
	return nil
}

func (w *rosterWriter) close() {
	w.ins.close()
	w.upd.Close()
	w.get.Close()
}

type rosterRow struct {
	p      domain.Person
	nk, gk string
}

// rosterChunk is a run of parsed rows, the rows rejected among them, and
// how far into the file they reach; err ends the stream.
type rosterChunk struct {
	rows        []rosterRow
	rejects     []*csvin.RowError
	done, total int64
	err         error
}

// readRoster parses the roster and folds names into chunks on out, which
// it closes at the end of the file, on an error, or when ctx is done.
func readRoster(ctx context.Context, rd *csvin.Reader, out chan<- rosterChunk) {
	defer close(out)
	c := rosterChunk{}
	send := func() bool {
		c.done, c.total = rd.Progress()
		select {
		case out <- c:
			c = rosterChunk{rows: make([]rosterRow, 0, 1024)}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		p, _, err := rd.NextPerson()
		if errors.Is(err, io.EOF) {
			send()
			return
		}
		var rowErr *csvin.RowError
		switch {
		case errors.As(err, &rowErr):
			c.rejects = append(c.rejects, rowErr)
			continue
		case err != nil:
			c.err = err
			send()
			return
		}
		nk, gk := nameKeys(p)
		c.rows = append(c.rows, rosterRow{p, nk, gk})
		if len(c.rows) == 1024 && !send() {
			return
		}
	}
}

// peopleInserter inserts new roster rows in chunks, one multi-row INSERT
// per chunk, which cuts the per-statement cost of a large import.
type peopleInserter struct {
	ctx   context.Context
	tx    *sql.Tx
	now   string
	chunk *sql.Stmt
	args  []any
}

const insertChunk = 64

func newPeopleInserter(ctx context.Context, tx *sql.Tx, now string) *peopleInserter {
	return &peopleInserter{ctx: ctx, tx: tx, now: now, args: make([]any, 0, insertChunk*10)}
}

func insertPeopleSQL(n int) string {
	row := "(?,?,?,?,?,?,?,'','',0,?,?,?)"
	return `INSERT INTO people(` + personCols + `, name_key, given_key, updated_at) VALUES ` +
		strings.Repeat(row+",", n-1) + row
}

func (in *peopleInserter) add(p domain.Person, nk, gk string) error {
	in.args = append(in.args, p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, nk, gk, in.now)
	if len(in.args) < insertChunk*10 {
		return nil
	}
	if in.chunk == nil {
		st, err := in.tx.PrepareContext(in.ctx, insertPeopleSQL(insertChunk))
		if err != nil {
			return err
		}
		in.chunk = st
	}
	_, err := in.chunk.ExecContext(in.ctx, in.args...)
	in.args = in.args[:0]
	if err != nil {
		return fmt.Errorf("insert people: %w", err)
	}
	return nil
}

// flush inserts the rows of a last, partial chunk.
func (in *peopleInserter) flush() error {
	if len(in.args) == 0 {
		return nil
	}
	_, err := in.tx.ExecContext(in.ctx, insertPeopleSQL(len(in.args)/10), in.args...)
	in.args = in.args[:0]
	if err != nil {
		return fmt.Errorf("insert people: %w", err)
	}
	return nil
}

func (in *peopleInserter) close() {
	if in.chunk != nil {
		in.chunk.Close()
	}
}

// Person returns the person with that DNI, or an error wrapping
// domain.ErrNotFound.
func (s *Store) Person(ctx context.Context, dni string) (domain.Person, error) {
	p, err := scanPerson(s.db.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE dni = ?`, dni))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("No hay nadie con ese DNI en el padrón.")
	}
	return p, err
}

// CountPeople returns how many people the roster holds.
func (s *Store) CountPeople(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM people`).Scan(&n)
	return n, err
}

// SavePerson validates and adds or updates one person (a walk-in or an
// edit). A new person created this way is marked as a walk-in.
func (s *Store) SavePerson(ctx context.Context, p domain.Person) (domain.Person, error) {
	if err := domain.ValidatePerson(&p); err != nil {
		return p, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.savePerson(ctx, tx, &p) })
	return p, err
}

func (s *Store) savePerson(ctx context.Context, tx *sql.Tx, p *domain.Person) error {
	nk, gk := nameKeys(*p)
	res, err := tx.ExecContext(ctx, `UPDATE people SET cuil=?, surname=?, given_names=?, agency=?, email=?,
		province=?, sex=?, birth=?, name_key=?, given_key=?, updated_at=? WHERE dni=?`,
		p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, p.Sex, p.Birth, nk, gk, sqlitex.Stamp(s.now()), p.DNI)
	if err != nil {
		return fmt.Errorf("save person: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return s.logEvent(ctx, tx, "person.update", "person", "", "")
	}
	p.WalkIn = true
	if _, err := tx.ExecContext(ctx, `INSERT INTO people(`+personCols+`, name_key, given_key, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,1,?,?,?)`,
		p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, p.Sex, p.Birth, nk, gk, sqlitex.Stamp(s.now())); err != nil {
		return fmt.Errorf("add person: %w", err)
	}
	return s.logEvent(ctx, tx, "person.walk_in", "person", "", "")
}

// maxKey sorts after every folded string, for prefix range scans.
const maxKey = "\U0010FFFF"

// FindPeople looks people up by what a person types: a DNI or its first
// digits (with or without dots), a CUIL, or part of a name, accent- and
// case-insensitive. At most limit results, best first: for a name, whole
// words before prefixes ("perez" finds PEREZ, Juan before PEREZLINDO,
// Ana), the surname before the given names, then words inside the name
// (a second surname). To know whether more match, ask for one more than
// will be shown.
func (s *Store) FindPeople(ctx context.Context, q string, limit int) ([]domain.Person, error) {
	q = strings.TrimSpace(q)
	if q == "" || limit <= 0 {
		return nil, nil
	}
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == '.' || r == '-' || r == ' ':
			return -1
		}
		return 'x'
	}, q)
	if !strings.Contains(digits, "x") {
		if len(digits) == 11 {
			if cuil, err := domain.ParseCUIL(digits); err == nil {
				digits = domain.CUILDNI(cuil)
			}
		}
		return s.queryPeople(ctx, `SELECT `+personCols+` FROM people WHERE dni >= ? AND dni < ? ORDER BY dni LIMIT ?`,
			digits, digits+maxKey, limit)
	}
	fq := domain.Fold(q)
	if fq == "" {
		return nil, nil
	}
	seen := map[string]bool{}
	var out []domain.Person
	add := func(ps []domain.Person) {
		for _, p := range ps {
			if !seen[p.DNI] && len(out) < limit {
				seen[p.DNI] = true
				out = append(out, p)
			}
		}
	}
	// Whole words end at a space or at the end of the key: the range
	// [fq, fq+"!") holds fq and fq followed by a space, as folded keys
	// have no character below "!" other than the space.
	for _, r := range []struct{ col, end string }{
		{"name_key", "!"}, {"given_key", "!"}, {"name_key", maxKey}, {"given_key", maxKey},
	} {
		if len(out) >= limit {
			break
		}
		ps, err := s.queryPeople(ctx, `SELECT `+personCols+` FROM people WHERE `+r.col+` >= ? AND `+r.col+` < ? ORDER BY `+r.col+` LIMIT ?`,
			fq, fq+r.end, limit)
		if err != nil {
			return nil, err
		}
		add(ps)
	}
	if len(out) < limit && len(fq) >= 3 {
		// A word inside the name: a second surname, "de la Peña".
		// The scan reads only the name index (covering), then fetches rows.
		ps, err := s.queryPeople(ctx, `SELECT `+personCols+` FROM people WHERE id IN
			(SELECT id FROM people WHERE name_key LIKE ? ESCAPE '\' LIMIT ?)`,
			"% "+likeEscape(fq)+"%", limit)
		if err != nil {
			return nil, err
		}
		add(ps)
	}
	return out, nil
}

func (s *Store) queryPeople(ctx context.Context, query string, args ...any) ([]domain.Person, error) {
	out, err := sqlitex.Collect(ctx, s.db, nil, scanPerson, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find people: %w", err)
	}
	return out, nil
}
