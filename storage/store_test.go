package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
)

var ctx = context.Background()

// clock is a controllable time source for stores.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openStore(t testing.TB) *storage.Store {
	t.Helper()
	st, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)}
	st.Now = c.now
	t.Cleanup(func() { st.Close() })
	return st
}

const catalogCSV = "Código;Título;Tipo;Horas;Puntos;Sesiones\n" +
	"CH-1;Charla inspiradora;charla;2;2;1\n" +
	"CU-1;Curso de expediente electrónico;curso;12;20;4\n"

const rosterCSV = "\ufeffDNI;CUIL;Apellido;Nombres;Organismo;Correo;Provincia\r\n" +
	"20.123.456;;NÚÑEZ;María José;ANSES;;Córdoba\r\n" +
	"21000111;;MUNOZ;Pedro;Ministerio de Salud;;Salta\r\n" +
	"22000222;;FERNÁNDEZ DE LA PEÑA;Ana Inés;INTA;;Buenos Aires\r\n" +
	"23000333;;D'ALESSANDRO;Lucía;ANSES;;Tucumán\r\n"

// seeded returns a store with the small catalog and roster above.
func seeded(t testing.TB) *storage.Store {
	t.Helper()
	st := openStore(t)
	if _, err := st.ImportCatalog(ctx, strings.NewReader(catalogCSV), nil); err != nil {
		t.Fatal(err)
	}
	rep, err := st.ImportRoster(ctx, strings.NewReader(rosterCSV), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 4 || len(rep.Rejects) != 0 {
		t.Fatalf("seed roster: %+v", rep)
	}
	return st
}

func newSession(t testing.TB, st *storage.Store, code string) storage.SessionInfo {
	t.Helper()
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: code, Date: "2026-11-27", Start: "9:00", End: "11:00",
		Province: "cordoba", Municipality: "villa maria", Venue: "Salón", Instructor: "Carla"})
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Session(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.SchemaVersion(ctx)
	files, _ := filepath.Glob("migrations/*.sql")
	if err != nil || v != len(files) || v == 0 {
		t.Fatalf("schema version = %d, %v; want %d (one per migration)", v, err, len(files))
	}
	st.Close()
	if _, err := os.Stat(filepath.Join(dir, storage.FileName)); err != nil {
		t.Fatal(err)
	}
	st, err = storage.Open(dir) // reopening applies nothing twice
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("PUNTOS_DATA", "/tmp/x")
	if got, _ := storage.DefaultDir(); got != "/tmp/x" {
		t.Errorf("got %q, want $PUNTOS_DATA", got)
	}
	t.Setenv("PUNTOS_DATA", "")
	t.Setenv("XDG_CONFIG_HOME", "/tmp/cfg")
	if got, _ := storage.DefaultDir(); got != "/tmp/cfg/Puntos" {
		t.Errorf("got %q, want /tmp/cfg/Puntos", got)
	}
}

func TestFindPeople(t *testing.T) {
	st := seeded(t)
	cases := []struct{ q, want string }{
		{"nunez", "20123456"},
		{"NUÑ", "20123456"},
		{"muñoz", "21000111"},
		{"maria jo", "20123456"},
		{"ana ines", "22000222"},
		{"pena", "22000222"}, // a word inside the surname
		{"dalessandro", "23000333"},
		{"20.123.456", "20123456"},
		{"20123", "20123456"},
		{"27-20123456-0", "20123456"},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			got, err := st.FindPeople(ctx, c.q, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 || got[0].DNI != c.want {
				t.Fatalf("FindPeople(%q) = %v, want first %s", c.q, got, c.want)
			}
		})
	}
	if got, _ := st.FindPeople(ctx, "zzz", 10); len(got) != 0 {
		t.Errorf("zzz found %v", got)
	}
}

