//go:build national

package registry_test

// The national benchmarks (make bench-national; the build tag "national"
// keeps them out of go test ./... and make test): 3.3 M people and about
// 20 M ledger entries over three years, on PostgreSQL with SQLite beside
// it. The data are made once (registry.NationalFill) and kept, with a
// PostgreSQL cluster started and stopped around each benchmark, in
// $PUNTOS_BENCH_DIR (default: puntos-bench under the user cache folder;
// /var/tmp/puntos-bench as root, since the cluster then runs as the
// postgres user, who cannot enter root's home). A folder per size holds
// a marker of the generator's version: a changed generator makes the
// data again. $PUNTOS_BENCH_SCALE (default 1) scales the data down for a
// trial run.

import (
	"cmp"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/wire"
)

// natSettings are the bench cluster's settings, on top of pgtest's; they
// are listed in docs/BENCHMARKS.md with the figures.
var natSettings = []string{"fsync=on", "synchronous_commit=on", "full_page_writes=on", "shared_buffers=4GB",
	"effective_cache_size=16GB", "work_mem=64MB", "maintenance_work_mem=1GB", "max_wal_size=2GB",
	"checkpoint_timeout=30min", "random_page_cost=1.1", "max_connections=100",
	"shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all"}

// nationalEngine is one engine's store over the national data.
type nationalEngine struct {
	name string
	st   *registry.Store
	dir  string // the data's folder
	url  string // PostgreSQL: the cluster's admin URL, else ""
}

// national opens the national data on both engines, making what is
// missing, and closes them (stopping the cluster) when b ends.
func national(b *testing.B) (*registry.National, []nationalEngine) {
	b.Helper()
	scale := 1.0
	if v := os.Getenv("PUNTOS_BENCH_SCALE"); v != "" {
		var err error
		if scale, err = strconv.ParseFloat(v, 64); err != nil || scale <= 0 || scale > 1 {
			b.Fatalf("PUNTOS_BENCH_SCALE=%q: want a number in (0, 1]", v)
		}
	}
	z := registry.NationalSizes{People: int(3_300_000 * scale), Entries: int(20_000_000 * scale), Years: []int{2024, 2025, 2026}}
	base := os.Getenv("PUNTOS_BENCH_DIR")
	if base == "" {
		cache, err := os.UserCacheDir()
		if err != nil || os.Geteuid() == 0 {
			cache = "/var/tmp"
		}
		base = filepath.Join(cache, "puntos-bench")
	}
	dir := filepath.Join(base, fmt.Sprintf("%d-people-%d-entries", z.People, z.Entries))
	version := fmt.Sprintf("generator %d\n", registry.NationalVersion)
	ctx := b.Context()
	n := registry.NewNational(z)

	cluster, err := pgtest.StartAt(filepath.Join(dir, "pg"), natSettings...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := cluster.Stop(); err != nil {
			b.Error(err)
		}
	})
	pgURL := cluster.URL("national")
	ready := func(engine string, open func(fresh bool) (*registry.Store, error)) *registry.Store {
		marker := filepath.Join(dir, engine+".done")
		if got, err := os.ReadFile(marker); err == nil && string(got) == version {
			st, err := open(false)
			if err != nil {
				b.Fatal(err)
			}
			return st
		}
		st, err := open(true)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: making %d people and about %d ledger entries in %s", engine, z.People, z.Entries, dir)
		start := time.Now()
		if err := st.NationalFill(ctx, n, func(step string) { b.Logf("%s: %s", engine, step) }); err != nil {
			b.Fatalf("%s: %v", engine, err)
		}
		b.Logf("%s: made in %v", engine, time.Since(start).Round(time.Second))
		if err := os.WriteFile(marker, []byte(version), 0o644); err != nil {
			b.Fatal(err)
		}
		return st
	}
	pg := ready("postgres", func(fresh bool) (*registry.Store, error) {
		if fresh {
			admin := cluster.URL("postgres")
			pgtest.Drop(admin, "national")
			if err := createDB(admin, "national"); err != nil {
				return nil, err
			}
		}
		return registry.OpenURL(ctx, pgURL)
	})
	b.Cleanup(func() { pg.Close() })
	liteDir := filepath.Join(dir, "sqlite")
	lite := ready("sqlite", func(fresh bool) (*registry.Store, error) {
		if fresh {
			os.RemoveAll(liteDir)
		}
		return registry.Open(liteDir)
	})
	b.Cleanup(func() { lite.Close() })
	return n, []nationalEngine{{"pg", pg, dir, cluster.URL("postgres")}, {"sqlite", lite, dir, ""}}
}

