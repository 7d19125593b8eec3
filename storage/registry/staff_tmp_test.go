package registry_test

import (
	"testing"
	"time"

	"github.com/puntos-ar/puntos/sync"
)

func BenchmarkTmpIngestNoStaffIdx(b *testing.B) {
	tmpIngest(b, []string{"DROP INDEX ledger_year", "DROP INDEX ledger_session", "DROP INDEX attendances_session_status", "DROP INDEX sessions_year", "DROP INDEX batches_inbox", "DROP INDEX review_batch", "DROP INDEX review_received", "DROP INDEX certificates_attendance"})
}

func BenchmarkTmpIngestOptionA(b *testing.B) {
	tmpIngest(b, []string{"DROP INDEX ledger_session", "DROP INDEX ledger_year", "CREATE INDEX ledger_year4 ON ledger(year, dni, session_id, points)"})
}

func BenchmarkTmpIngestNoAttIdx(b *testing.B) {
	tmpIngest(b, []string{"DROP INDEX attendances_session_status"})
}

func BenchmarkTmpIngestNoLedgerIdx(b *testing.B) {
	tmpIngest(b, []string{"DROP INDEX ledger_session", "DROP INDEX ledger_year"})
}

func BenchmarkTmpIngestNoSmallIdx(b *testing.B) {
	tmpIngest(b, []string{"DROP INDEX sessions_year", "DROP INDEX batches_inbox", "DROP INDEX review_batch", "DROP INDEX review_received", "DROP INDEX certificates_attendance"})
}

func tmpIngest(b *testing.B, stmts []string) {
	received := time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)
	batches := benchBatches(received)
	records := 0
	for _, bt := range batches {
		records += bt.Records()
	}
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, dev := benchStore(b, received)
		for _, q := range stmts {
			if err := st.Exec(b.Context(), q); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		for _, bt := range batches {
			if _, err := st.Ingest(b.Context(), sync.IngestRequest{Batch: bt, Device: dev, Source: sync.SourceHTTP, ReceivedAt: received}); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(records*b.N)/elapsed.Seconds(), "records/s")
}
