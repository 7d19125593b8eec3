package registry_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/sync/wire"
)

// TestOnlineRecordsKept checks that the registry keeps a virtual session's
// platform and an attendance's connected minutes, so that a resend is a
// duplicate and another platform or other minutes are a change.
func TestOnlineRecordsKept(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	if _, err := st.ImportCatalog(ctx, strings.NewReader("Código;Título;Tipo;Horas;Puntos\nV-1;Curso virtual;virtual;2;4\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\n20123456;A;B\n")); err != nil {
		t.Fatal(err)
	}
	dev := enroll(t, st, "dev-1", "Salta")
	minutes := func(n int) *int { return &n }
	session := wire.SessionRecord{ID: "s-1", ActivityCode: "V-1", Date: "2026-03-19", Start: "10:00", End: "12:00",
		Province: "Salta", Modality: "virtual", Platform: "Zoom", ClosedAt: now}
	attendance := wire.AttendanceRecord{ID: "a-1", SessionID: "s-1", DNI: "20123456", Status: "presente",
		Method: "import", Minutes: minutes(95)}
	send := func(id string, s wire.SessionRecord, a wire.AttendanceRecord) map[string]string {
		t.Helper()
		b := &wire.Batch{Protocol: wire.Protocol, ID: id, DeviceClock: now,
			Sessions: []wire.SessionRecord{s}, Attendances: []wire.AttendanceRecord{a}}
		raw, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		var r wire.Receipt
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, o := range r.Outcomes {
			got[o.Kind] = o.Result + " " + o.Code
		}
		return got
	}

	if got := send("b-1", session, attendance); got[wire.KindSession] != wire.Accepted+" " || got[wire.KindAttendance] != wire.Accepted+" " {
		t.Fatalf("first batch: %v", got)
	}
	if got := send("b-2", session, attendance); got[wire.KindSession] != wire.Duplicate+" " || got[wire.KindAttendance] != wire.Duplicate+" " {
		t.Errorf("the same records again: %v, want duplicates", got)
	}
	other := session
	other.Platform = "Google Meet"
	fewer := attendance
	fewer.Minutes = minutes(30)
	got := send("b-3", other, fewer)
	if !strings.HasPrefix(got[wire.KindSession], wire.Conflict) || !strings.HasPrefix(got[wire.KindAttendance], wire.Conflict) {
		t.Errorf("another platform and other minutes: %v, want conflicts kept for review", got)
	}
	l, err := st.Ledger(ctx, "20123456", 2026)
	if err != nil || len(l) != 1 || l[0].Points != 4 {
		t.Errorf("ledger %+v %v, want one credit of 4 points", l, err)
	}
}