func createDB(admin, name string) error {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("CREATE DATABASE " + name)
	return err
}

// natAll is the whole country's staff scope.
var natAll = wire.StaffScope{}

// BenchmarkNationalPersonLedger reads the ledger of a random person (what
// the staff API's person page reads) and reports the latencies' p50 and
// p99.
func BenchmarkNationalPersonLedger(b *testing.B) {
	n, engines := national(b)
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			var took []time.Duration
			entries := 0
			for b.Loop() {
				dni := n.DNI(r.IntN(n.Z.People))
				start := time.Now()
				l, err := e.st.PersonLedger(b.Context(), dni, natAll)
				took = append(took, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				for _, y := range l.Years {
					entries += len(y.Entries)
				}
			}
			if entries == 0 {
				b.Fatal("no ledger entries found")
			}
			slices.Sort(took)
			ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
			b.ReportMetric(ms(0.5), "p50_ms")
			b.ReportMetric(ms(0.99), "p99_ms")
			b.ReportMetric(float64(entries)/float64(len(took)), "entries/person")
		})
	}
}

// BenchmarkNationalCompliance makes the compliance report of 2026 (the
// totals and the list of everyone under the required points, what the
// staff API and the CLI export give) for the whole country and for one
// province, the largest and a middle one.
func BenchmarkNationalCompliance(b *testing.B) {
	nationalCompliance(b, func(b *testing.B, st *registry.Store, prov string) int { return complianceReport(b, st, 2026, prov) })
}

// BenchmarkNationalComplianceTotals makes only the report's totals (by
// province and agency, and by place), what the Central workspace shows
// first, for the same places.
func BenchmarkNationalComplianceTotals(b *testing.B) {
	nationalCompliance(b, func(b *testing.B, st *registry.Store, prov string) int {
		c, err := st.Compliance(b.Context(), 2026, prov, wire.StaffScope{})
		if err != nil || len(c.Places) == 0 {
			b.Fatal(err)
		}
		return c.Under
	})
}

// nationalCompliance times report, which returns how many people are
// under the required points, on each engine for the whole country,
// Salta and Buenos Aires.
func nationalCompliance(b *testing.B, report func(b *testing.B, st *registry.Store, prov string) int) {
	_, engines := national(b)
	for _, e := range engines {
		for _, prov := range []string{"", "Salta", "Buenos Aires"} {
			b.Run(e.name+"/"+cmp.Or(strings.ReplaceAll(prov, " ", "_"), "country"), func(b *testing.B) {
				var under int
				for b.Loop() {
					under = report(b, e.st, prov)
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
				b.ReportMetric(float64(under), "people_under")
			})
		}
	}
}

// BenchmarkNationalImpact makes the impact view of 2026 for the whole
// country.
func BenchmarkNationalImpact(b *testing.B) {
	_, engines := national(b)
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			var im wire.Impact
			for b.Loop() {
				var err error
				if im, err = e.st.Impact(b.Context(), 2026, "", natAll); err != nil || im.People == 0 {
					b.Fatalf("impact: %d people, %v", im.People, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
			b.ReportMetric(float64(im.Attendances), "attendances")
		})
	}
}

// Ingest batches: natBatches batches of 20 sessions with 49 attendances
// each (1,000 records a batch), from one office of Buenos Aires.
const natBatches = 50

// BenchmarkNationalIngest stores batches through Store.Ingest (outcomes,
// receipt, idempotency and ledger credits included) into the national
// registry and, in the same run, loads the same sessions and attendances
// raw (COPY on PostgreSQL, multi-row INSERTs on SQLite) into the same
// tables in a transaction rolled back afterwards; it reports both rates
// and their ratio. Each run ingests new records (sessions of 2027, people
// not credited in an earlier run, counted in a file beside the data), so
// the data grow by natBatches × 1,000 records a run.
func BenchmarkNationalIngest(b *testing.B) {
	n, engines := national(b)
	ba := n.InProvince("Buenos Aires")
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			ctx := b.Context()
			counter := filepath.Join(e.dir, e.name+".ingest-runs")
			runs := 0
			if v, err := os.ReadFile(counter); err == nil {
				runs, _ = strconv.Atoi(strings.TrimSpace(string(v)))
			}
			received := time.Date(2027, 3, 20, 15, 0, 0, 0, time.UTC)
			var ingestTook, rawTook, allTook time.Duration
			records, rows, allRows := 0, 0, 0
			if e.url != "" {
				if err := e.st.ResetStatements(ctx); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				run := runs
				runs++
				if err := os.WriteFile(counter, []byte(strconv.Itoa(runs)), 0o644); err != nil {
					b.Fatal(err)
				}
				dev := registrytest.Device(b, e.st, fmt.Sprintf("nat-ingest-%d", run), "Notebook", "Delegación La Plata", "Buenos Aires", received)
				batches := natIngestBatches(n, ba, run, dev.ID, received)
				sess, att := natRawRows(batches, dev.ID, received)
				// An untimed raw load first, rolled back, so that ingest
				// and the timed raw load below find the same index pages
				// in memory.
				if _, err := e.st.RawLoad(ctx, []string{"sessions", "attendances"},
					[][]string{natSessionCols, natAttendanceCols}, [][][]any{sess, att}); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				for _, bt := range batches {
					if _, err := e.st.Ingest(ctx, wire.IngestRequest{Batch: bt, Device: dev, Source: wire.SourceHTTP, ReceivedAt: received}); err != nil {
						b.Fatal(err)
					}
					records += bt.Records()
				}
				ingestTook += time.Since(start)
				took, err := e.st.RawLoad(ctx, []string{"sessions", "attendances"},
					[][]string{natSessionCols, natAttendanceCols}, [][][]any{sess, att})
				if err != nil {
					b.Fatal(err)
				}
				rawTook += took
				rows += len(sess) + len(att)
				batchRows, ledger, outcomes := natRawWrites(batches, dev.ID, received)
				took, err = e.st.RawLoad(ctx, []string{"sessions", "attendances", "batches", "ledger", "outcomes"},
					[][]string{natSessionCols, natAttendanceCols, natBatchCols, natLedgerCols, natOutcomeCols},
					[][][]any{sess, att, batchRows, ledger, outcomes})
				if err != nil {
					b.Fatal(err)
				}
				allTook += took
				allRows += len(sess) + len(att) + len(batchRows) + len(ledger) + len(outcomes)
			}
			ingest, raw := float64(records)/ingestTook.Seconds(), float64(rows)/rawTook.Seconds()
			b.ReportMetric(ingest, "records/s")
			b.ReportMetric(raw, "raw_rows/s")
			b.ReportMetric(ingest/raw, "ratio")
			// The store writes more than the records: a credit per
			// attendance attended, an outcome per record, the batch. The
			// raw load of all those rows bounds what ingest can reach.
			b.ReportMetric(float64(allRows)/allTook.Seconds(), "raw_all_rows/s")
			b.ReportMetric(ingestTook.Seconds()/allTook.Seconds(), "ingest/raw_all_time")
			if e.url != "" {
				top, err := e.st.TopStatements(ctx, 12)
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("PostgreSQL statements by total time:\n%s", strings.Join(top, "\n"))
			}
		})
	}
}

