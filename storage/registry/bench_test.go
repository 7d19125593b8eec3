package registry_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Benchmark sizes: 100,000 attendances in batches of 1,000 records (20
// sessions of 49 people each).
const (
	benchAttendances = 100_000
	benchSessions    = 20
	benchPerSession  = 49
	benchPeople      = 20_000
)

var benchActivities = []string{"CH-INSP-01", "TA-LENG-01", "TA-EXCEL-02", "CU-GDE-01", "IN-GEST-01", "VI-CIBER-01"}

// benchBatches makes the benchmark's batches: every session of a batch
// with its attendances, people from a demo roster of benchPeople.
func benchBatches(received time.Time) []*wire.Batch {
	statuses := []string{"presente", "presente", "presente", "tarde", "ausente", "justificado", "presente"}
	var out []*wire.Batch
	n, k := 0, 0
	for n < benchAttendances {
		b := &wire.Batch{Protocol: wire.Protocol, ID: fmt.Sprintf("bench-b-%d", len(out)), DeviceClock: received}
		for range benchSessions {
			sid := fmt.Sprintf("bench-s-%d", k)
			day := received.AddDate(0, 0, -1-k%9).Format("2006-01-02")
			b.Sessions = append(b.Sessions, wire.SessionRecord{ID: sid, ActivityCode: benchActivities[k%len(benchActivities)],
				Date: day, Start: "09:00", End: "12:00", Province: "Buenos Aires", Municipality: "Tandil",
				Modality: "presencial", ClosedAt: received.Add(-time.Hour)})
			for j := range benchPerSession {
				if n == benchAttendances {
					break
				}
				p := demo.Person((k*benchPerSession+j*7919)%benchPeople, 1)
				b.Attendances = append(b.Attendances, wire.AttendanceRecord{ID: fmt.Sprintf("bench-a-%d", n), SessionID: sid,
					DNI: p.DNI, Status: statuses[n%len(statuses)], Method: "typed", At: received.Add(-2 * time.Hour)})
				n++
			}
			k++
		}
		out = append(out, b)
	}
	return out
}

// benchStore opens a registry with the demo catalog, a roster of
// benchPeople and one device.
func benchStore(b *testing.B, received time.Time) (*registry.Store, wire.EnrolledDevice) {
	b.Helper()
	st, err := registry.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	if _, err := st.ImportCatalog(ctx, bytes.NewBufferString(demo.Catalog)); err != nil {
		b.Fatal(err)
	}
	var roster bytes.Buffer
	demo.Roster(&roster, benchPeople, 1)
	if _, err := st.ImportRoster(ctx, &roster); err != nil {
		b.Fatal(err)
	}
	return st, registrytest.Device(b, st, "bench-device", "bench", "Bench", "Buenos Aires", received)
}

// BenchmarkIngest stores 100,000 attendances (plus their sessions) in
// batches of 1,000 records, each in one transaction with its outcomes,
// receipt and ledger credits, into a fresh registry per iteration. It
// reports records/s; BenchmarkRawInsert gives the raw SQLite rate for the
// ratio.
func BenchmarkIngest(b *testing.B) {
	received := time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)
	batches := benchBatches(received)
	records, accepted := 0, 0
	for _, bt := range batches {
		records += bt.Records()
	}
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, dev := benchStore(b, received)
		b.StartTimer()
		start := time.Now()
		for _, bt := range batches {
			if _, err := st.Ingest(b.Context(), wire.IngestRequest{Batch: bt, Device: dev, Source: wire.SourceHTTP, ReceivedAt: received}); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		b.StopTimer()
		s, err := st.Stats(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		accepted = s.Attendances.Accepted
		st.Close()
		b.StartTimer()
	}
	if accepted != benchAttendances {
		b.Fatalf("accepted %d attendances, want %d", accepted, benchAttendances)
	}
	b.ReportMetric(float64(records*b.N)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(len(batches)), "batches")
}

// BenchmarkRawInsert inserts 100,000 attendance-like rows straight into an
// SQLite file opened like the registry's (sqlitex.OpenDB), 1,000 rows per
// transaction with one prepared statement: the ceiling for BenchmarkIngest.
func BenchmarkRawInsert(b *testing.B) {
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := sqlitex.OpenDB(filepath.Join(b.TempDir(), "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`CREATE TABLE attendances (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, dni TEXT NOT NULL,
			status TEXT NOT NULL, method TEXT NOT NULL, at TEXT NOT NULL, device_id TEXT NOT NULL, batch_id TEXT NOT NULL) WITHOUT ROWID`); err != nil {
			b.Fatal(err)
		}
		at := time.Now().UTC().Format(time.RFC3339Nano)
		b.StartTimer()
		start := time.Now()
		for n := 0; n < benchAttendances; {
			tx, err := db.Begin()
			if err != nil {
				b.Fatal(err)
			}
			st, err := tx.Prepare(`INSERT INTO attendances VALUES (?,?,?,?,?,?,?,?)`)
			if err != nil {
				b.Fatal(err)
			}
			for range 1000 {
				if _, err := st.Exec(fmt.Sprintf("bench-a-%d", n), "bench-s-1", "20123456", "presente", "typed", at, "bench-device", "bench-b"); err != nil {
					b.Fatal(err)
				}
				n++
			}
			st.Close()
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchAttendances*b.N)/elapsed.Seconds(), "rows/s")
}
