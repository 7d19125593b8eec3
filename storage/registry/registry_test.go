package registry_test

import (
	"errors"
	"os"
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
