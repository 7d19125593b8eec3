package storage_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

const benchPeople = 500_000

var rosterFile = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := demo.Roster(&b, benchPeople, 7); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// big is one store with the 500,000-person roster, shared by benchmarks.
var (
	bigOnce sync.Once
	big     *storage.Store
	bigDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if big != nil {
		big.Close()
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

func bigStore(b *testing.B) *storage.Store {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "puntos-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bigDir = dir
		st, err := storage.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := st.CountPeople(ctx); n < benchPeople {
			if _, err := st.ImportRoster(ctx, bytes.NewReader(rosterFile()), nil); err != nil {
				b.Fatal(err)
			}
			if _, err := st.ImportCatalog(ctx, bytes.NewReader([]byte(demo.Catalog)), nil); err != nil {
				b.Fatal(err)
			}
		}
		big = st
	})
	return big
}

// BenchmarkImportRoster imports a fresh 500,000-row roster file (rows/s).
func BenchmarkImportRoster(b *testing.B) {
	data := rosterFile()
	for b.Loop() {
		b.StopTimer()
		st, err := storage.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := st.ImportRoster(ctx, bytes.NewReader(data), nil)
		if err != nil || rep.Added != benchPeople {
			b.Fatalf("import: %+v %v", rep.Added, err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchPeople*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRawInsert is the baseline: plain inserts of the same rows into a
// bare table in one transaction, with no parsing or indexes.
func BenchmarkRawInsert(b *testing.B) {
	people := make([]domain.Person, benchPeople)
	for i := range people {
		people[i] = demo.Person(i, 7)
	}
	for b.Loop() {
		b.StopTimer()
		db, err := sqlitex.OpenDB(filepath.Join(b.TempDir(), "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`CREATE TABLE t(dni TEXT, cuil TEXT, surname TEXT, given TEXT, agency TEXT, email TEXT, province TEXT)`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rawInsert(b, db, people)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchPeople*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func rawInsert(b *testing.B, db *sql.DB, people []domain.Person) {
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO t VALUES (?,?,?,?,?,?,?)`)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range people {
		if _, err := stmt.Exec(p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// timed runs op b.N times and reports the p99 latency in ms.
func timed(b *testing.B, op func(i int)) {
	durs := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		op(i)
		durs = append(durs, time.Since(t0))
	}
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds())/1000, "p99-ms")
}

func BenchmarkFindByDNI(b *testing.B) {
	st := bigStore(b)
	timed(b, func(i int) {
		p := demo.Person(i%benchPeople, 7)
		got, err := st.Person(ctx, p.DNI)
		if err != nil || got.DNI != p.DNI {
			b.Fatalf("%v %v", got.DNI, err)
		}
	})
}

func BenchmarkNameSearch(b *testing.B) {
	st := bigStore(b)
	queries := []string{"gonz", "perez mar", "nunez", "muñoz", "lucia", "jose", "pena", "dalessandro", "quispe", "zub", "sofia", "alvarez h"}
	timed(b, func(i int) {
		got, err := st.FindPeople(ctx, queries[i%len(queries)], 20)
		if err != nil || len(got) == 0 {
			b.Fatalf("%q: %d %v", queries[i%len(queries)], len(got), err)
		}
	})
}

func BenchmarkCheckIn(b *testing.B) {
	st := bigStore(b)
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: "CH-INSP-01", Date: "2026-11-27",
		Province: "Salta", Municipality: "Cafayate"})
	if err != nil {
		b.Fatal(err)
	}
	timed(b, func(i int) {
		p := demo.Person((i*7919)%benchPeople, 7)
		if _, err := st.CheckIn(ctx, s.ID, domain.FormatDNI(p.DNI), storage.CheckInOptions{}); err != nil {
			b.Fatal(fmt.Errorf("check-in %d: %w", i, err))
		}
	})
}