// natIngestBatches makes run's batches: people of Buenos Aires taken in
// turn from where the previous run stopped, so none is credited twice
// for an activity in 2027.
func natIngestBatches(n *registry.National, people []int32, run int, deviceID string, received time.Time) []*wire.Batch {
	statuses := []string{"presente", "presente", "presente", "tarde", "ausente", "justificado", "presente"}
	var out []*wire.Batch
	next := run * natBatches * 20 * 49
	for bi := range natBatches {
		b := &wire.Batch{Protocol: wire.Protocol, ID: fmt.Sprintf("%s-b-%d", deviceID, bi), DeviceClock: received}
		for k := range 20 {
			sid := fmt.Sprintf("%s-s-%d-%d", deviceID, bi, k)
			day := received.AddDate(0, 0, -1-k%9).Format("2006-01-02")
			b.Sessions = append(b.Sessions, wire.SessionRecord{ID: sid, ActivityCode: fmt.Sprintf("NAT-%02d", (bi+k)%60),
				Date: day, Start: "09:00", End: "12:00", Province: "Buenos Aires", Municipality: "La Plata",
				Modality: "presencial", ClosedAt: received.Add(-time.Hour)})
			for j := range 49 {
				dni := n.DNI(int(people[next%len(people)]))
				next++
				b.Attendances = append(b.Attendances, wire.AttendanceRecord{ID: fmt.Sprintf("%s-a-%d-%d-%d", deviceID, bi, k, j), SessionID: sid,
					DNI: dni, Status: statuses[j%len(statuses)], Method: "typed", At: received.Add(-2 * time.Hour)})
			}
		}
		out = append(out, b)
	}
	return out
}

var (
	natSessionCols    = []string{"id", "activity_code", "date", "year", "start_time", "end_time", "province", "municipality", "modality", "closed_at", "device_id", "batch_id", "received_at"}
	natAttendanceCols = []string{"id", "session_id", "dni", "status", "method", "at", "device_id", "batch_id"}
)

