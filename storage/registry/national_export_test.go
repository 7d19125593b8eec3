//go:build national

package registry

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/internal/pgsql"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

// NationalVersion is the version of the national data NationalFill
// writes: bump it when the generator changes, so that the data kept
// between benchmark runs is made again.
const NationalVersion = 1

// NationalSizes size the national data.
type NationalSizes struct {
	People  int   // roster size (3.3 M: the country's public servants)
	Entries int   // ledger credits, about
	Years   []int // the years with sessions
}

// National is the deterministic national data set: people spread over
// the 24 provinces by population, a catalog of natActivities activities,
// and for each year a share of the people (so that Entries credits come
// out) who attend 3 to 9 activities each (6 on average), in sessions of
// up to natPerSession people of one province, held in its
// municipalities; 1 attendance in 20 is an absence (no credit), and 2
// sessions in 5 have a survey.
type National struct {
	Z        NationalSizes
	provs    []geo.Province
	munis    [][]string
	provOf   []uint8 // person → index in provs
	dnis     []string
	byProv   [][]int32
	active   uint64 // out of 10,000: the share of people who train in a year
	actPts   []int
	catalog  string
	stampNow string
}

const (
	natActivities = 60
	natPerSession = 30
	natSeed       = 11
)

// natPopulation is each province's population in thousands (INDEC,
// census 2022), by INDEC code: the weight of its share of the people.
var natPopulation = map[string]int{
	"02": 3121, "06": 17569, "10": 429, "14": 3840, "18": 1212, "22": 1142, "26": 603, "30": 1426,
	"34": 607, "38": 811, "42": 361, "46": 384, "50": 2043, "54": 1280, "58": 710, "62": 762,
	"66": 1441, "70": 822, "74": 542, "78": 337, "82": 3556, "86": 1060, "90": 185, "94": 1731,
}

// NewNational lays out the national data set of sizes z.
func NewNational(z NationalSizes) *National {
	n := &National{Z: z, stampNow: sqlitex.Stamp(time.Date(z.Years[len(z.Years)-1], 12, 1, 12, 0, 0, 0, time.UTC))}
	total := 0
	var cum []int
	for _, p := range geo.Provinces() {
		w, ok := natPopulation[p.ID]
		if !ok {
			continue
		}
		n.provs = append(n.provs, p)
		ms := geo.Municipalities(p.ID)
		if len(ms) == 0 {
			ms = []string{p.Name}
		}
		n.munis = append(n.munis, ms)
		total += w
		cum = append(cum, total)
	}
	n.provOf = make([]uint8, z.People)
	n.dnis = make([]string, z.People)
	n.byProv = make([][]int32, len(n.provs))
	for i := range z.People {
		r := int(mix(uint64(i), 1) % uint64(total))
		k := 0
		for cum[k] <= r {
			k++
		}
		n.provOf[i] = uint8(k)
		n.dnis[i] = demo.Person(i, natSeed).DNI
		n.byProv[k] = append(n.byProv[k], int32(i))
	}
	// Credits = People × years × share × 6 × 0.95.
	share := float64(z.Entries) / (float64(z.People) * float64(len(z.Years)) * 6 * 0.95)
	n.active = uint64(min(share, 1) * 10_000)
	var cat strings.Builder
	cat.WriteString("Código;Título;Tipo;Horas;Puntos;Sesiones;Umbral\n")
	kinds := []struct {
		kind   string
		hours  int
		points int
	}{{"charla", 2, 2}, {"taller", 4, 6}, {"taller", 6, 8}, {"curso", 12, 20}, {"virtual", 3, 4}}
	for a := range natActivities {
		k := kinds[a%len(kinds)]
		fmt.Fprintf(&cat, "NAT-%02d;Actividad nacional %d (%s);%s;%d;%d;1;75%%\n", a, a, k.kind, k.kind, k.hours, k.points)
		n.actPts = append(n.actPts, k.points)
	}
	n.catalog = cat.String()
	return n
}

// mix hashes i with salt, deterministically.
func mix(i, salt uint64) uint64 {
	x := i*0x9e3779b97f4a7c15 + salt*0xbf58476d1ce4e5b9
	x ^= x >> 31
	x *= 0x94d049bb133111eb
	x ^= x >> 29
	return x
}

// DNI returns the DNI of person i of the data set (0 ≤ i < People).
func (n *National) DNI(i int) string { return n.dnis[i] }

// InProvince returns the people of the province named name.
func (n *National) InProvince(name string) []int32 {
	for k, p := range n.provs {
		if p.Name == name {
			return n.byProv[k]
		}
	}
	return nil
}

