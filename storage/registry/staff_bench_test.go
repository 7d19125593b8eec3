package registry_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/wire"
)

// The staff benchmarks' registry: 500,000 people and 2,000,000 ledger
// entries (with their sessions, attendances, outcomes and batches), made
// once by BulkFill and kept in the temp dir between runs (the folder's
// name carries the sizes and a version to bump when BulkFill changes).
// -short uses a tenth of it.
var staffBench = struct {
	once sync.Once
	st   *registry.Store
	err  error
	made time.Duration
}{}

func benchRegistry(b *testing.B) *registry.Store {
	b.Helper()
	staffBench.once.Do(func() {
		z := registry.BulkSizes{People: 500_000, Entries: 2_000_000, PerSess: 40, PerBatch: 4}
		if testing.Short() {
			z.People, z.Entries = 50_000, 200_000
		}
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("puntos-registry-bench-v2-%d-%d", z.People, z.Entries))
		marker := filepath.Join(dir, "complete")
		if _, err := os.Stat(marker); err != nil {
			os.RemoveAll(dir)
			st, err := registry.Open(dir)
			if err != nil {
				staffBench.err = err
				return
			}
			start := time.Now()
			if err := st.BulkFill(b.Context(), z); err != nil {
				st.Close()
				staffBench.err = err
				return
			}
			staffBench.made = time.Since(start)
			st.Close()
			if err := os.WriteFile(marker, nil, 0o600); err != nil {
				staffBench.err = err
				return
			}
		}
		staffBench.st, staffBench.err = registry.Open(dir)
	})
	if staffBench.err != nil {
		b.Fatal(staffBench.err)
	}
	if staffBench.made > 0 {
		b.Logf("made the benchmark registry in %v", staffBench.made.Round(time.Second))
		staffBench.made = 0
	}
	return staffBench.st
}

// BenchmarkStaffPersonLedger looks up one person's ledger (every year,
// with provenance and certificates), a different person each time.
func BenchmarkStaffPersonLedger(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	entries := 0
	for i := 0; i < b.N; i++ {
		l, err := st.PersonLedger(b.Context(), demo.Person(i*7919%50_000, 7).DNI, wire.StaffScope{})
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
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/ledger")
}

// BenchmarkStaffFindByName finds people by the start of a folded name.
func BenchmarkStaffFindByName(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ps, err := st.FindPeople(b.Context(), "gonzalez maria", 2026, 50, wire.StaffScope{})
		if err != nil || len(ps) == 0 {
			b.Fatal(len(ps), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/search")
}

// BenchmarkStaffInboxFirstPage reads the inbox's first page of 50
// batches, with their counts and open reviews.
func BenchmarkStaffInboxFirstPage(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := st.Inbox(b.Context(), wire.InboxQuery{Limit: 50}, wire.StaffScope{})
		if err != nil || len(p.Batches) != 50 {
			b.Fatal(len(p.Batches), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
}

// BenchmarkStaffRecordsRejected reads the first page of rejected records
// across every batch.
func BenchmarkStaffRecordsRejected(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := st.Records(b.Context(), wire.RecordQuery{Result: wire.Rejected, Limit: 50}, wire.StaffScope{})
		if err != nil || len(p.Records) == 0 {
			b.Fatal(len(p.Records), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
}

// BenchmarkStaffComplianceReport makes the whole compliance report for a
// year: the totals by province and agency and by municipality, and the
// sorted list of everyone under 60 points (what the CSV export holds).
func BenchmarkStaffComplianceReport(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	var under int
	for i := 0; i < b.N; i++ {
		under = complianceReport(b, st, 2026, "")
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
	b.ReportMetric(float64(under), "people_under")
}

// complianceReport makes the whole compliance report of year for the
// province named province (every one when ""): the totals and the list of
// everyone under the required points. It returns how many are under.
func complianceReport(b *testing.B, st *registry.Store, year int, province string) int {
	c, err := st.Compliance(b.Context(), year, province, wire.StaffScope{})
	if err != nil || len(c.Places) == 0 {
		b.Fatal(err)
	}
	n, err := st.CompliancePeople(b.Context(), wire.CompliancePeopleQuery{Year: year, Province: province}, wire.StaffScope{},
		func(wire.CompliancePerson) error { return nil })
	if err != nil || n != c.Under {
		b.Fatalf("%d people listed, %d under in the totals: %v", n, c.Under, err)
	}
	return n
}

// BenchmarkStaffComplianceTotals makes only the report's totals, what
// the Central workspace shows first.
func BenchmarkStaffComplianceTotals(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.Compliance(b.Context(), 2026, "", wire.StaffScope{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/totals")
}

// BenchmarkStaffComplianceProvince lists the people under 60 points of
// one province.
func BenchmarkStaffComplianceProvince(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := st.CompliancePeople(b.Context(), wire.CompliancePeopleQuery{Year: 2026, Province: "Salta"}, wire.StaffScope{},
			func(wire.CompliancePerson) error { return nil })
		if err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/province")
}