func TestReimportKeepsAttendances(t *testing.T) {
	st := seeded(t)
	s := newSession(t, st, "CH-1")
	if _, err := st.CheckIn(ctx, s.ID, "20123456", storage.CheckInOptions{}); err != nil {
		t.Fatal(err)
	}
	updated := strings.Replace(rosterCSV, "ANSES;;Córdoba", "ANSES Córdoba;;Córdoba", 1)
	rep, err := st.ImportRoster(ctx, strings.NewReader(updated), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || rep.Unchanged != 3 || rep.Added != 0 {
		t.Errorf("report = %+v, want 1 updated 3 unchanged", rep)
	}
	att, _ := st.Attendees(ctx, s.ID)
	if len(att) != 1 || att[0].Person.Agency != "ANSES Córdoba" {
		t.Errorf("attendees after reimport = %+v", att)
	}
}

func TestImportRejectsAndFailures(t *testing.T) {
	st := seeded(t)
	bad := "DNI;Apellido;Nombres\n30111222;GÓMEZ;Raúl\n12;CORTO;Juan\n;SIN;Dni\n"
	rep, err := st.ImportRoster(ctx, strings.NewReader(bad), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 1 || len(rep.Rejects) != 2 || rep.Rejects[0].Line != 3 || rep.Rejects[1].Line != 4 {
		t.Errorf("report = %+v, want 1 added and lines 3, 4 rejected", rep)
	}
	before, _ := st.CountPeople(ctx)
	if _, err := st.ImportRoster(ctx, strings.NewReader("Foo;Bar\n1;2\n"), nil); err == nil {
		t.Error("a file without DNI column imported")
	}
	after, _ := st.CountPeople(ctx)
	if before != after {
		t.Errorf("failed import changed the roster: %d → %d", before, after)
	}
}

func TestCreateSessionValidation(t *testing.T) {
	st := seeded(t)
	ok := domain.Session{ActivityCode: "CH-1", Date: "2026-11-27", Province: "Córdoba", Municipality: "Villa María"}
	cases := map[string]func(s *domain.Session){
		"ErrActivity":     func(s *domain.Session) { s.ActivityCode = "NOPE" },
		"ErrDate":         func(s *domain.Session) { s.Date = "2026-02-30" },
		"ErrTimeOrder":    func(s *domain.Session) { s.Start, s.End = "11:00", "10:00" },
		"ErrProvince":     func(s *domain.Session) { s.Province = "Narnia" },
		"ErrMunicipality": func(s *domain.Session) { s.Municipality = " " },
		"ErrModality":     func(s *domain.Session) { s.Modality = "hybrid" },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			in := ok
			mut(&in)
			_, err := st.CreateSession(ctx, in)
			if !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("err = %v, want an invalid-input error", err)
			}
			if !strings.ContainsAny(err.Error(), "áéíóúñ") && len(err.Error()) < 20 {
				t.Errorf("message %q does not read like a sentence", err)
			}
		})
	}
	free := ok
	free.Municipality = "Paraje Los Cerrillos" // not on the list: kept as typed
	s, err := st.CreateSession(ctx, free)
	if err != nil || s.Municipality != "Paraje Los Cerrillos" || s.Province != "Córdoba" {
		t.Fatalf("free place: %+v, %v", s, err)
	}
}

func cardScan(sep, dni, surname, names string) string {
	return strings.Join([]string{"00512345678", surname, names, "F", dni, "A", "15/03/1980", "20/05/2015", "200"}, sep)
}

