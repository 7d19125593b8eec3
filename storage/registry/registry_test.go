package registry_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/wire"
)

var now = time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)

func open(t *testing.T, dir string) *registry.Store {
	t.Helper()
	st := registrytest.Open(t, dir)
	st.Now = func() time.Time { return now }
	return st
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func enroll(t *testing.T, st *registry.Store, id, province string) wire.EnrolledDevice {
	t.Helper()
	return registrytest.Device(t, st, id, "n", "Oficina", province, now)
}

// TestEngine: with PUNTOS_TEST_DB=postgres the suite really runs on
// PostgreSQL, not on a silent fallback to the SQLite file.
func TestEngine(t *testing.T) {
	want := "sqlite"
	if pgtest.Enabled() {
		want = "postgres"
	}
	if got := open(t, t.TempDir()).Engine(); got != want {
		t.Fatalf("engine %q, want %q", got, want)
	}
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	if _, err := st.ImportCatalog(t.Context(), strings.NewReader("Código;Título;Tipo;Horas;Puntos\nX-1;Charla;charla;2;2\n")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	again := open(t, dir)
	if _, err := again.Activity(t.Context(), "X-1"); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}

func TestRosterChanges(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	rep, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres;Provincia\n20123456;A;B;Salta\n20123457;C;D;Salta\n20123458;E;F;Jujuy\n"))
	if err != nil || rep.Added != 3 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	_, cursor, more, err := st.RosterChanges(ctx, "66", 0, 10) // Salta
	if err != nil || more {
		t.Fatal(err, more)
	}
	// Unchanged rows keep their sequence; a changed one moves past the cursor.
	rep, err = st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres;Provincia\n20123456;A;B;Salta\n20123457;C;Daniel;Salta\n"))
	if err != nil || rep.Unchanged != 1 || rep.Updated != 1 {
		t.Fatalf("second import: %+v %v", rep, err)
	}
	people, _, _, err := st.RosterChanges(ctx, "66", cursor, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 1 || people[0].GivenNames != "Daniel" {
		t.Errorf("delta %+v, want only the changed person", people)
	}
}

// credited returns a store holding one credit (5 points of X-1 for DNI
// 20123456 in 2026) and that person's 2026 ledger.
func credited(t *testing.T) (*registry.Store, []registry.LedgerEntry) {
	t.Helper()
	st := open(t, t.TempDir())
	ctx := t.Context()
	if _, err := st.ImportCatalog(ctx, strings.NewReader("Código;Título;Tipo;Horas;Puntos\nX-1;Charla;charla;2;5\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\n20123456;A;B\n")); err != nil {
		t.Fatal(err)
	}
	dev := enroll(t, st, "dev-1", "Salta")
	b := &wire.Batch{Protocol: wire.Protocol, ID: "b-1", DeviceClock: now,
		Sessions: []wire.SessionRecord{{ID: "s-1", ActivityCode: "X-1", Date: "2026-03-19", Province: "Salta",
			Municipality: "Cafayate", ClosedAt: now}},
		Attendances: []wire.AttendanceRecord{{ID: "a-1", SessionID: "s-1", DNI: "20123456", Status: "presente", Method: "typed"}}}
	if _, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now}); err != nil {
		t.Fatal(err)
	}
	l, err := st.Ledger(ctx, "20123456", 2026)
	if err != nil || len(l) != 1 || l[0].Points != 5 || l[0].Activity != "Charla" || l[0].SessionDate != "2026-03-19" {
		t.Fatalf("ledger %+v %v", l, err)
	}
	return st, l
}

func TestLedgerAppendOnly(t *testing.T) {
	ctx := t.Context()
	st, l := credited(t)
	if _, err := st.ReverseEntry(ctx, l[0].ID, wire.StaffScope{}, wire.StaffAction{Actor: "staff", Reason: " "}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("reversal without reason: %v, want ErrInvalid", err)
	}
	if _, err := st.ReverseEntry(ctx, 999, wire.StaffScope{}, wire.StaffAction{Actor: "staff", Reason: "x"}); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("reversal of an unknown entry: %v, want ErrNotFound", err)
	}
	rev, err := st.ReverseEntry(ctx, l[0].ID, wire.StaffScope{}, wire.StaffAction{Actor: "staff", Reason: "error de carga"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReverseEntry(ctx, rev.ID, wire.StaffScope{}, wire.StaffAction{Actor: "staff", Reason: "x"}); err == nil {
		t.Error("a reversal of a reversal was accepted")
	}
	// The ledger cannot be changed behind the store's back either.
	if err := st.Exec(ctx, `DELETE FROM ledger`); err == nil {
		t.Error("DELETE FROM ledger succeeded")
	}
	if err := st.Exec(ctx, `UPDATE ledger SET points = 100`); err == nil {
		t.Error("UPDATE ledger succeeded")
	}
}

// TestReversalAudited checks that a reversal writes its audit entry in
// the same transaction.
func TestReversalAudited(t *testing.T) {
	ctx := t.Context()
	st, l := credited(t)
	if _, err := st.ReverseEntry(ctx, l[0].ID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: "error de carga"}); err != nil {
		t.Fatal(err)
	}
	page, err := st.AuditLog(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var reversals []wire.AuditEntry
	for _, e := range page.Entries {
		if e.Action == wire.AuditReverse {
			reversals = append(reversals, e)
		}
	}
	if len(reversals) != 1 {
		t.Fatalf("audit log %+v, want one reversal", page.Entries)
	}
	if got := reversals[0]; got.Actor != registry.ConsoleActor || got.Reason != "error de carga" {
		t.Errorf("reversal audited as %+v", got)
	}
}

func TestRevokeDevice(t *testing.T) {
	st := open(t, t.TempDir())
	enroll(t, st, "0190aaaa-1111", "Salta")
	enroll(t, st, "0190aaaa-2222", "Salta")
	// The command line names a device by an ID prefix and revokes it.
	revoke := func(id, reason string) (wire.EnrolledDevice, error) {
		d, err := st.DeviceByPrefix(t.Context(), id)
		if err != nil {
			return d, err
		}
		return st.RevokeDeviceBy(t.Context(), d.ID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: reason})
	}
	if _, err := revoke("0190aaaa", ""); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("ambiguous prefix: %v, want ErrInvalid", err)
	}
	if _, err := revoke("0190", ""); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("short prefix: %v, want ErrNotFound", err)
	}
	d, err := revoke("0190AAAA-2222", "robado")
	if err != nil || !d.Revoked() || d.RevokeReason != "robado" || d.ID != "0190aaaa-2222" {
		t.Fatalf("revoke: %+v %v", d, err)
	}
	d, err = revoke("0190aaaa-2222", "otra razón")
	if err != nil || d.RevokeReason != "robado" {
		t.Errorf("second revoke: %+v %v, want the first reason kept", d, err)
	}
}