// RosterCSV writes the data set's roster as a CSV (the file the roster
// import benchmark reads).
func (n *National) RosterCSV(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, demo.RosterHeader)
	for i := range n.Z.People {
		p := demo.Person(i, natSeed)
		fmt.Fprintf(bw, "%s;%s;%s;%s;%s;%s;%s\n", p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, n.provs[n.provOf[i]].Name)
	}
	return bw.Flush()
}

// natSession is a session of the data set with the people in it.
type natSession struct {
	id, date, muni, batch, device, stamp string
	year, prov, act                      int
	people                               []int32
}

// walk calls fn with each session of the data set, in order of year,
// province and activity.
func (n *National) walk(fn func(s *natSession) error) error {
	buckets := make([][]int32, natActivities)
	for _, year := range n.Z.Years {
		for k, people := range n.byProv {
			for a := range buckets {
				buckets[a] = buckets[a][:0]
			}
			for _, i := range people {
				h := mix(uint64(i), uint64(year))
				if h%10_000 >= n.active {
					continue
				}
				start, count := int(h>>16%natActivities), 3+int(h>>32%7)
				for j := range count {
					a := (start + 7*j) % natActivities
					buckets[a] = append(buckets[a], i)
				}
			}
			prov := n.provs[k]
			for a, in := range buckets {
				for c := 0; c*natPerSession < len(in); c++ {
					h := mix(uint64(year*1000+k), uint64(a*100_000+c))
					day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(h%335))
					s := natSession{id: fmt.Sprintf("nat-s-%d-%s-%02d-%05d", year, prov.ID, a, c), date: day.Format("2006-01-02"),
						muni: n.munis[k][int(h>>20)%len(n.munis[k])], batch: fmt.Sprintf("nat-b-%d-%s-%02d-%04d", year, prov.ID, a, c/8),
						device: "nat-dev-" + prov.ID, stamp: sqlitex.Stamp(day.Add(40 * time.Hour)), year: year, prov: k, act: a,
						people: in[c*natPerSession : min((c+1)*natPerSession, len(in))]}
					if err := fn(&s); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// status is the attendance status of the j-th person of session s.
func (s *natSession) status(j int) string {
	switch mix(uint64(j), strHash(s.id)) % 20 {
	case 0:
		return "ausente"
	case 1, 2:
		return "tarde"
	}
	return "presente"
}

// strHash hashes s, deterministically.
func strHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// natTable is a table NationalFill loads: its columns and rows.
type natTable struct {
	name string
	cols []string
	fill func(n *National, add func([]any) error) error
}

var natTables = []natTable{
	{"people", []string{"dni", "cuil", "surname", "given_names", "agency", "email", "province", "province_id", "seq", "updated_at"},
		func(n *National, add func([]any) error) error {
			for i := range n.Z.People {
				p := demo.Person(i, natSeed)
				prov := n.provs[n.provOf[i]]
				if err := add([]any{p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, prov.Name, prov.ID, int64(i + 1), n.stampNow}); err != nil {
					return err
				}
			}
			return nil
		}},
	{"devices", []string{"id", "name", "office", "province", "province_id", "token_hash", "enrolled_at", "last_batch_at"},
		func(n *National, add func([]any) error) error {
			for _, p := range n.provs {
				if err := add([]any{"nat-dev-" + p.ID, "Notebook " + p.Name, "Delegación " + p.Name, p.Name, p.ID,
					[]byte("nat-token-hash-" + p.ID), n.stampNow, n.stampNow}); err != nil {
					return err
				}
			}
			return nil
		}},
	{"sessions", []string{"id", "activity_code", "date", "year", "start_time", "end_time", "province", "municipality", "modality",
		"closed_at", "device_id", "batch_id", "received_at"},
		func(n *National, add func([]any) error) error {
			return n.walk(func(s *natSession) error {
				modality := "presencial"
				if s.act%5 == 4 {
					modality = "virtual"
				}
				return add([]any{s.id, fmt.Sprintf("NAT-%02d", s.act), s.date, int64(s.year), "09:00", "12:00", n.provs[s.prov].Name, s.muni,
					modality, s.stamp, s.device, s.batch, s.stamp})
			})
		}},
	{"attendances", []string{"id", "session_id", "dni", "status", "method", "at", "device_id", "batch_id"},
		func(n *National, add func([]any) error) error {
			return n.walk(func(s *natSession) error {
				for j, i := range s.people {
					if err := add([]any{fmt.Sprintf("%s-a%02d", s.id, j), s.id, n.dnis[i], s.status(j), "typed", s.stamp, s.device, s.batch}); err != nil {
						return err
					}
				}
				return nil
			})
		}},
	{"ledger", []string{"dni", "activity_code", "session_id", "year", "points", "kind", "rule_version", "batch_id", "device_id", "created_at"},
		func(n *National, add func([]any) error) error {
			return n.walk(func(s *natSession) error {
				for j, i := range s.people {
					if s.status(j) == "ausente" {
						continue
					}
					if err := add([]any{n.dnis[i], fmt.Sprintf("NAT-%02d", s.act), s.id, int64(s.year), int64(n.actPts[s.act]), "credit", "2026.1",
						s.batch, s.device, s.stamp}); err != nil {
						return err
					}
				}
				return nil
			})
		}},
	{"surveys", []string{"session_id", "value_1", "value_2", "value_3", "value_4", "value_5", "use_1", "use_2", "use_3", "use_4", "use_5",
		"comments", "device_id", "batch_id", "received_at"},
		func(n *National, add func([]any) error) error {
			return n.walk(func(s *natSession) error {
				h := mix(uint64(len(s.people)), strHash(s.id))
				if h%5 >= 2 {
					return nil
				}
				row := []any{s.id}
				for v := range 10 {
					row = append(row, int64(h>>(v*5)%uint64(len(s.people)+1)))
				}
				return add(append(row, "[]", s.device, s.batch, s.stamp))
			})
		}},
}

// NationalFill writes the national data set into an empty store, straight
// into its tables (COPY on PostgreSQL, multi-row INSERTs on SQLite): the
// catalog through ImportCatalog, then the tables of natTables with their
// secondary indexes dropped during the load and built again after it, and
// ANALYZE (VACUUM ANALYZE on PostgreSQL, so that index-only scans work).
// Foreign keys and triggers are not checked during the load: the data are
// consistent by construction. progress is told each table loaded.
func (s *Store) NationalFill(ctx context.Context, n *National, progress func(string)) error {
	if _, err := s.ImportCatalog(ctx, strings.NewReader(n.catalog)); err != nil {
		return err
	}
	if s.pg {
		return pgsql.Raw(ctx, s.db, func(conn *pgx.Conn) error { return natFillPG(ctx, conn, n, progress) })
	}
	return natFillSQLite(ctx, s.db, n, progress)
}

func natTableNames() []string {
	var names []string
	for _, t := range natTables {
		names = append(names, t.name)
	}
	return names
}

func natFillPG(ctx context.Context, conn *pgx.Conn, n *National, progress func(string)) error {
	for _, set := range []string{`SET session_replication_role = replica`, `SET maintenance_work_mem = '1GB'`, `SET synchronous_commit = off`} {
		if _, err := conn.Exec(ctx, set); err != nil {
			return err
		}
	}
	rows, err := conn.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
		JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, natTableNames())
	if err != nil {
		return err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return err
		}
		names, defs = append(names, name), append(defs, def)
	}
	if rows.Close(); rows.Err() != nil {
		return rows.Err()
	}
	for _, name := range names {
		if _, err := conn.Exec(ctx, `DROP INDEX `+name); err != nil {
			return err
		}
	}
	err = natLoad(progress, defs, func(def string) error {
		_, err := conn.Exec(ctx, def)
		return err
	}, func(t natTable) (int64, error) {
		rows := make(chan []any, 4096)
		done := make(chan error, 1)
		gctx, cancel := context.WithCancel(ctx)
		go func() {
			defer close(rows)
			done <- t.fill(n, func(row []any) error {
				select {
				case rows <- row:
					return nil
				case <-gctx.Done():
					return gctx.Err()
				}
			})
		}()
		copied, err := conn.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, &chanSource{rows: rows})
		cancel()
		if gerr := <-done; err == nil {
			err = gerr
		}
		return copied, err
	})
	if err != nil {
		return err
	}
	start := time.Now()
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return err
	}
	progress(fmt.Sprintf("VACUUM ANALYZE in %v", time.Since(start).Round(time.Second)))
	_, err = conn.Exec(ctx, `RESET session_replication_role`)
	return err
}

