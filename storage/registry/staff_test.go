package registry_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/wire"
)

var console = wire.StaffAction{Actor: registry.ConsoleActor}

func addStaff(t *testing.T, st *registry.Store, user, role, province string) wire.StaffUser {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte("clave-de-prueba"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.AddStaff(t.Context(), registry.NewStaff{Username: user, Role: role, Province: province, PasswordHash: string(h)}, console)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestStaffAccounts(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	u := addStaff(t, st, " Central.Uno ", wire.RoleAdmin, "")
	if u.Username != "central.uno" || u.Role != wire.RoleAdmin || !u.CreatedAt.Equal(now) {
		t.Errorf("added %+v", u)
	}
	c := addStaff(t, st, "cba", wire.RoleViewer, "cordoba")
	if c.Province != "Córdoba" || c.ProvinceID != "14" {
		t.Errorf("scoped account %+v", c)
	}
	for name, n := range map[string]registry.NewStaff{
		"ErrTaken":    {Username: "central.uno", Role: wire.RoleAdmin, PasswordHash: "x"},
		"ErrName":     {Username: "con espacio", Role: wire.RoleAdmin, PasswordHash: "x"},
		"ErrRole":     {Username: "otro", Role: "jefe", PasswordHash: "x"},
		"ErrProvince": {Username: "otro", Role: wire.RoleAdmin, Province: "Atlántida", PasswordHash: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := st.AddStaff(ctx, n, console); !errors.Is(err, domain.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
	list, err := st.StaffList(ctx)
	if err != nil || len(list) != 2 || list[0].Username != "cba" {
		t.Fatalf("list %+v %v", list, err)
	}
	hash := []byte("token-hash-0123456789012345678901")
	if err := st.StartStaffSession(ctx, wire.StaffSessionRecord{TokenHash: hash, Username: "cba", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, got, err := st.StaffSession(ctx, hash); err != nil || got.Username != "cba" || !got.LastLoginAt.Equal(now) {
		t.Fatalf("session %+v %v", got, err)
	}
	d, err := st.DisableStaff(ctx, "CBA", wire.StaffAction{Actor: registry.ConsoleActor, Reason: "licencia"})
	if err != nil || !d.Disabled() {
		t.Fatalf("disable %+v %v", d, err)
	}
	if _, _, err := st.StaffSession(ctx, hash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("session of a disabled account: %v, want ErrNotFound", err)
	}
	if _, err := st.DisableStaff(ctx, "nadie", console); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("disable unknown: %v", err)
	}
	p, err := st.AuditLog(ctx, "", 10)
	if err != nil || len(p.Entries) != 4 || p.Entries[0].Action != wire.AuditStaffDisable || p.Entries[0].Reason != "licencia" {
		t.Errorf("audit %+v %v", p, err)
	}
	for _, q := range []string{`DELETE FROM audit`, `UPDATE audit SET actor = 'x'`} {
		if err := st.Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

// reviewFixture ingests a batch with a conflict on a credited
// attendance: a-1 was presente (credited 6 points) and arrives ausente.
func reviewFixture(t *testing.T) (*registry.Store, int64) {
	t.Helper()
	st := open(t, t.TempDir())
	ctx := t.Context()
	if _, err := st.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres;Provincia\n20123456;GONZÁLEZ;María;Salta\n")); err != nil {
		t.Fatal(err)
	}
	dev := enroll(t, st, "dev-1", "Salta")
	ingest := func(b *wire.Batch) {
		t.Helper()
		if _, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	s := wire.SessionRecord{ID: "s-1", ActivityCode: "TA-LENG-01", Date: "2026-03-19", Province: "Salta", Municipality: "Cafayate", ClosedAt: now}
	a := wire.AttendanceRecord{ID: "a-1", SessionID: "s-1", DNI: "20123456", Status: "presente", Method: "typed", At: now}
	ingest(&wire.Batch{Protocol: wire.Protocol, ID: "b-1", DeviceClock: now, Sessions: []wire.SessionRecord{s}, Attendances: []wire.AttendanceRecord{a}})
	a.Status = "ausente"
	ingest(&wire.Batch{Protocol: wire.Protocol, ID: "b-2", DeviceClock: now, Attendances: []wire.AttendanceRecord{a}})
	d, err := st.BatchDetail(ctx, "b-2", wire.StaffScope{})
	if err != nil || len(d.Records) != 1 || d.Records[0].ReviewID == 0 {
		t.Fatalf("detail %+v %v", d, err)
	}
	return st, d.Records[0].ReviewID
}

func points(t *testing.T, st *registry.Store) int {
	t.Helper()
	l, err := st.Ledger(t.Context(), "20123456", 2026)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range l {
		n += e.Points
	}
	return n
}

func TestResolveConflictReversesAndCreditsAgain(t *testing.T) {
	st, id := reviewFixture(t)
	ctx := t.Context()
	if got := points(t, st); got != 6 {
		t.Fatalf("points %d before review, want 6", got)
	}
	it, err := st.ResolveReview(ctx, id, wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "estaba ausente"}, wire.StaffScope{},
		wire.StaffAction{Actor: "rita"})
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Resolution.Ledger) != 1 || it.Resolution.Ledger[0].Kind != registry.EntryReversal || it.Resolution.Ledger[0].Points != -6 {
		t.Fatalf("resolution %+v", it.Resolution)
	}
	if got := points(t, st); got != 0 {
		t.Errorf("points %d after accepting ausente, want 0", got)
	}
	// The replaced version is kept, and the device sending "presente"
	// again is a new conflict; accepting it credits the points again.
	l, _ := st.Ledger(ctx, "20123456", 2026)
	if len(l) != 2 {
		t.Errorf("ledger %+v, want the credit and its reversal", l)
	}
	dev, _ := st.Device(ctx, "dev-1")
	a := wire.AttendanceRecord{ID: "a-1", SessionID: "s-1", DNI: "20123456", Status: "presente", Method: "typed", At: now}
	if _, err := st.Ingest(ctx, wire.IngestRequest{Batch: &wire.Batch{Protocol: wire.Protocol, ID: "b-3", DeviceClock: now,
		Attendances: []wire.AttendanceRecord{a}}, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now}); err != nil {
		t.Fatal(err)
	}
	d, _ := st.BatchDetail(ctx, "b-3", wire.StaffScope{})
	it, err = st.ResolveReview(ctx, d.Records[0].ReviewID, wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "sí estuvo"},
		wire.StaffScope{}, wire.StaffAction{Actor: "rita"})
	if err != nil {
		t.Fatal(err)
	}
	if got := points(t, st); got != 6 {
		t.Errorf("points %d after crediting again, want 6", got)
	}
	l, _ = st.Ledger(ctx, "20123456", 2026)
	if len(l) != 3 || l[2].Kind != registry.EntryCredit || l[2].Actor != "rita" {
		t.Errorf("ledger %+v", l)
	}
	var stored wire.AttendanceRecord
	json.Unmarshal(it.Stored, &stored)
	if stored.Status != "presente" {
		t.Errorf("stored %+v", stored)
	}
	// Decisions, replaced versions and the ledger cannot be changed.
	for _, q := range []string{`DELETE FROM review_decisions`, `UPDATE review_decisions SET reason = ''`,
		`DELETE FROM record_versions`, `UPDATE record_versions SET content = ''`, `DELETE FROM ledger`} {
		if err := st.Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

func TestResolveScope(t *testing.T) {
	st, id := reviewFixture(t)
	other := wire.StaffScope{Province: "Córdoba", ProvinceID: "14"}
	if _, err := st.ReviewItem(t.Context(), id, other); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("item of another province: %v, want ErrNotFound", err)
	}
	_, err := st.ResolveReview(t.Context(), id, wire.ReviewDecision{Decision: wire.DecisionReject, Reason: "x"}, other, wire.StaffAction{Actor: "p"})
	if !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("resolve in another province: %v, want ErrNotFound", err)
	}
	salta := wire.StaffScope{Province: "Salta", ProvinceID: "66"}
	if _, err := st.ResolveReview(t.Context(), id, wire.ReviewDecision{Decision: wire.DecisionReject, Reason: "x"}, salta, wire.StaffAction{Actor: "p"}); err != nil {
		t.Errorf("resolve in its province: %v", err)
	}
}

func TestFindPeopleFollowsRosterChanges(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\n20123456;NÚÑEZ;José\n20123457;PAZ;Inés\n")); err != nil {
		t.Fatal(err)
	}
	find := func(q string) []string {
		t.Helper()
		ps, err := st.FindPeople(ctx, q, 2026, 10, wire.StaffScope{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.DNI)
		}
		return out
	}
	if got := find("nunez jose"); len(got) != 1 || got[0] != "20123456" {
		t.Errorf("before: %v", got)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\n20123456;NÚÑEZ DEL VALLE;José\n")); err != nil {
		t.Fatal(err)
	}
	if got := find("nunez del"); len(got) != 1 {
		t.Errorf("new name: %v", got)
	}
	if got := find("nunez jose"); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got := find("ines"); len(got) != 1 || got[0] != "20123457" {
		t.Errorf("by given name: %v", got)
	}
}

func TestMigrationKeepsData(t *testing.T) {
	// A registry reopened runs no migration twice and keeps its staff.
	dir := t.TempDir()
	st := open(t, dir)
	addStaff(t, st, "ana", wire.RoleAdmin, "")
	st.Close()
	st = open(t, dir)
	if _, _, err := st.StaffAccount(t.Context(), "ana"); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}

// TestComplianceWalkIns: a walk-in, who comes with no province, counts
// under the province of the session they attended, not "Sin provincia".
func TestComplianceWalkIns(t *testing.T) {
	st, _ := credited(t) // 20123456 (no province) at a session in Salta
	ctx := t.Context()
	dev := enroll(t, st, "dev-2", "Jujuy")
	b := &wire.Batch{Protocol: wire.Protocol, ID: "b-2", DeviceClock: now,
		People: []wire.PersonRecord{{DNI: "30111222", Surname: "QUISPE", GivenNames: "Rosa", Agency: "Municipalidad"}},
		Sessions: []wire.SessionRecord{{ID: "s-2", ActivityCode: "X-1", Date: "2026-03-20", Province: "Jujuy",
			Municipality: "Tilcara", ClosedAt: now}},
		Attendances: []wire.AttendanceRecord{{ID: "a-2", SessionID: "s-2", DNI: "30111222", Status: "presente", Method: "walk-in"}}}
	if _, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now}); err != nil {
		t.Fatal(err)
	}
	all := wire.StaffScope{}
	c, err := st.Compliance(ctx, 2026, "", all)
	if err != nil {
		t.Fatal(err)
	}
	var jujuy, none int
	for _, g := range c.Groups {
		switch g.Province {
		case "Jujuy":
			jujuy += g.People
		case "":
			none += g.People
		}
	}
	if jujuy != 1 || none != 1 { // the roster person has no province either, and is no walk-in
		t.Errorf("groups %+v: want the walk-in under Jujuy", c.Groups)
	}
	c, err = st.Compliance(ctx, 2026, "Jujuy", all)
	if err != nil || c.People != 1 || len(c.Groups) != 1 || c.Groups[0].Agency != "Municipalidad" {
		t.Errorf("Jujuy's report %+v %v", c, err)
	}
	var people []wire.CompliancePerson
	n, err := st.CompliancePeople(ctx, wire.CompliancePeopleQuery{Year: 2026, Province: "Jujuy"}, all, func(p wire.CompliancePerson) error {
		people = append(people, p)
		return nil
	})
	if err != nil || n != 1 || people[0].DNI != "30111222" || people[0].Province != "Jujuy" {
		t.Errorf("Jujuy's people under the minimum: %d %+v %v", n, people, err)
	}
	n, err = st.CompliancePeople(ctx, wire.CompliancePeopleQuery{Year: 2026}, all, func(p wire.CompliancePerson) error {
		if p.DNI == "30111222" && p.Province != "Jujuy" {
			t.Errorf("walk-in listed under %q", p.Province)
		}
		return nil
	})
	if err != nil || n != 2 {
		t.Errorf("everyone under the minimum: %d %v", n, err)
	}
}

// TestComplianceProvinceMatchesCountry: a province's report, counted by
// looking each person up (a small province) or by summing the year (a
// large one), has the groups the whole country's report shows for it.
func TestComplianceProvinceMatchesCountry(t *testing.T) {
	registry.SetLookupPeople(t, 5) // Salta's 2 people are looked up, Buenos Aires' 12 summed
	st := open(t, t.TempDir())
	ctx := t.Context()
	if _, err := st.ImportCatalog(ctx, strings.NewReader("Código;Título;Tipo;Horas;Puntos\nX-1;Charla;charla;2;5\nX-2;Jornada;charla;8;70\n")); err != nil {
		t.Fatal(err)
	}
	roster := "DNI;Apellido;Nombres;Organismo;Provincia\n"
	for i := range 12 { // Buenos Aires: most people, two agencies
		roster += fmt.Sprintf("%d;A%d;B;%s;Buenos Aires\n", 20000000+i, i, []string{"ANSES", "Municipalidad"}[i%2])
	}
	roster += "21000000;S;T;ANSES;Salta\n21000001;S;U;ANSES;Salta\n"
	if _, err := st.ImportRoster(ctx, strings.NewReader(roster)); err != nil {
		t.Fatal(err)
	}
	dev := enroll(t, st, "dev-1", "Buenos Aires")
	b := &wire.Batch{Protocol: wire.Protocol, ID: "b-1", DeviceClock: now,
		Sessions: []wire.SessionRecord{
			{ID: "s-1", ActivityCode: "X-1", Date: "2026-03-19", Province: "Buenos Aires", Municipality: "Tandil", ClosedAt: now},
			{ID: "s-2", ActivityCode: "X-2", Date: "2026-03-19", Province: "Salta", Municipality: "Cafayate", ClosedAt: now}}}
	for i, dni := range []string{"20000000", "20000001", "20000002", "21000000"} {
		b.Attendances = append(b.Attendances, wire.AttendanceRecord{ID: fmt.Sprintf("a-1-%d", i), SessionID: "s-1", DNI: dni, Status: "presente", Method: "typed"})
	}
	for i, dni := range []string{"20000001", "20000003", "21000001"} {
		b.Attendances = append(b.Attendances, wire.AttendanceRecord{ID: fmt.Sprintf("a-2-%d", i), SessionID: "s-2", DNI: dni, Status: "presente", Method: "typed"})
	}
	if _, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now}); err != nil {
		t.Fatal(err)
	}
	all := wire.StaffScope{}
	country, err := st.Compliance(ctx, 2026, "", all)
	if err != nil {
		t.Fatal(err)
	}
	if country.People != 14 || country.Under != 11 {
		t.Errorf("country: %d people, %d under; want 14 and 11: %+v", country.People, country.Under, country.Groups)
	}
	for _, prov := range []string{"Buenos Aires", "Salta"} {
		var want []wire.ComplianceGroup
		for _, g := range country.Groups {
			if g.Province == prov {
				want = append(want, g)
			}
		}
		c, err := st.Compliance(ctx, 2026, prov, all)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.Groups, want) {
			t.Errorf("%s: groups %+v, want %+v", prov, c.Groups, want)
		}
	}
}

// TestFirstRosterKeepsIndexes: the first roster, loaded into an empty
// table (on PostgreSQL with its indexes built after), leaves the people
// table with the indexes it had, and a second import still works.
func TestFirstRosterKeepsIndexes(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	before, err := st.IndexDefs(ctx, "people")
	if err != nil || len(before) < 3 {
		t.Fatalf("indexes %v %v", before, err)
	}
	if rep, err := st.ImportRoster(ctx, strings.NewReader(registrytest.RosterCSV)); err != nil || rep.Added != 4 {
		t.Fatalf("first import %+v %v", rep, err)
	}
	after, err := st.IndexDefs(ctx, "people")
	if err != nil || !slices.Equal(after, before) {
		t.Errorf("indexes after the first import:\n%v\nwant\n%v (%v)", after, before, err)
	}
	if rep, err := st.ImportRoster(ctx, strings.NewReader(registrytest.RosterCSV+"20999999;;NUEVO;Ana;ANSES;;Salta\n")); err != nil || rep.Added != 1 || rep.Unchanged != 4 {
		t.Errorf("second import %+v %v", rep, err)
	}
}