func TestCheckInFlow(t *testing.T) {
	st := seeded(t)
	s := newSession(t, st, "CH-1")
	if s.Municipality != "Villa María" || s.Province != "Córdoba" {
		t.Errorf("place = %s, %s; want canonical Villa María, Córdoba", s.Municipality, s.Province)
	}
	check := func(input string, opts storage.CheckInOptions) storage.CheckInResult {
		t.Helper()
		res, err := st.CheckIn(ctx, s.ID, input, opts)
		if err != nil {
			t.Fatalf("CheckIn(%q): %v", input, err)
		}
		return res
	}
	if r := check("20.123.456", storage.CheckInOptions{}); r.Attendance.Method != domain.Typed || r.Attendance.Status != domain.Presente {
		t.Errorf("by DNI: %+v", r.Attendance)
	}
	if r := check("20.123.456", storage.CheckInOptions{}); !r.Already {
		t.Error("second check-in not reported as already")
	}
	if r := check("d'alessandro", storage.CheckInOptions{Status: domain.Tarde}); r.Person.DNI != "23000333" || r.Attendance.Method != domain.Search {
		t.Errorf("by name: %+v", r)
	}
	if r := check(cardScan("@", "21000111", "MUNOZ", "PEDRO"), storage.CheckInOptions{}); r.Attendance.Method != domain.Scan {
		t.Errorf("by scan: %+v", r.Attendance)
	}
	if r := check(cardScan(`"`, "22000222", "FERNANDEZ DE LA PENA", "ANA INES"), storage.CheckInOptions{}); r.Person.DNI != "22000222" {
		t.Errorf("by quote scan: %+v", r.Person)
	}
	// Not on the roster: a typed DNI is refused, a scan offers the data.
	_, err := st.CheckIn(ctx, s.ID, "30999888", storage.CheckInOptions{})
	var unknown *storage.UnknownPersonError
	if !errors.As(err, &unknown) || unknown.DNI != "30999888" {
		t.Fatalf("unknown DNI: err = %v", err)
	}
	walk := cardScan("@", "31222333", "ÑANDÚ", "JOSÉ")
	if _, err := st.CheckIn(ctx, s.ID, walk, storage.CheckInOptions{}); !errors.As(err, &unknown) || unknown.Scan == nil {
		t.Fatalf("unknown scan: err = %v", err)
	}
	if r := check(walk, storage.CheckInOptions{WalkInFromScan: true}); !r.Created || r.Attendance.Method != domain.WalkIn {
		t.Errorf("walk-in from scan: %+v", r)
	}
	p, err := st.Person(ctx, "31222333")
	if err != nil || !p.WalkIn || p.Surname != "ÑANDÚ" {
		t.Errorf("walk-in person = %+v, %v", p, err)
	}

	att, err := st.Attendees(ctx, s.ID)
	if err != nil || len(att) != 5 {
		t.Fatalf("attendees = %d, %v; want 5", len(att), err)
	}
	var nunez string
	for _, a := range att {
		if a.DNI == "20123456" {
			nunez = a.ID
		}
	}
	if err := st.SetStatus(ctx, nunez, domain.Justificado); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStatus(ctx, nunez, "perdido"); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("bad status: %v", err)
	}
	sum, err := st.CloseSession(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Summary{Total: 5, Presente: 3, Tarde: 1, Justificado: 1, WalkIns: 1}
	if sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}
	// Closed: read-only.
	if _, err := st.CheckIn(ctx, s.ID, "21000111", storage.CheckInOptions{}); !errors.Is(err, domain.ErrClosed) {
		t.Errorf("check-in on closed session: %v", err)
	}
	if err := st.SetStatus(ctx, nunez, domain.Presente); !errors.Is(err, domain.ErrClosed) {
		t.Errorf("status on closed session: %v", err)
	}
	if err := st.RemoveAttendance(ctx, nunez); !errors.Is(err, domain.ErrClosed) {
		t.Errorf("remove on closed session: %v", err)
	}
	if _, err := st.CloseSession(ctx, s.ID); !errors.Is(err, domain.ErrClosed) {
		t.Errorf("closing twice: %v", err)
	}
	if n, _ := st.CountWaiting(ctx); n != 1 {
		t.Errorf("waiting = %d, want 1", n)
	}
}