// natLoad loads each of natTables with load, which returns how many rows
// it wrote, then builds the indexes defs with exec, telling progress.
func natLoad(progress func(string), defs []string, exec func(string) error, load func(natTable) (int64, error)) error {
	for _, t := range natTables {
		start := time.Now()
		count, err := load(t)
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		progress(fmt.Sprintf("%s: %d rows in %v", t.name, count, time.Since(start).Round(time.Second)))
	}
	start := time.Now()
	for _, def := range defs {
		if err := exec(def); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	progress(fmt.Sprintf("indexes in %v", time.Since(start).Round(time.Second)))
	return nil
}

// chanSource is a pgx.CopyFromSource over the rows of a channel.
type chanSource struct {
	rows <-chan []any
	row  []any
}

func (c *chanSource) Next() bool {
	var ok bool
	c.row, ok = <-c.rows
	return ok
}

func (c *chanSource) Values() ([]any, error) { return c.row, nil }
func (c *chanSource) Err() error             { return nil }

func natFillSQLite(ctx context.Context, db *sql.DB, n *National, progress func(string)) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, set := range []string{`PRAGMA synchronous = OFF`, `PRAGMA foreign_keys = OFF`, `PRAGMA cache_size = -1000000`} {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			return err
		}
	}
	tables := `'` + strings.Join(natTableNames(), `','`) + `'`
	defs, err := sqlitex.Collect(ctx, conn, nil, sqlitex.ScanString, `SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (`+tables+`)`)
	if err != nil {
		return err
	}
	names, err := sqlitex.Collect(ctx, conn, nil, sqlitex.ScanString, `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (`+tables+`)`)
	if err != nil {
		return err
	}
	for _, name := range names {
		if _, err := conn.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return err
		}
	}
	err = natLoad(progress, defs, func(def string) error {
		_, err := conn.ExecContext(ctx, def)
		return err
	}, func(t natTable) (int64, error) {
		var count int64
		err := bulkInsert(ctx, conn, t.name+"("+strings.Join(t.cols, ", ")+")", len(t.cols), func(add func([]any) error) error {
			return t.fill(n, func(row []any) error { count++; return add(row) })
		})
		return count, err
	})
	if err != nil {
		return err
	}
	for _, set := range []string{`ANALYZE`, `PRAGMA foreign_keys = ON`, `PRAGMA synchronous = NORMAL`, `PRAGMA cache_size = -8192`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			return err
		}
	}
	return nil
}