// TestRosterImportSeqs: a roster import counts added, updated, unchanged,
// skipped and rejected rows alike on both engines (PostgreSQL loads with
// COPY), turns a walk-in into a roster person keeping sex and birth date,
// and gives the rows it writes change sequences in the file's order.
func TestRosterImportSeqs(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	if _, err := st.ImportCatalog(ctx, strings.NewReader("Código;Título;Tipo;Horas;Puntos\nX-1;Charla;charla;2;5\n")); err != nil {
		t.Fatal(err)
	}
	dev := enroll(t, st, "dev-1", "Jujuy")
	b := &wire.Batch{Protocol: wire.Protocol, ID: "b-1", DeviceClock: now,
		People: []wire.PersonRecord{{DNI: "30111222", Surname: "RÍOS", GivenNames: "Lucía", Birth: "01/02/1990", Sex: "f"}}}
	if _, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now}); err != nil {
		t.Fatal(err)
	}
	rep, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres;Provincia\n20123456;A;B;Salta\n30111222;RÍOS;Lucía;jujuy\n12;X;Y;Salta\n20123456;A;B;Salta\n20123457;C;D;Salta\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || rep.Updated != 1 || rep.Unchanged != 0 || rep.Skipped != 1 || len(rep.Rejects) != 1 || rep.Rejects[0].Line != 4 {
		t.Fatalf("first import: %+v", rep)
	}
	p, err := st.Person(ctx, "30111222")
	if err != nil || p.WalkIn || p.Sex != "F" || p.Birth != "1990-02-01" || p.Province != "Jujuy" {
		t.Errorf("walk-in after the roster: %+v %v", p, err)
	}
	_, cursor, _, err := st.RosterChanges(ctx, "66", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres;Provincia\n20123457;C;Dora;Salta\n20123458;E;F;Salta\n20123456;A;B;Salta\n"))
	if err != nil || rep.Added != 1 || rep.Updated != 1 || rep.Unchanged != 1 {
		t.Fatalf("second import: %+v %v", rep, err)
	}
	people, next, _, err := st.RosterChanges(ctx, "66", cursor, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 2 || people[0].DNI != "20123457" || people[0].GivenNames != "Dora" || people[1].DNI != "20123458" || next != cursor+2 {
		t.Errorf("changes after %d: %+v up to %d, want 20123457 then 20123458 with the next two sequences", cursor, people, next)
	}
	rep, err = st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres;Provincia\n20123457;C;Dora;Salta\n20123458;E;F;Salta\n"))
	if err != nil || rep.Unchanged != 2 || rep.Added+rep.Updated != 0 {
		t.Fatalf("third import: %+v %v", rep, err)
	}
	if people, _, _, err := st.RosterChanges(ctx, "66", next, 10); err != nil || len(people) != 0 {
		t.Errorf("changes after an unchanged import: %+v %v", people, err)
	}
	rep, err = st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres;Provincia\n12;X;Y;Salta\n"))
	if err != nil || len(rep.Rejects) != 1 || rep.Added+rep.Updated+rep.Unchanged != 0 {
		t.Fatalf("import with no valid row: %+v %v", rep, err)
	}
}

// TestIngestCourseCredit: a course of several sessions is credited once,
// at the attendance that reaches its threshold, whether the sessions
// come in one batch or several (PostgreSQL stores a batch's attendances
// in one statement before telling their outcomes in order); a repeated
// record and a second ID for the same person at a session are told
// apart.
func TestIngestCourseCredit(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	if _, err := st.ImportCatalog(ctx, strings.NewReader("Código;Título;Tipo;Horas;Puntos;Sesiones;Umbral\nC-1;Curso;curso;9;20;3;60%\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\n20123456;A;B\n20123457;C;D\n")); err != nil {
		t.Fatal(err)
	}
	dev := enroll(t, st, "dev-1", "Salta")
	var sessions []wire.SessionRecord
	for i := 1; i <= 3; i++ {
		sessions = append(sessions, wire.SessionRecord{ID: fmt.Sprintf("s-%d", i), ActivityCode: "C-1", Date: fmt.Sprintf("2026-03-1%d", i),
			Province: "Salta", Municipality: "Cafayate", ClosedAt: now})
	}
	att := func(id, session, dni, status string) wire.AttendanceRecord {
		return wire.AttendanceRecord{ID: id, SessionID: session, DNI: dni, Status: status, Method: "typed", At: now.Add(-time.Hour)}
	}
	ingest := func(id string, s []wire.SessionRecord, a ...wire.AttendanceRecord) []wire.Outcome {
		t.Helper()
		raw, err := st.Ingest(ctx, wire.IngestRequest{Batch: &wire.Batch{Protocol: wire.Protocol, ID: id, DeviceClock: now, Sessions: s, Attendances: a},
			Device: dev, Source: wire.SourceHTTP, ReceivedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		var r wire.Receipt
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		return r.Outcomes
	}
	out := ingest("b-1", sessions, att("a-1", "s-1", "20123456", "presente"), att("a-2", "s-2", "20123456", "ausente"),
		att("a-3", "s-3", "20123456", "presente"), att("a-3", "s-3", "20123456", "presente"), att("a-4", "s-1", "20123456", "presente"),
		att("a-5", "s-1", "20123457", "presente"))
	var results []string
	for _, o := range out[3:] {
		results = append(results, o.Result+" "+o.Code)
	}
	if want := []string{"accepted ", "accepted ", "accepted ", "duplicate ", "conflict " + wire.ConflictPersonMarked, "accepted "}; !slices.Equal(results, want) {
		t.Errorf("attendance outcomes %q, want %q", results, want)
	}
	l, err := st.Ledger(ctx, "20123456", 2026)
	if err != nil || len(l) != 1 || l[0].SessionID != "s-3" || l[0].Points != 20 {
		t.Fatalf("ledger %+v %v: want one credit at s-3, where 2 of 3 sessions were reached", l, err)
	}
	if l, err := st.Ledger(ctx, "20123457", 2026); err != nil || len(l) != 0 {
		t.Fatalf("ledger after one session of three: %+v %v", l, err)
	}
	ingest("b-2", nil, att("a-6", "s-2", "20123457", "tarde"))
	if l, err := st.Ledger(ctx, "20123457", 2026); err != nil || len(l) != 1 || l[0].SessionID != "s-2" {
		t.Fatalf("ledger after a second batch: %+v %v: want one credit at s-2", l, err)
	}
}
