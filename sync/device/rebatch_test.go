package device_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// enrollOther enrolls a second device with the rig's registry over HTTP
// and returns its token.
func (r *devRig) enrollOther() string {
	r.t.Helper()
	body, _ := json.Marshal(wire.EnrollRequest{Code: r.enrollmentCode(), DeviceName: "Otra notebook"})
	res, err := http.Post(r.srv.URL+wire.PathEnroll, "application/json", bytes.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	var er wire.EnrollResponse
	if err := json.NewDecoder(res.Body).Decode(&er); err != nil || res.StatusCode != http.StatusOK {
		r.t.Fatalf("enroll: %d, %v", res.StatusCode, err)
	}
	return er.Token
}

// TestBatchIDTaken: the registry holds another device's batch under the
// ID of a batch this device built and has not sent. The device's sync
// gets 409, gives its records a new batch ID and sends them under it;
// every record arrives once and the other batch is left as it was.
func TestBatchIDTaken(t *testing.T) {
	r := newDevRig(t)
	d := r.record(2, 5)
	ctx := context.Background()
	b, err := r.dev.NextBatch(ctx)
	if err != nil || b == nil {
		t.Fatalf("NextBatch = %v, %v", b, err)
	}
	other := r.enrollOther()
	taken := &wire.Batch{Protocol: wire.Protocol, ID: b.ID, DeviceClock: time.Now(),
		Sessions: []wire.SessionRecord{{ID: domain.NewID(), ActivityCode: "CH-INSP-01", Date: today(), Province: rigProvince,
			Municipality: "Río Cuarto", Modality: "presencial", ClosedAt: time.Now().Add(-time.Hour)}}}
	status, takenReceipt := r.postAs(other, taken)
	if status != http.StatusOK {
		t.Fatalf("other device's batch: %d %s", status, takenReceipt)
	}

	res := r.sync()
	if res.Batches != 1 || res.Accepted != d.sessions+d.attendances+d.walkIns {
		t.Errorf("sync = %+v, want one batch with every record accepted", res)
	}
	ids, err := r.dev.UnackedBatches(ctx)
	if err != nil || len(ids) != 0 {
		t.Errorf("unacknowledged batches = %v, %v", ids, err)
	}
	if n, err := r.dev.Waiting(ctx); err != nil || n != 0 {
		t.Errorf("waiting = %d, %v", n, err)
	}
	states, err := r.dev.SyncStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]int{wire.KindSession: d.sessions, wire.KindAttendance: d.attendances, wire.KindPerson: d.walkIns} {
		if got := states[kind]; len(got) != 1 || got[wire.Accepted] != want {
			t.Errorf("device %s states = %v, want %d accepted", kind, got, want)
		}
	}
	st, err := r.reg.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sessions.Accepted != d.sessions+1 || st.Attendances.Accepted != d.attendances || st.Entries != d.credits || st.Batches != 2 {
		t.Errorf("registry = %+v, want the device's records once beside the other batch", st)
	}
	// The other device's batch is as it was.
	if status, again := r.postAs(other, taken); status != http.StatusOK || !bytes.Equal(again, takenReceipt) {
		t.Errorf("other device's batch after the sync: %d %s", status, again)
	}
	evs, err := r.dev.Events(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	renewed := false
	for _, e := range evs {
		renewed = renewed || e.Kind == "sync.rebatch" && strings.Contains(e.Detail, b.ID)
	}
	if !renewed {
		t.Error("no sync.rebatch event names the old batch ID")
	}
}

// copyDir copies the files of a data folder, as a person copying it to
// another laptop would (the database with its WAL file).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		// The lock and the WAL index belong to the running app; SQLite
		// rebuilds the index from the WAL file.
		if e.IsDir() || e.Name() == storage.LockFileName || strings.HasSuffix(e.Name(), "-shm") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCopiedDataFolder: a data folder with a batch built but not sent is
// copied to a second laptop, enrolled as another device. Both send the
// batch: the second gets the first's receipt (the same records under the
// same ID are no conflict), and nothing is counted twice.
func TestCopiedDataFolder(t *testing.T) {
	r := newDevRig(t)
	d := r.record(1, 4)
	ctx := context.Background()
	if b, err := r.dev.NextBatch(ctx); err != nil || b == nil {
		t.Fatalf("NextBatch = %v, %v", b, err)
	}
	dir := t.TempDir()
	copyDir(t, r.devDir, dir)
	copied, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { copied.Close() })
	second := r.newClient(copied)
	if _, err := second.Enroll(ctx, r.proxy.URL(), r.enrollmentCode(), "Notebook copiada"); err != nil {
		t.Fatalf("enroll the copy: %v", err)
	}

	r.sync()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	res, err := second.Sync(sctx, nil)
	if err != nil {
		t.Fatalf("sync of the copy: %v (%s)", err, detail(err))
	}
	if res.Accepted != d.sessions+d.attendances+d.walkIns {
		t.Errorf("copy's sync = %+v, want the stored receipt's outcomes", res)
	}
	if n, err := copied.Waiting(ctx); err != nil || n != 0 {
		t.Errorf("copy waiting = %d, %v", n, err)
	}
	r.checkExactlyOnce(d)
}