// RawLoad inserts rows into tables (in order) in one transaction it then
// rolls back, with COPY on PostgreSQL and multi-row INSERTs on SQLite,
// and returns how long the inserts took: the raw figure beside Ingest.
func (s *Store) RawLoad(ctx context.Context, tables []string, cols [][]string, rows [][][]any) (time.Duration, error) {
	var took time.Duration
	if s.pg {
		err := pgsql.Raw(ctx, s.db, func(conn *pgx.Conn) error {
			tx, err := conn.Begin(ctx)
			if err != nil {
				return err
			}
			defer tx.Rollback(ctx)
			start := time.Now()
			for i, t := range tables {
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{t}, cols[i], pgx.CopyFromRows(rows[i])); err != nil {
					return fmt.Errorf("%s: %w", t, err)
				}
			}
			took = time.Since(start)
			return nil
		})
		return took, err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return 0, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	start := time.Now()
	for i, t := range tables {
		one := "(" + strings.Repeat("?,", len(cols[i])-1) + "?)"
		query := `INSERT INTO ` + t + `(` + strings.Join(cols[i], ", ") + `) VALUES `
		for j := 0; j < len(rows[i]); j += 50 {
			part := rows[i][j:min(j+50, len(rows[i]))]
			args := make([]any, 0, len(part)*len(cols[i]))
			for _, r := range part {
				args = append(args, r...)
			}
			if _, err := conn.ExecContext(ctx, query+strings.Repeat(one+",", len(part)-1)+one, args...); err != nil {
				return 0, fmt.Errorf("%s: %w", t, err)
			}
		}
	}
	return time.Since(start), nil
}

// ResetStatements clears PostgreSQL's statement statistics
// (pg_stat_statements, which the bench cluster preloads).
func (s *Store) ResetStatements(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `SELECT pg_stat_statements_reset()`)
	return err
}

// TopStatements describes the n statements that took the most time since
// ResetStatements: calls, total and mean time, and the query's start.
func (s *Store) TopStatements(ctx context.Context, n int) ([]string, error) {
	return queryStrings(ctx, s.db, `SELECT format('%s calls, %s ms total, %s ms mean: %s', calls, round(total_exec_time::numeric, 1),
		round(mean_exec_time::numeric, 3), regexp_replace(left(query, 110), '\s+', ' ', 'g'))
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY total_exec_time DESC LIMIT ?`, n)
}
