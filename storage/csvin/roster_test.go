package csvin_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

// row is what NextPerson returned for one row.
type row struct {
	line   int
	person domain.Person
	err    error
}

// readRoster reads every row of a roster.
func readRoster(t *testing.T, r *csvin.Reader) []row {
	t.Helper()
	var rows []row
	for {
		p, line, err := r.NextPerson()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			if _, ok := errors.AsType[*csvin.RowError](err); !ok {
				t.Fatalf("line %d: got %T %v, want *csvin.RowError", line, err, err)
			}
		}
		rows = append(rows, row{line, p, err})
		if len(rows) > 100_000 {
			t.Fatal("reader does not end")
		}
	}
}

func newRoster(t *testing.T, in io.Reader) *csvin.Reader {
	t.Helper()
	r, err := csvin.NewRosterReader(in)
	if err != nil {
		t.Fatalf("NewRosterReader: %v", err)
	}
	return r
}

// wantPeople checks that rows hold exactly these people, without errors.
func wantPeople(t *testing.T, rows []row, want []row) {
	t.Helper()
	if len(rows) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(rows), rows, len(want))
	}
	for i := range want {
		if rows[i].err != nil {
			t.Errorf("line %d: got error %v, want none", rows[i].line, rows[i].err)
			continue
		}
		if rows[i].line != want[i].line {
			t.Errorf("row %d: got line %d, want %d", i, rows[i].line, want[i].line)
		}
		if rows[i].person != want[i].person {
			t.Errorf("line %d:\n got %+v\nwant %+v", rows[i].line, rows[i].person, want[i].person)
		}
	}
}

func TestRosterFiles(t *testing.T) {
	t.Run("UTF8BOMSemicolonCRLF", func(t *testing.T) {
		r := newRoster(t, open(t, "roster_es_utf8bom.csv"))
		if got, want := r.Encoding(), "UTF-8"; got != want {
			t.Errorf("Encoding() = %q, want %q", got, want)
		}
		if got, want := r.Comma(), ';'; got != want {
			t.Errorf("Comma() = %q, want %q", got, want)
		}
		wantPeople(t, readRoster(t, r), []row{
			{line: 2, person: domain.Person{DNI: "12345678", CUIL: "20123456786", Surname: "PÉREZ", GivenNames: "Juan Carlos",
				Agency: "Ministerio de Salud", Email: "jperez@salud.gob.ar", Province: "Córdoba"}},
			{line: 3, person: domain.Person{DNI: "23456789", Surname: "MUÑOZ", GivenNames: "María Ángela",
				Agency: "Secretaría de Cultura; Dirección de Museos", Province: "Jujuy"}},
			{line: 6, person: domain.Person{DNI: "7654321", Surname: "ARGÜELLO", GivenNames: "Güemes Martín",
				Agency: "ANSES", Province: "Salta"}},
		})
		if got, want := r.Skipped(), 1; got != want {
			t.Errorf("Skipped() = %d, want %d", got, want)
		}
		done, total := r.Progress()
		if done != total || total == 0 {
			t.Errorf("Progress() = %d, %d; want done == total > 0", done, total)
		}
	})
	t.Run("Windows1252", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join(csvDir, "roster_win1252.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if utf8.Valid(raw) || !strings.Contains(string(raw), "\xd1") {
			t.Fatal("roster_win1252.csv is not Windows-1252 with Ñ")
		}
		r := newRoster(t, open(t, "roster_win1252.csv"))
		if got, want := r.Encoding(), "Windows-1252"; got != want {
			t.Errorf("Encoding() = %q, want %q", got, want)
		}
		wantPeople(t, readRoster(t, r), []row{
			{line: 2, person: domain.Person{DNI: "30111222", Surname: "MUÑOZ", GivenNames: "Ángela Inés",
				Agency: "Dirección de Tránsito", Province: "Tucumán"}},
			{line: 3, person: domain.Person{DNI: "28999000", Surname: "ARGÜELLO PEÑA", GivenNames: "Juan José",
				Agency: "Secretaría de Niñez", Email: "jj@example.com", Province: "Neuquén"}},
			{line: 4, person: domain.Person{DNI: "20500600", Surname: "NÚÑEZ DE LA FUENTE", GivenNames: "Martín",
				Agency: "Municipalidad de Añatuya", Province: "Santiago del Estero"}},
		})
	})
	t.Run("EnglishCommaQuotesNewline", func(t *testing.T) {
		r := newRoster(t, open(t, "roster_en_comma.csv"))
		if got, want := r.Comma(), ','; got != want {
			t.Errorf("Comma() = %q, want %q", got, want)
		}
		wantPeople(t, readRoster(t, r), []row{
			{line: 2, person: domain.Person{DNI: "22333444", CUIL: "20223334440", Surname: "O'BRIEN", GivenNames: `Patricio "Pato"`,
				Agency: "Ministry of Health, Nursing", Email: "pato@example.org", Province: "Buenos Aires"}},
			{line: 3, person: domain.Person{DNI: "25111222", Surname: "GARCÍA LÓPEZ", GivenNames: "Ana",
				Agency: `Agency with "quotes"`, Province: "Mendoza"}},
			{line: 5, person: domain.Person{DNI: "26111333", Surname: "Smith", GivenNames: "John"}},
		})
	})
	t.Run("TabFullName", func(t *testing.T) {
		r := newRoster(t, open(t, "roster_tab.tsv"))
		if got, want := r.Comma(), '\t'; got != want {
			t.Errorf("Comma() = %q, want %q", got, want)
		}
		wantPeople(t, readRoster(t, r), []row{
			{line: 2, person: domain.Person{DNI: "31000111", Surname: "PEREZ", GivenNames: "Juan", Agency: "IPS", Province: "Misiones"}},
			{line: 3, person: domain.Person{DNI: "31000112", Surname: "GOMEZ GARCIA", GivenNames: "Ana María", Agency: "IPS", Province: "Misiones"}},
			{line: 4, person: domain.Person{DNI: "31000113", Surname: "de la Fuente", GivenNames: "José"}},
			{line: 6, person: domain.Person{DNI: "31000114", Surname: "FERNANDEZ", GivenNames: "LUIS ALBERTO", Province: "Corrientes"}},
		})
	})
}

