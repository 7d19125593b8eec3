package registry_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/wire"
)

// TestInstancesRace: two stores on one database, as two registry
// instances are (on SQLite two handles on one file, on PostgreSQL two
// pools). Devices of two offices report the same people in the same
// activity and year at once, and each batch reaches both instances at
// once: every batch is stored once with one receipt, and each person gets
// exactly one credit.
func TestInstancesRace(t *testing.T) {
	dir := t.TempDir()
	a, b := open(t, dir), open(t, dir)
	ctx := t.Context()
	const people, devices = 40, 6
	var roster strings.Builder
	roster.WriteString("DNI;Apellido;Nombres\n")
	for i := range people {
		fmt.Fprintf(&roster, "%d;Apellido%d;Nombre\n", 30000000+i, i)
	}
	if _, err := a.ImportCatalog(ctx, strings.NewReader("Código;Título;Tipo;Horas;Puntos\nX-1;Charla;charla;2;5\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportRoster(ctx, strings.NewReader(roster.String())); err != nil {
		t.Fatal(err)
	}
	type push struct {
		dev   wire.EnrolledDevice
		batch *wire.Batch
	}
	var pushes []push
	for d := range devices {
		dev := registrytest.Device(t, a, fmt.Sprintf("dev-%d", d), "n", fmt.Sprintf("Oficina %d", d), "Salta", now)
		for n := range 3 { // three sessions per device, each with every person
			bt := registrytest.Batch(fmt.Sprintf("b-%d-%d", d, n))
			sid := fmt.Sprintf("s-%d-%d", d, n)
			bt.Sessions = []wire.SessionRecord{registrytest.Session(sid, "X-1", "2026-03-19")}
			for i := range people {
				bt.Attendances = append(bt.Attendances,
					registrytest.Attendance(fmt.Sprintf("a-%d-%d-%d", d, n, i), sid, fmt.Sprint(30000000+i), "presente"))
			}
			pushes = append(pushes, push{dev, bt})
		}
	}
	receipts := make([][2][]byte, len(pushes))
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(pushes))
	for i, p := range pushes {
		for j, st := range []*registry.Store{a, b} {
			wg.Go(func() {
				r, err := st.Ingest(ctx, wire.IngestRequest{Batch: p.batch, Device: p.dev, Source: wire.SourceHTTP, ReceivedAt: now})
				if err != nil {
					errs <- fmt.Errorf("batch %s at instance %d: %w", p.batch.ID, j, err)
				}
				receipts[i][j] = r
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, r := range receipts {
		if !bytes.Equal(r[0], r[1]) || len(r[0]) == 0 {
			t.Errorf("batch %s: the instances answered different receipts:\n%s\n%s", pushes[i].batch.ID, r[0], r[1])
		}
	}
	st, err := b.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Batches != len(pushes) || st.Entries != people || st.Points != 5*people ||
		st.Attendances.Accepted != len(pushes)*people || st.Sessions.Accepted != len(pushes) {
		t.Errorf("stats %+v: want %d batches, %d sessions, %d attendances, %d entries", st, len(pushes), len(pushes), len(pushes)*people, people)
	}
	for i := range people {
		dni := fmt.Sprint(30000000 + i)
		l, err := b.Ledger(ctx, dni, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(l) != 1 || l[0].Points != 5 {
			t.Errorf("person %d: ledger %+v, want one credit of 5", i, l)
		}
	}
}
