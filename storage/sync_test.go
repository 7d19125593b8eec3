package storage_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// closedSession makes a session of activity code, checks in dnis (and one
// walk-in when walkIn is set) and closes it.
func closedSession(t testing.TB, st *storage.Store, code string, dnis []string, walkIn *domain.Person) storage.SessionInfo {
	t.Helper()
	s := newSession(t, st, code)
	for _, d := range dnis {
		if _, err := st.Mark(ctx, s.ID, d, domain.Presente, domain.Typed); err != nil {
			t.Fatalf("mark %s: %v", d, err)
		}
	}
	if walkIn != nil {
		if _, err := st.WalkIn(ctx, s.ID, *walkIn); err != nil {
			t.Fatalf("walk-in: %v", err)
		}
	}
	if _, err := st.CloseSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

// acceptAll makes the receipt a registry would give accepting every record.
func acceptAll(b *wire.Batch) *wire.Receipt {
	r := &wire.Receipt{Protocol: wire.Protocol, BatchID: b.ID, ReceivedAt: time.Now()}
	for _, p := range b.People {
		r.Outcomes = append(r.Outcomes, wire.Outcome{Kind: wire.KindPerson, ID: p.DNI, Result: wire.Accepted})
	}
	for _, s := range b.Sessions {
		r.Outcomes = append(r.Outcomes, wire.Outcome{Kind: wire.KindSession, ID: s.ID, Result: wire.Accepted})
	}
	for _, a := range b.Attendances {
		r.Outcomes = append(r.Outcomes, wire.Outcome{Kind: wire.KindAttendance, ID: a.ID, Result: wire.Accepted})
	}
	return r
}

func syncStatus(t testing.TB, st *storage.Store) storage.SyncStatus {
	t.Helper()
	s, err := st.SyncStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEnrollment(t *testing.T) {
	st := seeded(t)
	if _, err := st.Enrollment(ctx); !errors.Is(err, wire.ErrNotEnrolled) {
		t.Fatalf("Enrollment before enroll: err = %v, want ErrNotEnrolled", err)
	}
	if s := syncStatus(t, st); s.Enrolled {
		t.Errorf("status before enroll: Enrolled = true")
	}
	const secret = "tok-very-secret-123"
	want := wire.Enrollment{Registry: "http://127.0.0.1:8080", DeviceID: "dev-1", Token: secret,
		DeviceName: "Notebook Carla", Office: "Capacitación Córdoba", Province: "Córdoba",
		EnrolledAt: time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)}
	if err := st.SetEnrollment(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := st.Enrollment(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Enrollment = %+v, want %+v", got, want)
	}
	if _, err := st.ApplyCatalog(ctx, &wire.CatalogPage{Protocol: wire.Protocol, Next: "c-7"}); err != nil {
		t.Fatal(err)
	}
	want.Token, want.DeviceID = "other-token", "dev-2"
	if err := st.SetEnrollment(ctx, want); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.Cursor(ctx, wire.FeedCatalog); c != "" {
		t.Errorf("catalog cursor after re-enroll = %q, want empty", c)
	}
	if s := syncStatus(t, st); !s.Enrolled || s.DeviceID != "dev-2" {
		t.Errorf("status = %+v, want enrolled as dev-2", s)
	}
	evs, err := st.Events(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if strings.Contains(e.Detail+e.EntityID, "secret") || strings.Contains(e.Detail+e.EntityID, "other-token") {
			t.Errorf("event %+v holds the token", e)
		}
	}
	if b, _ := json.Marshal(got); bytes.Contains(b, []byte(secret)) {
		t.Errorf("JSON of an enrollment holds the token: %s", b)
	}
}

func TestNextBatch(t *testing.T) {
	st := seeded(t)
	walk := domain.Person{DNI: "31222333", Surname: "ÑANDÚ", GivenNames: "José"}
	s1 := closedSession(t, st, "CH-1", []string{"20123456", "21000111"}, &walk)
	s2 := closedSession(t, st, "CU-1", []string{"22000222", "31222333"}, nil)
	open := newSession(t, st, "CH-1")
	if _, err := st.Mark(ctx, open.ID, "23000333", domain.Presente, domain.Typed); err != nil {
		t.Fatal(err)
	}
	if s := syncStatus(t, st); s.Pending != 8 || s.InFlight != 0 {
		t.Errorf("status before batch: pending %d in flight %d, want 8 and 0", s.Pending, s.InFlight)
	}

	b, err := st.NextBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b == nil {
		t.Fatal("NextBatch = nil, want a batch")
	}
	if got, want := [4]int{len(b.People), len(b.Sessions), len(b.Attendances), len(b.Certificates)}, [4]int{1, 2, 5, 0}; got != want {
		t.Fatalf("batch people/sessions/attendances/certificates = %v, want %v", got, want)
	}
	if b.People[0].DNI != "31222333" || b.People[0].Surname != "ÑANDÚ" {
		t.Errorf("walk-in = %+v", b.People[0])
	}
	if b.Protocol != wire.Protocol || b.ID == "" {
		t.Errorf("batch protocol %q id %q", b.Protocol, b.ID)
	}
	for _, s := range b.Sessions {
		if s.ID == open.ID {
			t.Error("an open session travels")
		}
		if s.ClosedAt.IsZero() {
			t.Errorf("session %s without closed_at", s.ID)
		}
	}
	if b.Sessions[0].ID != min(s1.ID, s2.ID) {
		t.Errorf("sessions not in ID order")
	}
	stored, err := st.Batch(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(t, stored), normalize(t, b)) {
		t.Errorf("stored batch differs from the built one")
	}
	if s := syncStatus(t, st); s.Pending != 8 || s.InFlight != 8 || s.InFlightBatches != 1 {
		t.Errorf("status after batch: %+v, want 8 pending, 8 in flight, 1 batch", s)
	}
	info, _ := st.Session(ctx, s1.ID)
	if info.SyncState != storage.SyncInFlight {
		t.Errorf("session state = %q, want in_flight", info.SyncState)
	}
	again, err := st.NextBatch(ctx)
	if err != nil || again != nil {
		t.Fatalf("second NextBatch = %v, %v; want nil (records in flight are not batched twice)", again, err)
	}
	ids, err := st.UnackedBatches(ctx)
	if err != nil || len(ids) != 1 || ids[0] != b.ID {
		t.Errorf("UnackedBatches = %v, %v; want [%s]", ids, err, b.ID)
	}
}

// normalize drops monotonic clock readings and time zones.
func normalize(t *testing.T, b *wire.Batch) *wire.Batch {
	t.Helper()
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var out wire.Batch
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// bigRoster imports n demo people and returns their DNIs.
func bigRoster(t testing.TB, st *storage.Store, n int) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := demo.Roster(&buf, n, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, &buf, nil); err != nil {
		t.Fatal(err)
	}
	dnis := make([]string, n)
	for i := range dnis {
		dnis[i] = demo.Person(i, 3).DNI
	}
	return dnis
}

func drain(t *testing.T, st *storage.Store) []*wire.Batch {
	t.Helper()
	var out []*wire.Batch
	for {
		b, err := st.NextBatch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			return out
		}
		out = append(out, b)
		if len(out) > 100 {
			t.Fatal("NextBatch never runs dry")
		}
	}
}

func TestNextBatchLimits(t *testing.T) {
	t.Run("BigSessionSplits", func(t *testing.T) {
		st := seeded(t)
		dnis := bigRoster(t, st, 2500)
		closedSession(t, st, "CH-1", dnis, nil)
		batches := drain(t, st)
		if len(batches) != 3 {
			t.Fatalf("batches = %d, want 3", len(batches))
		}
		total := 0
		for i, b := range batches {
			if n := b.Records(); n > wire.MaxBatchRecords {
				t.Errorf("batch %d holds %d records", i, n)
			}
			data, _ := json.Marshal(b)
			if len(data) > wire.MaxBatchBytes {
				t.Errorf("batch %d is %d bytes", i, len(data))
			}
			total += b.Records()
		}
		if total != 2501 {
			t.Errorf("records = %d, want 2501", total)
		}
		if len(batches[0].Sessions) != 1 {
			t.Errorf("the session does not go first")
		}
	})
	t.Run("SessionsStayWhole", func(t *testing.T) {
		st := seeded(t)
		dnis := bigRoster(t, st, 400)
		for range 5 {
			closedSession(t, st, "CH-1", dnis[:300], nil)
		}
		batches := drain(t, st)
		if len(batches) != 2 {
			t.Fatalf("batches = %d, want 2", len(batches))
		}
		for i, b := range batches {
			if len(b.Attendances) != 300*len(b.Sessions) {
				t.Errorf("batch %d: %d sessions with %d attendances: a session was split", i, len(b.Sessions), len(b.Attendances))
			}
		}
		if got := len(batches[0].Sessions); got != 3 {
			t.Errorf("first batch sessions = %d, want 3 (903 records)", got)
		}
	})
}

func TestSaveReceipt(t *testing.T) {
	st := seeded(t)
	walk := domain.Person{DNI: "31222333", Surname: "ÑANDÚ", GivenNames: "José"}
	s := closedSession(t, st, "CH-1", []string{"20123456", "21000111", "22000222"}, &walk)
	b, err := st.NextBatch(ctx)
	if err != nil || b == nil {
		t.Fatalf("NextBatch = %v, %v", b, err)
	}
	r := acceptAll(b)
	// Second attendance rejected, third a duplicate, the fourth missing from
	// the receipt; the walk-in in conflict.
	var missing string
	for i := range r.Outcomes {
		o := &r.Outcomes[i]
		switch {
		case o.Kind == wire.KindPerson:
			o.Result, o.Code, o.Message = wire.Conflict, "person_conflict", "La persona ya existe con otros datos."
		case o.Kind == wire.KindAttendance && o.ID == b.Attendances[1].ID:
			o.Result, o.Code, o.Message = wire.Rejected, "dni_unknown", "El DNI no figura en el padrón."
		case o.Kind == wire.KindAttendance && o.ID == b.Attendances[2].ID:
			o.Result = wire.Duplicate
		case o.Kind == wire.KindAttendance && o.ID == b.Attendances[3].ID:
			missing = o.ID
		}
	}
	kept := r.Outcomes[:0:0]
	for _, o := range r.Outcomes {
		if o.ID != missing {
			kept = append(kept, o)
		}
	}
	r.Outcomes = kept
	got, err := st.SaveReceipt(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	want := wire.Tally{Accepted: 2, Duplicate: 1, Conflict: 1, Rejected: 1, Missing: 1}
	if got != want {
		t.Errorf("SaveReceipt = %+v, want %+v", got, want)
	}
	if again, err := st.SaveReceipt(ctx, r); err != nil || !again.Already {
		t.Errorf("second SaveReceipt = %+v, %v; want Already", again, err)
	}
	stored, err := st.Receipt(ctx, b.ID)
	if err != nil || stored.BatchID != b.ID || len(stored.Outcomes) != len(r.Outcomes) {
		t.Errorf("Receipt = %+v, %v", stored, err)
	}
	if _, err := st.Batch(ctx, b.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Batch after receipt: err = %v, want ErrNotFound", err)
	}
	info, _ := st.Session(ctx, s.ID)
	if info.SyncState != wire.Accepted {
		t.Errorf("session state = %q, want accepted", info.SyncState)
	}
	probs, err := st.SyncProblems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 2 {
		t.Fatalf("problems = %+v, want 2", probs)
	}
	if p := probs[0]; p.Kind != wire.KindPerson || p.Result != wire.Conflict || p.Message == "" || !strings.Contains(p.Label, "ÑANDÚ") {
		t.Errorf("problem 0 = %+v", p)
	}
	if p := probs[1]; p.Kind != wire.KindAttendance || p.Result != wire.Rejected || p.Code != "dni_unknown" ||
		p.SessionID != s.ID || !strings.Contains(p.Label, "Charla inspiradora") {
		t.Errorf("problem 1 = %+v", p)
	}
	if st := syncStatus(t, st); st.Pending != 1 || st.InFlight != 0 || st.InFlightBatches != 0 || st.Problems != 2 {
		t.Errorf("status = %+v, want 1 pending (the missing one), 2 problems", st)
	}
	// The record the receipt missed travels again in a new batch.
	next, err := st.NextBatch(ctx)
	if err != nil || next == nil {
		t.Fatalf("NextBatch = %v, %v", next, err)
	}
	if next.ID == b.ID || next.Records() != 1 || next.Attendances[0].ID != missing {
		t.Errorf("next batch = %+v, want only the missing attendance", next)
	}
	if _, err := st.SaveReceipt(ctx, &wire.Receipt{Protocol: wire.Protocol, BatchID: "nope"}); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("receipt of an unknown batch: err = %v", err)
	}
	bad := acceptAll(next)
	bad.Outcomes[0].Result = "maybe"
	if _, err := st.SaveReceipt(ctx, bad); err == nil {
		t.Error("receipt with an unknown result stored")
	}
	if s := syncStatus(t, st); s.InFlight != 1 {
		t.Errorf("a failed receipt changed state: %+v", s)
	}
}

func TestExportBatches(t *testing.T) {
	st := seeded(t)
	closedSession(t, st, "CH-1", []string{"20123456"}, nil)
	first, err := st.NextBatch(ctx)
	if err != nil || first == nil {
		t.Fatal(err)
	}
	closedSession(t, st, "CU-1", []string{"21000111", "22000222"}, nil)
	got, err := st.ExportBatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != first.ID || got[1].Records() != 3 {
		t.Fatalf("ExportBatches = %d batches, want the in-flight one then a new one of 3 records", len(got))
	}
	if err := st.MarkExported(ctx, []string{got[0].ID, got[1].ID}); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.ExportBatches(ctx); len(again) != 2 || again[1].ID != got[1].ID {
		t.Errorf("a second export changed the batches")
	}
}

func TestPull(t *testing.T) {
	st := seeded(t)
	walk := domain.Person{DNI: "31222333", Surname: "ÑANDU", GivenNames: "Jose"}
	closedSession(t, st, "CH-1", nil, &walk)
	page := &wire.CatalogPage{Protocol: wire.Protocol, Next: "cat-2", Activities: []domain.Activity{
		{Code: "CH-1", Title: "Charla renovada", Type: domain.Charla, Hours: 2, Points: 3, Sessions: 1},
		{Code: "TA-9", Title: "Taller nuevo", Type: domain.Taller, Hours: 4, Points: 6, Sessions: 1},
		{Code: "XX", Title: "Mala", Type: "fiesta", Hours: 1, Points: 1, Sessions: 1},
	}}
	rep, err := st.ApplyCatalog(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (wire.PageResult{Changed: 2, Skipped: 1}) {
		t.Errorf("ApplyCatalog = %+v", rep)
	}
	if a, err := st.Activity(ctx, "CH-1"); err != nil || a.Title != "Charla renovada" || a.Points != 3 {
		t.Errorf("CH-1 = %+v, %v", a, err)
	}
	if c, _ := st.Cursor(ctx, wire.FeedCatalog); c != "cat-2" {
		t.Errorf("catalog cursor = %q", c)
	}
	roster := &wire.RosterPage{Protocol: wire.Protocol, Next: "r-1", People: []domain.Person{
		{DNI: "40111222", Surname: "GÜEMES", GivenNames: "Martín", Province: "Salta"},
		{DNI: "31222333", Surname: "ÑANDÚ", GivenNames: "José", Agency: "INTA"},
		{DNI: "20123456", Surname: "NÚÑEZ", GivenNames: "María José", Agency: "ANSES", Province: "Córdoba"},
		{DNI: "12", Surname: "X", GivenNames: "Y"},
	}}
	rr, err := st.ApplyRoster(ctx, roster)
	if err != nil {
		t.Fatal(err)
	}
	if rr != (wire.PageResult{Changed: 2, Skipped: 1}) {
		t.Errorf("ApplyRoster = %+v, want 2 changed (new, walk-in updated), 1 skipped", rr)
	}
	if p, err := st.Person(ctx, "31222333"); err != nil || !p.WalkIn || p.Surname != "ÑANDÚ" || p.Agency != "INTA" {
		t.Errorf("walk-in after roster = %+v, %v", p, err)
	}
	if ps, _ := st.FindPeople(ctx, "guemes", 5); len(ps) != 1 {
		t.Errorf("new person not found by folded name: %v", ps)
	}
	if c, _ := st.Cursor(ctx, wire.FeedRoster); c != "r-1" {
		t.Errorf("roster cursor = %q", c)
	}
	// The walk-in still travels.
	b, err := st.NextBatch(ctx)
	if err != nil || b == nil || len(b.People) != 1 {
		t.Fatalf("batch after roster pull = %+v, %v", b, err)
	}
}

func TestRecordSyncRun(t *testing.T) {
	st := seeded(t)
	if err := st.RecordSyncRun(ctx, "No hay conexión con el registro."); err != nil {
		t.Fatal(err)
	}
	s := syncStatus(t, st)
	if s.LastError == "" || !s.LastSync.IsZero() || s.LastAttempt.IsZero() {
		t.Errorf("after a failure: %+v", s)
	}
	if err := st.RecordSyncRun(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if s := syncStatus(t, st); s.LastError != "" || s.LastSync.IsZero() {
		t.Errorf("after a success: %+v", s)
	}
}
