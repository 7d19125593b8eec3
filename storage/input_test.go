package storage_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/csvin/xlsx"
	"github.com/puntos-ar/puntos/storage/domain"
)

// TestTooLongNotStored: a 10 MB surname in a roster, a walk-in, a
// session or the office settings is refused and stored nowhere.
func TestTooLongNotStored(t *testing.T) {
	st := seeded(t)
	huge := strings.Repeat("X", 10<<20)
	rep, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\r\n30111222;"+huge+";Ana\r\n30111333;PAZ;Luis\r\n"), nil)
	if err != nil || rep.Added != 1 || len(rep.Rejects) != 1 || rep.Rejects[0].Line != 2 || rep.Rejects[0].Field != "Apellido" {
		t.Fatalf("import: %+v, %v; want line 2, Apellido rejected and one added", rep, err)
	}
	if _, err := st.Person(ctx, "30111222"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the person with the 10 MB surname: %v, want not found", err)
	}
	s := newSession(t, st, "CH-1")
	for name, p := range map[string]domain.Person{
		"Surname": {DNI: "30111444", Surname: huge, GivenNames: "Ana"},
		"Given":   {DNI: "30111444", Surname: "RÍOS", GivenNames: strings.Repeat("a", domain.MaxGivenNames+1)},
		"Agency":  {DNI: "30111444", Surname: "RÍOS", GivenNames: "Ana", Agency: strings.Repeat("a", domain.MaxAgency+1)},
	} {
		if _, err := st.WalkIn(ctx, s.ID, p); !isTooLong(err) {
			t.Errorf("walk-in %s: got %v, want too_long", name, err)
		}
	}
	if _, err := st.Person(ctx, "30111444"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("walk-in stored: %v", err)
	}
	in := domain.Session{ActivityCode: "CH-1", Date: "2026-11-27", Province: "Córdoba", Municipality: "Villa María"}
	for name, edit := range map[string]func(*domain.Session){
		"Venue":        func(s *domain.Session) { s.Venue = huge },
		"Instructor":   func(s *domain.Session) { s.Instructor = strings.Repeat("i", domain.MaxInstructor+1) },
		"Municipality": func(s *domain.Session) { s.Municipality = strings.Repeat("m", domain.MaxMunicipality+1) },
	} {
		s := in
		edit(&s)
		if _, err := st.CreateSession(ctx, s); !isTooLong(err) {
			t.Errorf("session %s: got %v, want too_long", name, err)
		}
	}
	for name, o := range map[string]storage.Office{
		"Name":      {Name: huge},
		"Subtitle":  {Name: "Oficina", Subtitle: strings.Repeat("s", domain.MaxSubtitle+1)},
		"URL":       {Name: "Oficina", VerifyBaseURL: "https://" + strings.Repeat("u", domain.MaxURL)},
		"Signatory": {Name: "Oficina", Signatories: []storage.Signatory{{Name: strings.Repeat("n", domain.MaxSignatory+1)}}},
		"Role":      {Name: "Oficina", Signatories: []storage.Signatory{{Name: "Ana", Role: strings.Repeat("r", domain.MaxRole+1)}}},
	} {
		if err := st.SetOffice(ctx, o); !isTooLong(err) {
			t.Errorf("office %s: got %v, want too_long", name, err)
		}
	}
	if o, err := st.Office(ctx); err != nil || len(o.Name) > domain.MaxOffice {
		t.Errorf("office after refusals: %d bytes, %v", len(o.Name), err)
	}
}

func isTooLong(err error) bool {
	e, ok := errors.AsType[*domain.Error](err)
	return ok && e.Code == domain.CodeTooLong
}

func TestImportRosterXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("Padrón"); err != nil {
		t.Fatal(err)
	}
	for i, r := range [][]any{
		{"Nómina de agentes"},
		{"DNI", "Apellido", "Nombres", "Provincia"},
		{30111222, "RÍOS", "Lucía", "Salta"},
		{"30.111.333", "PAZ", "Luis", "Jujuy"},
		{"123", "MAL", "Dni", ""},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Padrón", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	// Without a workbook reader (cmd gives the stores one), a workbook
	// is refused with a sentence and nothing is stored.
	if _, err := st.ImportRoster(ctx, bytes.NewReader(buf.Bytes()), nil); err == nil || !strings.Contains(err.Error(), "CSV") {
		t.Errorf("a workbook without a reader: %v, want the sentence asking for CSV", err)
	}
	st.Workbook = xlsx.Reader{}
	var last int64
	rep, err := st.ImportRoster(ctx, bytes.NewReader(buf.Bytes()), func(done, total int64) { last = done }, csvin.Sheet("Padrón"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || len(rep.Rejects) != 1 || rep.Rejects[0].Line != 5 || rep.Rejects[0].Sheet != "Padrón" {
		t.Fatalf("report %+v, want 2 added and row 5 of «Padrón» rejected", rep)
	}
	if !strings.HasPrefix(rep.Rejects[0].Message, "fila 5, DNI: ") {
		t.Errorf("message %q", rep.Rejects[0].Message)
	}
	if p, err := st.Person(ctx, "30111333"); err != nil || p.Surname != "PAZ" {
		t.Errorf("person from a DNI with dots: %+v, %v", p, err)
	}
	if last == 0 {
		t.Error("no progress reported")
	}
	// The default first sheet is the empty "Sheet1": nothing changes.
	if _, err := st.ImportRoster(ctx, bytes.NewReader(buf.Bytes()), nil); !errors.Is(err, csvin.ErrEmpty) {
		t.Errorf("first sheet: got %v, want ErrEmpty", err)
	}
}

// TestOpenEmptyFile: a zero-byte puntos.db is refused, named, and left
// as it is.
func TestOpenEmptyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, storage.FileName)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := storage.Open(dir)
	e, ok := errors.AsType[*domain.Error](err)
	if !ok || e.Code != domain.CodeDataFileEmpty {
		t.Fatalf("got %v, want %s", err, domain.CodeDataFileEmpty)
	}
	if msg := domain.Message(err, "es"); !strings.Contains(msg, path) || !strings.Contains(msg, "respaldo") || !strings.Contains(msg, "borralo") {
		t.Errorf("message %q: want the file and what to do", msg)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("the file was touched: %v, %v", fi, err)
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a WAL file was created: %v", err)
	}
}
