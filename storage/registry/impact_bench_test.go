package registry_test

import (
	"testing"

	"github.com/puntos-ar/puntos/sync/wire"
)

// BenchmarkImpactReport makes the impact view of a year (totals, the
// previous year's, months, provinces, municipalities, surveys) over the
// benchmark registry of 500,000 people and 2 M ledger entries.
func BenchmarkImpactReport(b *testing.B) {
	st := benchRegistry(b)
	b.ResetTimer()
	var im wire.Impact
	for b.Loop() {
		var err error
		if im, err = st.Impact(b.Context(), 2026, "", wire.StaffScope{}); err != nil || im.People == 0 {
			b.Fatalf("impact: %d people, %v", im.People, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
	b.ReportMetric(float64(im.Attendances), "attendances")
	b.ReportMetric(float64(im.MunicipalitiesReached), "municipalities")
}