// natRawRows returns the sessions and attendances of batches as rows of
// those tables, under new IDs (the records themselves are stored already).
func natRawRows(batches []*wire.Batch, deviceID string, received time.Time) (sessions, attendances [][]any) {
	stamp := received.Format(time.RFC3339Nano)
	for _, b := range batches {
		for _, s := range b.Sessions {
			sessions = append(sessions, []any{"raw-" + s.ID, s.ActivityCode, s.Date, int64(2027), s.Start, s.End, s.Province, s.Municipality,
				s.Modality, stamp, deviceID, "raw-" + b.ID, stamp})
		}
		for _, a := range b.Attendances {
			attendances = append(attendances, []any{"raw-" + a.ID, "raw-" + a.SessionID, a.DNI, a.Status, a.Method, stamp, deviceID, "raw-" + b.ID})
		}
	}
	return sessions, attendances
}

var (
	natBatchCols   = []string{"id", "device_id", "source", "received_at", "device_clock", "records", "receipt"}
	natLedgerCols  = []string{"dni", "activity_code", "session_id", "year", "points", "kind", "rule_version", "batch_id", "device_id", "created_at"}
	natOutcomeCols = []string{"batch_id", "n", "kind", "record_id", "result", "code"}
)

// natRawWrites returns the other rows Ingest writes for batches, under
// the IDs of natRawRows: the batches (with a receipt of the same size),
// a credit per attendance attended and an outcome per record.
func natRawWrites(batches []*wire.Batch, deviceID string, received time.Time) (batchRows, ledger, outcomes [][]any) {
	stamp := received.Format(time.RFC3339Nano)
	for _, b := range batches {
		receipt := []byte(strings.Repeat(`{"kind":"attendance","id":"x","result":"accepted"},`, b.Records()))
		batchRows = append(batchRows, []any{"raw-" + b.ID, deviceID, "http", stamp, stamp, int64(b.Records()), receipt})
		n := int64(0)
		for _, s := range b.Sessions {
			outcomes = append(outcomes, []any{"raw-" + b.ID, n, "session", "raw-" + s.ID, "accepted", ""})
			n++
		}
		for _, a := range b.Attendances {
			outcomes = append(outcomes, []any{"raw-" + b.ID, n, "attendance", "raw-" + a.ID, "accepted", ""})
			n++
			if a.Status == "presente" || a.Status == "tarde" {
				code := b.Sessions[0].ActivityCode
				for _, s := range b.Sessions {
					if s.ID == a.SessionID {
						code = s.ActivityCode
					}
				}
				// 2028: the credits of 2027 are the ones just ingested.
				ledger = append(ledger, []any{a.DNI, code, "raw-" + a.SessionID, int64(2028), int64(2), "credit", "2026.1", "raw-" + b.ID, deviceID, stamp})
			}
		}
	}
	return batchRows, ledger, outcomes
}

// BenchmarkNationalRosterImport imports the national roster (3.3 M rows,
// a CSV kept beside the data) into an empty registry.
func BenchmarkNationalRosterImport(b *testing.B) {
	n, engines := national(b)
	path := filepath.Join(engines[0].dir, "roster.csv")
	if _, err := os.Stat(path); err != nil {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := n.RosterCSV(f); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			ctx := b.Context()
			var took time.Duration
			for b.Loop() {
				var st *registry.Store
				var err error
				if e.url != "" {
					name := fmt.Sprintf("roster_%d", time.Now().UnixNano())
					if err := createDB(e.url, name); err != nil {
						b.Fatal(err)
					}
					defer pgtest.Drop(e.url, name)
					st, err = registry.OpenURL(ctx, strings.Replace(e.url, "/postgres?", "/"+name+"?", 1))
				} else {
					st, err = registry.Open(b.TempDir())
				}
				if err != nil {
					b.Fatal(err)
				}
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if e.url != "" {
					if err := st.ResetStatements(ctx); err != nil {
						b.Fatal(err)
					}
				}
				start := time.Now()
				rep, err := st.ImportRoster(ctx, f)
				took += time.Since(start)
				f.Close()
				if e.url != "" {
					top, err := st.TopStatements(ctx, 6)
					if err != nil {
						b.Fatal(err)
					}
					b.Logf("PostgreSQL statements by total time:\n%s", strings.Join(top, "\n"))
				}
				st.Close()
				if err != nil || rep.Added != n.Z.People {
					b.Fatalf("import: %d added of %d, %d rejected: %v", rep.Added, n.Z.People, len(rep.Rejects), err)
				}
			}
			b.ReportMetric(float64(n.Z.People*b.N)/took.Seconds(), "rows/s")
		})
	}
}