func TestRemoveAttendance(t *testing.T) {
	st := seeded(t)
	s := newSession(t, st, "CH-1")
	r, err := st.CheckIn(ctx, s.ID, "21000111", storage.CheckInOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveAttendance(ctx, r.Attendance.ID); err != nil {
		t.Fatal(err)
	}
	if att, _ := st.Attendees(ctx, s.ID); len(att) != 0 {
		t.Errorf("attendees after remove = %d", len(att))
	}
	if err := st.RemoveAttendance(ctx, r.Attendance.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
}

func TestAmbiguousName(t *testing.T) {
	st := seeded(t)
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\n30111222;NUÑEZ;Pedro\n"), nil); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, st, "CH-1")
	_, err := st.CheckIn(ctx, s.ID, "nunez", storage.CheckInOptions{})
	var amb *storage.AmbiguousError
	if !errors.As(err, &amb) || len(amb.Matches) != 2 {
		t.Fatalf("err = %v, want 2 matches", err)
	}
	if r, err := st.CheckIn(ctx, s.ID, "nunez pedro", storage.CheckInOptions{}); err != nil || r.Person.DNI != "30111222" {
		t.Fatalf("narrowed: %+v, %v", r.Person, err)
	}
}

func TestSessionLookup(t *testing.T) {
	st := seeded(t)
	s := newSession(t, st, "CH-1")
	got, err := st.Session(ctx, strings.ToUpper(s.ID[:13]))
	if err != nil || got.ID != s.ID {
		t.Fatalf("by prefix: %v, %v", got.ID, err)
	}
	if _, err := st.Session(ctx, "abc"); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("short id: %v", err)
	}
	if _, err := st.Session(ctx, "ffffffff-0000"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestEventsAppendOnly(t *testing.T) {
	st := seeded(t)
	evs, err := st.Events(ctx, 10)
	if err != nil || len(evs) == 0 {
		t.Fatalf("events = %v, %v", evs, err)
	}
	for _, e := range evs {
		if strings.Contains(e.Detail, "20123456") || strings.Contains(e.EntityID, "20123456") {
			t.Errorf("event holds a DNI: %+v", e)
		}
	}
	if err := st.ExecForTest(ctx, "UPDATE events SET kind = 'x'"); err == nil {
		t.Error("events could be updated")
	}
	if err := st.ExecForTest(ctx, "DELETE FROM events"); err == nil {
		t.Error("events could be deleted")
	}
}

// A large first import takes the bulk path (indexes built at the end):
// the result must be the same store, unique DNIs and working searches.
func TestImportRosterBulk(t *testing.T) {
	st := openStore(t)
	var b strings.Builder
	if err := demo.Roster(&b, 60_000, 3); err != nil {
		t.Fatal(err)
	}
	if b.Len() <= 4<<20 {
		t.Fatalf("roster of %d bytes does not exercise the bulk path", b.Len())
	}
	rep, err := st.ImportRoster(ctx, strings.NewReader(b.String()), nil)
	if err != nil || rep.Added != 60_000 {
		t.Fatalf("import: %+v, %v", rep.Added, err)
	}
	p := demo.Person(12_345, 3)
	got, err := st.FindPeople(ctx, p.Surname+" "+p.GivenNames, 50)
	if err != nil || len(got) == 0 {
		t.Fatalf("find %q: %v %v", p.Surname, got, err)
	}
	if byDNI, err := st.Person(ctx, p.DNI); err != nil || byDNI.GivenNames != p.GivenNames {
		t.Fatalf("by DNI: %+v, %v", byDNI, err)
	}
	if err := st.ExecForTest(ctx, "INSERT INTO people(dni, surname, given_names, name_key, given_key, updated_at) VALUES ('"+p.DNI+"', 'X', 'Y', 'x', 'y', '')"); err == nil {
		t.Error("the DNI index is not unique after a bulk import")
	}
	// A second import of the same file updates in place and changes nothing.
	rep, err = st.ImportRoster(ctx, strings.NewReader(b.String()), nil)
	if err != nil || rep.Unchanged != 60_000 {
		t.Fatalf("re-import: %+v, %v", rep, err)
	}
}

// TestFindPeopleRank: whole words first (surname, then given names), then
// prefixes, then words inside the name; the DNIs are in the opposite
// order, so a list ordered by DNI would fail.
func TestFindPeopleRank(t *testing.T) {
	st, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	roster := "DNI;Apellido;Nombres\n" +
		"20000001;GÓMEZ PÉREZ;Lucía\n" + // a word inside
		"20000002;PEREZLINDO;Ana\n" + // surname prefix
		"20000003;SOSA;Pérez Marta\n" + // whole given name
		"20000004;PÉREZ;Juan\n" + // whole surname
		"20000005;PÉREZ;Ana\n" // whole surname
	if _, err := st.ImportRoster(ctx, strings.NewReader(roster), nil); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindPeople(ctx, "perez", 10)
	if err != nil {
		t.Fatal(err)
	}
	var dnis []string
	for _, p := range got {
		dnis = append(dnis, p.DNI)
	}
	if want := "20000005 20000004 20000003 20000002 20000001"; strings.Join(dnis, " ") != want {
		t.Errorf("perez: %v, want %s", dnis, want)
	}
	// The limit cuts the same ranking.
	if got, _ := st.FindPeople(ctx, "perez", 2); len(got) != 2 || got[0].DNI != "20000005" || got[1].DNI != "20000004" {
		t.Errorf("perez, 2: %v", got)
	}
	// Whole surname and a prefix of the given name.
	if got, _ := st.FindPeople(ctx, "perez ju", 10); len(got) == 0 || got[0].DNI != "20000004" {
		t.Errorf("perez ju: %v", got)
	}
}