func TestRosterBadRows(t *testing.T) {
	r := newRoster(t, open(t, "roster_bad_rows.csv"))
	rows := readRoster(t, r)
	type want struct {
		line  int
		field string
		code  string // domain.Error code, "" for an accepted row or a duplicate
		dupOf int    // first line of a duplicate
	}
	wants := []want{
		{line: 2},
		{line: 3, field: "CUIL", code: domain.CodeCUILCheckDigit},
		{line: 4, field: "DNI", code: domain.CodeRequired},
		{line: 5, field: "Apellido", code: domain.CodeRequired},
		{line: 6, field: "Nombre", code: domain.CodeRequired},
		{line: 7, field: "DNI", code: domain.CodeDNIFormat},
		{line: 8, field: "DNI", dupOf: 2},
		{line: 9, field: "Correo", code: domain.CodeEmailFormat},
		{line: 11, field: "DNI", code: domain.CodeDNIFormat},
		{line: 12, field: "CUIL", code: domain.CodeCUILDNIMismatch},
		{line: 14},
	}
	if len(rows) != len(wants) {
		t.Fatalf("got %d rows %+v, want %d", len(rows), rows, len(wants))
	}
	for i, w := range wants {
		got := rows[i]
		if got.line != w.line {
			t.Errorf("row %d: got line %d, want %d", i, got.line, w.line)
		}
		if w.field == "" {
			if got.err != nil {
				t.Errorf("line %d: got error %v, want none", got.line, got.err)
			}
			continue
		}
		re, ok := errors.AsType[*csvin.RowError](got.err)
		if !ok {
			t.Errorf("line %d: got %v, want a *RowError", got.line, got.err)
			continue
		}
		if re.Line != w.line || re.Field != w.field {
			t.Errorf("line %d: got RowError line %d field %q, want %d %q", got.line, re.Line, re.Field, w.line, w.field)
		}
		if got.person != (domain.Person{}) {
			t.Errorf("line %d: got person %+v with an error, want the zero Person", got.line, got.person)
		}
		if w.dupOf != 0 {
			d, ok := errors.AsType[*csvin.DuplicateError](got.err)
			if !ok || d.FirstLine != w.dupOf || !errors.Is(got.err, domain.ErrConflict) {
				t.Errorf("line %d: got %v, want a duplicate of line %d", got.line, got.err, w.dupOf)
			}
			continue
		}
		de, ok := errors.AsType[*domain.Error](got.err)
		if !ok || de.Code != w.code || !errors.Is(got.err, domain.ErrInvalid) {
			t.Errorf("line %d: got %v, want domain code %s", got.line, got.err, w.code)
		}
	}
	if got, want := r.Skipped(), 1; got != want {
		t.Errorf("Skipped() = %d, want %d", got, want)
	}

	// The messages a person reads.
	for _, tc := range []struct {
		row  int
		want string
	}{
		{1, "línea 3, CUIL: El último dígito del CUIL no coincide con los demás."},
		{5, "línea 7, DNI: El número está en notación científica (como 1,23457E+07) y perdió dígitos. En Excel, dale formato Texto a la columna"},
		{6, "línea 8, DNI: DNI repetido en la línea 2 con otros datos."},
		{7, "línea 9, Correo: El correo electrónico no parece válido"},
	} {
		if got := rows[tc.row].err.Error(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("got message %q, want it to start with %q", got, tc.want)
		}
	}
}

func TestRosterHeaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want string
	}{
		{"MissingName", "", `línea 1: falta la columna Apellido y Nombre (en una columna o en dos). Columnas encontradas: "DNI", "Correo", "Provincia".`},
		{"MissingDNI", "Apellido;Nombres;Mail\nPEREZ;Juan;\n", `línea 1: falta la columna DNI. Columnas encontradas: "Apellido", "Nombres", "Mail".`},
		{"LongCell", "DNI;Provincia;\"" + strings.Repeat("x", 50) + "\n",
			`línea 1: falta la columna Apellido y Nombre (en una columna o en dos). Columnas encontradas: "DNI", "Provincia", "` + strings.Repeat("x", 40) + `…".`},
		{"MissingGivenNames", "\n\nDNI,Apellido,Email\n", `línea 3: falta la columna Nombre. Columnas encontradas: "DNI", "Apellido", "Email".`},
		{"MissingAll", "12345678;PEREZ;Juan\n", `línea 1: faltan las columnas DNI, Apellido y Nombre (en una columna o en dos). La primera fila debe tener los nombres de las columnas.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in io.Reader = strings.NewReader(tc.in)
			if tc.in == "" {
				in = open(t, "roster_missing_name.csv")
			}
			_, err := csvin.NewRosterReader(in)
			he, ok := errors.AsType[*csvin.HeaderError](err)
			if !ok {
				t.Fatalf("got %v, want a *HeaderError", err)
			}
			if got := he.Error(); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		in   string
	}{
		{"Empty", ""},
		{"BOMOnly", "\ufeff"},
		{"BlankLines", "\r\n\n\r\n"},
		{"SeparatorsOnly", ";;;\r\n;;\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := csvin.NewRosterReader(strings.NewReader(tc.in))
			if !errors.Is(err, csvin.ErrEmpty) {
				t.Errorf("got %v, want ErrEmpty", err)
			}
		})
	}
}

// one reads a roster made of a header and rows and returns its rows.
func one(t *testing.T, in string) []row {
	t.Helper()
	return readRoster(t, newRoster(t, strings.NewReader(in)))
}

func TestRosterCells(t *testing.T) {
	dnis := []struct {
		name, cell, want string
	}{
		{"Dots", "12.345.678", "12345678"},
		{"Plain", "12345678", "12345678"},
		{"ExcelDecimal", "12345678.0", "12345678"},
		{"ExcelDecimalComma", "12345678,00", "12345678"},
		{"Spaces", " 12345678 ", "12345678"},
		{"NonBreakingSpace", "\u00a012345678\u00a0", "12345678"},
		{"EnglishThousands", `"12,345,678"`, "12345678"},
		{"TextFormula", `"=""12345678"""`, "12345678"},
		{"Apostrophe", "'12345678", "12345678"},
		{"SevenDigits", "1.234.567", "1234567"},
		{"LeadingZero", "01234567", "1234567"},
	}
	for _, tc := range dnis {
		t.Run("DNI"+tc.name, func(t *testing.T) {
			rows := one(t, "DNI;Apellido;Nombre\n"+tc.cell+";PEREZ;Juan\n")
			if len(rows) != 1 || rows[0].err != nil {
				t.Fatalf("got %+v, want one person", rows)
			}
			if got := rows[0].person.DNI; got != tc.want {
				t.Errorf("got DNI %q, want %q", got, tc.want)
			}
		})
	}
	for _, cell := range []string{"1,23457E+07", "1.23457E+07", "1,2E+7", "2,01235E+10", "1E+07"} {
		t.Run("Scientific"+cell, func(t *testing.T) {
			rows := one(t, "DNI\tApellido\tNombre\n"+cell+"\tPEREZ\tJuan\n")
			if len(rows) != 1 || rows[0].err == nil || !strings.Contains(rows[0].err.Error(), "notación científica") {
				t.Errorf("got %+v, want a scientific notation error", rows)
			}
		})
	}
	t.Run("CUILWithoutDNIColumn", func(t *testing.T) {
		rows := one(t, "CUIL;Apellido;Nombre\n20-12345678-6;PEREZ;Juan\n20123456780;GOMEZ;Ana\n")
		if len(rows) != 2 || rows[0].err != nil || rows[0].person.DNI != "12345678" {
			t.Fatalf("got %+v, want DNI 12345678 taken from the CUIL", rows)
		}
		re, ok := errors.AsType[*csvin.RowError](rows[1].err)
		if !ok || re.Field != "CUIL" || re.Line != 3 {
			t.Errorf("got %v, want a CUIL error on line 3", rows[1].err)
		}
	})
	t.Run("ScientificCUIL", func(t *testing.T) {
		rows := one(t, "DNI;CUIL;Apellido;Nombre\n12345678;2,01235E+10;PEREZ;Juan\n")
		re, ok := errors.AsType[*csvin.RowError](rows[0].err)
		if !ok || re.Field != "CUIL" || !strings.Contains(re.Error(), "notación científica") {
			t.Errorf("got %v, want a scientific notation error on CUIL", rows[0].err)
		}
	})
	names := []struct {
		name, header, cell, surname, given string
	}{
		{"Comma", "Apellido y Nombre", "PEREZ GOMEZ, Juan Carlos", "PEREZ GOMEZ", "Juan Carlos"},
		{"CapsFirst", "Apellido y Nombre", "PEREZ GOMEZ Juan Carlos", "PEREZ GOMEZ", "Juan Carlos"},
		{"CapsLast", "Nombre completo", "Juan Carlos PEREZ", "PEREZ", "Juan Carlos"},
		{"AllCapsFirstWord", "APELLIDO Y NOMBRES", "PEREZ JUAN CARLOS", "PEREZ", "JUAN CARLOS"},
		{"AllCapsParticles", "Apellidos y nombres", "DE LA FUENTE JUAN", "DE LA FUENTE", "JUAN"},
		{"GivenFirst", "Nombre y Apellido", "Juan Carlos Pérez", "Pérez", "Juan Carlos"},
		{"GivenFirstParticle", "Nombre y Apellido", "Juan del Valle", "del Valle", "Juan"},
		{"EnglishName", "Name", "SMITH, John", "SMITH", "John"},
		{"Apostrophe", "Apellido y Nombre", "D'ALESSANDRO María", "D'ALESSANDRO", "María"},
	}
	for _, tc := range names {
		t.Run("Name"+tc.name, func(t *testing.T) {
			rows := one(t, "DNI;"+tc.header+"\n12345678;"+tc.cell+"\n")
			if len(rows) != 1 || rows[0].err != nil {
				t.Fatalf("got %+v, want one person", rows)
			}
			p := rows[0].person
			if p.Surname != tc.surname || p.GivenNames != tc.given {
				t.Errorf("got %q / %q, want %q / %q", p.Surname, p.GivenNames, tc.surname, tc.given)
			}
		})
	}
	t.Run("NameOneWord", func(t *testing.T) {
		rows := one(t, "DNI;Apellido y Nombre\n12345678;PEREZ\n")
		re, ok := errors.AsType[*csvin.RowError](rows[0].err)
		if !ok || re.Field != "Apellido y Nombre" || re.Line != 2 {
			t.Errorf("got %v, want a missing given names error", rows[0].err)
		}
	})
	t.Run("SeparateColumnsWin", func(t *testing.T) {
		rows := one(t, "DNI;Apellido y Nombre;Apellido;Nombres\n12345678;x;PEREZ;Juan\n")
		if p := rows[0].person; p.Surname != "PEREZ" || p.GivenNames != "Juan" {
			t.Errorf("got %+v, want PEREZ / Juan from the separate columns", p)
		}
	})
	t.Run("HeaderSpellings", func(t *testing.T) {
		rows := one(t, " e-MAIL ;PROVINCE;N° de Documento;Repartición;apellidos;NOMBRES;Extra\n"+
			"A@B.COM;Salta;12345678;ANSES;PEREZ;Juan;ignored\n")
		want := domain.Person{DNI: "12345678", Surname: "PEREZ", GivenNames: "Juan", Agency: "ANSES", Email: "a@b.com", Province: "Salta"}
		if len(rows) != 1 || rows[0].person != want {
			t.Errorf("got %+v, want %+v", rows, want)
		}
	})
	t.Run("ShortRow", func(t *testing.T) {
		rows := one(t, "Apellido;Nombre;DNI;Correo;Provincia\nPEREZ;Juan;12345678\n")
		if len(rows) != 1 || rows[0].err != nil || rows[0].person.DNI != "12345678" {
			t.Errorf("got %+v, want one person", rows)
		}
	})
}

func TestRosterLayout(t *testing.T) {
	t.Run("LateWindows1252Byte", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("DNI;Apellido;Nombre\n")
		for i := range 5000 {
			fmt.Fprintf(&b, "1%07d;PEREZ;Juan\n", i)
		}
		b.WriteString("20000000;MU\xd1OZ;Jos\xe9\n") // Windows-1252, 80 kB into the file
		rows := one(t, b.String())
		last := rows[len(rows)-1]
		if len(rows) != 5001 || last.err != nil || last.person.Surname != "MUÑOZ" || last.person.GivenNames != "José" || last.line != 5002 {
			t.Errorf("got %d rows, last %+v; want 5001, MUÑOZ / José on line 5002", len(rows), last)
		}
	})
	t.Run("MixedEncodings", func(t *testing.T) {
		// Rows typed in Excel (Windows-1252) pasted below a UTF-8 export.
		r := newRoster(t, strings.NewReader("\ufeffDNI;Apellido;Nombre\r\n12345678;MUÑOZ;José\r\n23456789;PE\xd1A;Jos\xe9\r\n"))
		rows := readRoster(t, r)
		if got, want := r.Encoding(), "UTF-8 y Windows-1252"; got != want {
			t.Errorf("Encoding() = %q, want %q", got, want)
		}
		if len(rows) != 2 || rows[0].person.Surname != "MUÑOZ" || rows[1].person.Surname != "PEÑA" || rows[1].person.GivenNames != "José" {
			t.Errorf("got %+v, want MUÑOZ / José and PEÑA / José", rows)
		}
	})
	t.Run("TooLarge", func(t *testing.T) {
		f, err := os.Create(filepath.Join(t.TempDir(), "big.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(csvin.MaxFileSize + 1); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		if _, err := csvin.NewRosterReader(f); !errors.Is(err, csvin.ErrTooLarge) {
			t.Errorf("got %v, want ErrTooLarge", err)
		}
	})
	t.Run("UTF16", func(t *testing.T) {
		// Excel's "Texto Unicode": UTF-16LE with BOM, tabs.
		text := "DNI\tApellido\tNombre\r\n12345678\tMUÑOZ\tJosé\r\n"
		b := []byte{0xFF, 0xFE}
		for _, r := range text {
			b = append(b, byte(r), byte(r>>8))
		}
		r := newRoster(t, strings.NewReader(string(b)))
		rows := readRoster(t, r)
		if r.Encoding() != "UTF-16" || len(rows) != 1 || rows[0].person.Surname != "MUÑOZ" {
			t.Errorf("got %s %+v, want UTF-16 MUÑOZ", r.Encoding(), rows)
		}
	})
	t.Run("SepLine", func(t *testing.T) {
		// Without the sep line, the header's semicolons would win.
		r := newRoster(t, strings.NewReader("sep=,\r\nDNI,Apellido,Nombres,Notas;a;b;c\r\n12345678,PEREZ;GOMEZ,Juan,x;y;z\r\n"))
		rows := readRoster(t, r)
		if r.Comma() != ',' || len(rows) != 1 || rows[0].line != 3 || rows[0].person.Surname != "PEREZ;GOMEZ" {
			t.Errorf("got %q %+v, want ',' and line 3 PEREZ;GOMEZ / Juan", r.Comma(), rows)
		}
	})
	t.Run("TitleRows", func(t *testing.T) {
		r := newRoster(t, strings.NewReader("Nómina de agentes, año 2026\r\nMinisterio de Salud;;;\r\n\r\nDNI;Apellido;Nombre;\r\n12345678;PEREZ;Juan;\r\n"))
		rows := readRoster(t, r)
		if r.Comma() != ';' || len(rows) != 1 || rows[0].line != 5 || rows[0].err != nil {
			t.Errorf("got %q %+v, want ';' and a person on line 5", r.Comma(), rows)
		}
	})
	t.Run("OldMacCR", func(t *testing.T) {
		rows := one(t, "DNI;Apellido;Nombre\r12345678;PEREZ;Juan\r\r23456789;GOMEZ;Ana\r")
		if len(rows) != 2 || rows[0].line != 2 || rows[1].line != 4 {
			t.Errorf("got %+v, want lines 2 and 4", rows)
		}
	})
	t.Run("QuotedLinesCount", func(t *testing.T) {
		rows := one(t, "DNI;Apellido;Nombre\r\n12345678;\"PEREZ\r\n\r\nGOMEZ\";Juan\r\n;;\r\n1;\"X\nY\";Z\n23456789;GOMEZ;Ana\n")
		if len(rows) != 3 || rows[0].line != 2 || rows[1].line != 6 || rows[2].line != 8 {
			t.Fatalf("got %+v, want lines 2, 6 (error) and 8", rows)
		}
		if rows[0].person.Surname != "PEREZ GOMEZ" || rows[1].err == nil {
			t.Errorf("got %+v, want PEREZ GOMEZ and an error", rows)
		}
	})
	t.Run("Unterminated", func(t *testing.T) {
		rows := one(t, "DNI;Apellido;Nombre\n12345678;PEREZ;Juan\n23456789;\"GOMEZ;Ana\n34567890;RIOS;Luis\n")
		if len(rows) != 2 || rows[1].line != 3 || rows[1].err == nil || !strings.Contains(rows[1].err.Error(), "comillas") {
			t.Errorf("got %+v, want a person and an unterminated quote error on line 3", rows)
		}
	})
	t.Run("QuoteInsideCell", func(t *testing.T) {
		rows := one(t, "DNI;Apellido;Nombre\n12345678;PEREZ \"EL TANO\";Juan\n")
		if len(rows) != 1 || rows[0].person.Surname != `PEREZ "EL TANO"` {
			t.Errorf("got %+v, want the quotes kept", rows)
		}
	})
}
