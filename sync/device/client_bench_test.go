package device_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/server"
)

// Size of BenchmarkSyncEndToEnd: benchSessions closed sessions of
// benchAttendees each, drawn from a roster of benchPeople.
const (
	benchSessions  = 1000
	benchAttendees = 100
	benchPeople    = 10_000
)

// copyDB copies an SQLite file (closed, so without a WAL) into dir.
func copyDB(b *testing.B, src, dir, name string) {
	b.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// benchTemplates builds, once, a registry with the demo catalog and a
// roster, and a device with the same data and 100,000 attendances in
// closed sessions, through the stores' ordinary methods. It returns the
// two data directories.
func benchTemplates(b *testing.B) (regDir, devDir string) {
	b.Helper()
	ctx := context.Background()
	var roster bytes.Buffer
	if err := demo.Roster(&roster, benchPeople, 11); err != nil {
		b.Fatal(err)
	}
	regDir, devDir = b.TempDir(), b.TempDir()
	reg, err := registry.Open(regDir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := reg.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		b.Fatal(err)
	}
	if _, err := reg.ImportRoster(ctx, bytes.NewReader(roster.Bytes())); err != nil {
		b.Fatal(err)
	}
	if err := reg.Close(); err != nil {
		b.Fatal(err)
	}
	dev, err := storage.Open(devDir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := dev.ImportCatalog(ctx, strings.NewReader(demo.Catalog), nil); err != nil {
		b.Fatal(err)
	}
	if _, err := dev.ImportRoster(ctx, bytes.NewReader(roster.Bytes()), nil); err != nil {
		b.Fatal(err)
	}
	acts := []string{"CH-INSP-01", "CH-ETICA-02", "TA-LENG-01", "TA-EXCEL-02", "TA-ATEN-03"}
	statuses := []domain.Status{domain.Presente, domain.Presente, domain.Presente, domain.Tarde, domain.Ausente}
	date := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	for k := range benchSessions {
		s, err := dev.CreateSession(ctx, domain.Session{ActivityCode: acts[k%len(acts)], Date: date, Start: "09:00", End: "11:00",
			Province: "Salta", Municipality: "Cafayate", Venue: "Escuela N° 4021", Instructor: "Lic. Carla Benítez"})
		if err != nil {
			b.Fatal(err)
		}
		for j := range benchAttendees {
			p := demo.Person((k*benchAttendees+j*7)%benchPeople, 11)
			if _, err := dev.Mark(ctx, s.ID, p.DNI, statuses[j%len(statuses)], domain.Typed); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := dev.CloseSession(ctx, s.ID); err != nil {
			b.Fatal(err)
		}
	}
	if err := dev.Close(); err != nil {
		b.Fatal(err)
	}
	return regDir, devDir
}

// BenchmarkSyncEndToEnd syncs 100,000 attendances (in 1,000 sessions)
// from a device to a real registry on loopback: batches built, sent
// gzipped, ingested with the ledger, receipts stored on the device, then
// the catalog and roster pulls. It reports records/s end to end and the
// compressed bytes sent per attendance.
func BenchmarkSyncEndToEnd(b *testing.B) {
	regTpl, devTpl := benchTemplates(b)
	ctx := context.Background()
	var res device.Result
	for b.Loop() {
		b.StopTimer()
		regDir, devDir := b.TempDir(), b.TempDir()
		copyDB(b, filepath.Join(regTpl, registry.FileName), regDir, registry.FileName)
		copyDB(b, filepath.Join(devTpl, storage.FileName), devDir, storage.FileName)
		reg, err := registry.Open(regDir)
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(server.NewServer(reg, quietLog()))
		dev, err := storage.Open(devDir)
		if err != nil {
			b.Fatal(err)
		}
		code := registrytest.Code(b, reg, "Capacitación Salta", "Salta", time.Now())
		c := device.NewClient(dev)
		if _, err := c.Enroll(ctx, srv.URL, code, "Banco de pruebas"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		res, err = c.Sync(ctx, nil)

		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		st, err := reg.Stats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		const want = benchSessions * benchAttendees
		if st.Attendances.Accepted != want || st.Sessions.Accepted != benchSessions || res.Records != want+benchSessions {
			b.Fatalf("registry attendances %+v sessions %+v, sync %+v; want %d accepted", st.Attendances, st.Sessions, res, want)
		}
		if n, _ := dev.Waiting(ctx); n != 0 {
			b.Fatalf("device still waits for %d records", n)
		}
		srv.Close()
		reg.Close()
		dev.Close()
		b.StartTimer()
	}
	const attendances = benchSessions * benchAttendees
	b.ReportMetric(float64(attendances*b.N)/b.Elapsed().Seconds(), "attendances/s")
	b.ReportMetric(float64(res.BytesSent)/attendances, "bytes-sent/attendance")
	b.ReportMetric(float64(res.BytesReceived)/attendances, "bytes-received/attendance")
	b.ReportMetric(float64(res.Batches), "batches")
}
