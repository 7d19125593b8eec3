package registry

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

// BulkSizes size the data BulkFill writes.
type BulkSizes struct {
	People   int // roster size
	Entries  int // ledger credits, one per attendance (everyone present)
	PerSess  int // attendances per session
	PerBatch int // sessions per batch
}

// BulkFill writes a large registry straight into its tables, far faster
// than ingesting batches: the demo catalog, People people (demo.Person,
// seed 7) in every province, one device per province, Entries/PerSess
// sessions over 2025 and 2026 with PerSess attendances each (each person
// attends four single-session activities, two per year), their outcomes
// and batches, one ledger credit per attendance, and a rejected record
// every 50 batches. Indexes are dropped during the load and built again
// after it. It is for benchmarks; the store must be empty.
func (s *Store) BulkFill(ctx context.Context, z BulkSizes) error {
	if _, err := s.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return err
	}

	// Drop the indexes of the big tables, to build them once at the end.
	tables := `'people','sessions','attendances','ledger','outcomes','outcome_counts','batches','review'`
	rows, err := conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (`+tables+`)`)
	if err != nil {
		return err
	}
	var names, defs []string
	for rows.Next() {
		var n, d string
		if err := rows.Scan(&n, &d); err != nil {
			rows.Close()
			return err
		}
		names, defs = append(names, n), append(defs, d)
	}
	rows.Close()
	for _, n := range names {
		if _, err := conn.ExecContext(ctx, `DROP INDEX `+n); err != nil {
			return err
		}
	}

	stampNow := sqlitex.Stamp(time.Date(2026, 6, 30, 15, 0, 0, 0, time.UTC))
	provIDs := map[string]string{}
	provOf := func(name string) string {
		if id, ok := provIDs[name]; ok {
			return id
		}
		p, _ := geo.FindProvince(name)
		provIDs[name] = p.ID
		return p.ID
	}
	var provinces []string
	for i := 0; len(provinces) < 24 && i < 10000; i++ {
		p := demo.Person(i, 7).Province
		if _, ok := provIDs[p]; !ok {
			provOf(p)
			provinces = append(provinces, p)
		}
	}
	people := make([]struct{ dni, province string }, z.People)
	if err := bulk(ctx, conn, `people(dni, cuil, surname, given_names, agency, email, province, province_id, seq, updated_at)`, 10, z.People,
		func(i int) []any {
			p := demo.Person(i, 7)
			people[i].dni, people[i].province = p.DNI, p.Province
			return []any{p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province, provOf(p.Province), i + 1, stampNow}
		}); err != nil {
		return fmt.Errorf("people: %w", err)
	}
	if err := bulk(ctx, conn, `devices(id, name, office, province, province_id, token_hash, enrolled_at, last_batch_at)`, 8, len(provinces),
		func(i int) []any {
			return []any{fmt.Sprintf("bench-dev-%02d", i), "Notebook " + provinces[i], "Delegación " + provinces[i], provinces[i],
				provOf(provinces[i]), []byte(fmt.Sprintf("bench-token-hash-%02d", i)), stampNow, stampNow}
		}); err != nil {
		return fmt.Errorf("devices: %w", err)
	}
	devOf := map[string]int{}
	for i, p := range provinces {
		devOf[p] = i
	}

	acts := []struct {
		code   string
		points int
	}{{"CH-INSP-01", 2}, {"CH-ETICA-02", 2}, {"TA-LENG-01", 6}, {"TA-EXCEL-02", 8}, {"TA-ATEN-03", 6}, {"VI-CIBER-01", 4}, {"VI-ACCES-02", 4}}
	nSess := z.Entries / z.PerSess
	round := max(z.People/z.PerSess, 1) // sessions in which everyone attends once
	type sess struct {
		id, activity, date, province, muni, device, batch string
		year, points                                      int
		received                                          string
	}
	sessions := make([]sess, nSess)
	for k := range nSess {
		// The session's province is its first attendee's, so devices
		// report from where people are.
		prov := people[(k*z.PerSess)%z.People].province
		year := 2025 + (k/round)%2
		day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (k*7)%360)
		a := acts[k%len(acts)]
		b := k / z.PerBatch
		sessions[k] = sess{id: fmt.Sprintf("bench-s-%07d", k), activity: a.code, points: a.points, date: day.Format("2006-01-02"), year: year,
			province: prov, muni: fmt.Sprintf("Municipio %d", k%13), device: fmt.Sprintf("bench-dev-%02d", devOf[prov]),
			batch: fmt.Sprintf("bench-b-%06d", b), received: sqlitex.Stamp(day.Add(36 * time.Hour).Add(time.Duration(b%1000) * time.Second))}
	}
	if err := bulk(ctx, conn, `sessions(id, activity_code, date, year, province, municipality, modality, closed_at, device_id, batch_id, received_at)`,
		11, nSess, func(k int) []any {
			s := sessions[k]
			return []any{s.id, s.activity, s.date, s.year, s.province, s.muni, "presencial", s.received, s.device, s.batch, s.received}
		}); err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	att := func(n int) (sess, string, string) {
		k, j := n/z.PerSess, n%z.PerSess
		return sessions[k], fmt.Sprintf("bench-a-%08d", n), people[(k*z.PerSess+j)%z.People].dni
	}
	if err := bulk(ctx, conn, `attendances(id, session_id, dni, status, method, at, device_id, batch_id)`, 8, nSess*z.PerSess, func(n int) []any {
		s, id, dni := att(n)
		return []any{id, s.id, dni, "presente", "typed", s.received, s.device, s.batch}
	}); err != nil {
		return fmt.Errorf("attendances: %w", err)
	}
	if err := bulk(ctx, conn, `ledger(dni, activity_code, session_id, year, points, kind, rule_version, batch_id, device_id, created_at)`, 10,
		nSess*z.PerSess, func(n int) []any {
			s, _, dni := att(n)
			return []any{dni, s.activity, s.id, s.year, s.points, "credit", "2026.1", s.batch, s.device, s.received}
		}); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	// Batches: PerBatch sessions with their attendances each.
	nBatch := (nSess + z.PerBatch - 1) / z.PerBatch
	perBatch := z.PerBatch * (1 + z.PerSess)
	if err := bulk(ctx, conn, `batches(id, device_id, source, received_at, device_clock, records, flags, receipt)`, 8, nBatch, func(b int) []any {
		s := sessions[b*z.PerBatch]
		flags := ""
		if b%37 == 0 {
			flags = "late_report"
		}
		return []any{s.batch, s.device, "http", s.received, s.received, perBatch, flags, []byte(`{"protocol":"puntos/1"}`)}
	}); err != nil {
		return fmt.Errorf("batches: %w", err)
	}
	if err := bulk(ctx, conn, `outcome_counts(batch_id, kind, result, n)`, 4, 2*nBatch, func(i int) []any {
		b := i / 2
		if i%2 == 0 {
			return []any{fmt.Sprintf("bench-b-%06d", b), "session", "accepted", z.PerBatch}
		}
		return []any{fmt.Sprintf("bench-b-%06d", b), "attendance", "accepted", z.PerBatch * z.PerSess}
	}); err != nil {
		return fmt.Errorf("outcome counts: %w", err)
	}
	if err := bulk(ctx, conn, `outcomes(batch_id, n, kind, record_id, result)`, 5, nSess*(1+z.PerSess), func(i int) []any {
		k, r := i/(1+z.PerSess), i%(1+z.PerSess)
		s := sessions[k]
		n := (k%z.PerBatch)*(1+z.PerSess) + r
		if r == 0 {
			return []any{s.batch, n, "session", s.id, "accepted"}
		}
		return []any{s.batch, n, "attendance", fmt.Sprintf("bench-a-%08d", k*z.PerSess+r-1), "accepted"}
	}); err != nil {
		return fmt.Errorf("outcomes: %w", err)
	}
	if err := bulk(ctx, conn, `review(kind, record_id, result, code, message, content, batch_id, device_id, received_at)`, 9, nBatch/50, func(i int) []any {
		s := sessions[i*50*z.PerBatch]
		return []any{"attendance", fmt.Sprintf("bench-r-%06d", i), "rejected", "person_unknown", "El DNI no está en el padrón.",
			fmt.Sprintf(`{"id":"bench-r-%06d","session":%q,"dni":"30999888","status":"presente","method":"typed","at":%q}`, i, s.id, s.received),
			s.batch, s.device, s.received}
	}); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	for _, d := range defs {
		if _, err := conn.ExecContext(ctx, d); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	if _, err := conn.ExecContext(ctx, `ANALYZE`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	conn.Close()
	return s.syncNames(ctx)
}

// bulk inserts n rows of cols values each into table (see bulkInsert).
func bulk(ctx context.Context, conn *sql.Conn, table string, cols, n int, row func(int) []any) error {
	return bulkInsert(ctx, conn, table, cols, func(add func([]any) error) error {
		for i := range n {
			if err := add(row(i)); err != nil {
				return err
			}
		}
		return nil
	})
}

// bulkInsert inserts the rows fill adds, of cols values each, into table,
// many rows per statement and 100,000 rows per transaction.
func bulkInsert(ctx context.Context, conn *sql.Conn, table string, cols int, fill func(add func([]any) error) error) error {
	const perStmt, perTx = 50, 100_000
	one := "(" + strings.Repeat("?,", cols-1) + "?)"
	full := `INSERT INTO ` + table + ` VALUES ` + strings.Repeat(one+",", perStmt-1) + one
	var tx *sql.Tx
	var st *sql.Stmt
	inTx := 0
	args := make([]any, 0, perStmt*cols)
	// flush writes the rows in args (a full statement's, or fewer one by
	// one) and commits when the transaction is full or at the end.
	flush := func(end bool) error {
		if tx == nil && len(args) > 0 {
			var err error
			if tx, err = conn.BeginTx(ctx, nil); err != nil {
				return err
			}
			if st, err = tx.PrepareContext(ctx, full); err != nil {
				return err
			}
		}
		if len(args) == perStmt*cols {
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
		} else {
			for i := 0; i < len(args); i += cols {
				if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` VALUES `+one, args[i:i+cols]...); err != nil {
					return err
				}
			}
		}
		inTx += len(args) / cols
		args = args[:0]
		if tx != nil && (end || inTx >= perTx) {
			st.Close()
			err := tx.Commit()
			tx, inTx = nil, 0
			return err
		}
		return nil
	}
	err := fill(func(row []any) error {
		if args = append(args, row...); len(args) == perStmt*cols {
			return flush(false)
		}
		return nil
	})
	if err == nil {
		err = flush(true)
	}
	if err != nil && tx != nil {
		tx.Rollback()
	}
	return err
}
