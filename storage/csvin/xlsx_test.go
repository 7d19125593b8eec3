package csvin_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/csvin/xlsx"
	"github.com/puntos-ar/puntos/storage/domain"
)

// workbooks lets the readers read workbooks, as the stores do.
var workbooks = csvin.Workbooks(xlsx.Reader{})

// mustRoster opens a roster reader that reads workbooks.
func mustRoster(t *testing.T, r io.Reader) *csvin.Reader {
	t.Helper()
	rd, err := csvin.NewRosterReader(r, workbooks)
	if err != nil {
		t.Fatalf("NewRosterReader: %v", err)
	}
	return rd
}

// sheetData is a sheet to write: its name and its rows of cell values
// (string, int, float64; nil leaves a cell empty).
type sheetData struct {
	name string
	rows [][]any
}

// workbook builds an .xlsx with excelize, with the sheets in order; text
// goes to the shared strings table, as Excel keeps it.
func workbook(t *testing.T, sheets ...sheetData) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// partHas reports whether the part name of the ZIP b contains text.
func partHas(t *testing.T, b []byte, name, text string) bool {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			return strings.Contains(string(data), text)
		}
	}
	return false
}

func TestRosterXLSX(t *testing.T) {
	// As HR systems export it: title rows above the header, DNIs as
	// numbers and as text with dots, a CUIL as a number, a blank row.
	b := workbook(t, sheetData{"Padrón", [][]any{
		{"Ministerio de Salud — Nómina de agentes"},
		{"Fecha de emisión: 01/03/2026"},
		{},
		{"Nº Documento", "CUIL", "Apellido", "Nombres", "Organismo", "Provincia"},
		{12345678, 20123456786, "PÉREZ", "Juan Carlos", "Hospital Rawson", "San Juan"},
		{"23.456.789", nil, "MUÑOZ", "María Ángela", "Secretaría de Cultura", "Jujuy"},
		{},
		{7654321.0, "", "ARGÜELLO", "Martín", "ANSES", "Salta"},
		{"", "", "SIN DNI", "Ana", "", ""},
	}})
	if !partHas(t, b, "xl/sharedStrings.xml", "MUÑOZ") {
		t.Fatal("the workbook does not keep its text in shared strings")
	}
	r, err := csvin.NewRosterReader(bytes.NewReader(b), workbooks)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Encoding(); got != "XLSX" {
		t.Errorf("Encoding() = %q, want XLSX", got)
	}
	rows := readRoster(t, r)
	wantPeople(t, rows[:3], []row{
		{line: 5, person: domain.Person{DNI: "12345678", CUIL: "20123456786", Surname: "PÉREZ", GivenNames: "Juan Carlos", Agency: "Hospital Rawson", Province: "San Juan"}},
		{line: 6, person: domain.Person{DNI: "23456789", Surname: "MUÑOZ", GivenNames: "María Ángela", Agency: "Secretaría de Cultura", Province: "Jujuy"}},
		{line: 8, person: domain.Person{DNI: "7654321", Surname: "ARGÜELLO", GivenNames: "Martín", Agency: "ANSES", Province: "Salta"}},
	})
	if len(rows) != 4 {
		t.Fatalf("got %d rows, want 4", len(rows))
	}
	re, ok := errors.AsType[*csvin.RowError](rows[3].err)
	if !ok || re.Line != 9 || re.Sheet != "Padrón" || re.Field != "Nº Documento" {
		t.Fatalf("row 9: got %#v, want a *RowError on row 9 of «Padrón», field Nº Documento", rows[3].err)
	}
	if got := re.Error(); !strings.HasPrefix(got, "fila 9, Nº Documento: ") {
		t.Errorf("message %q, want it to start with the sheet's row", got)
	}
	var rep csvin.ImportReport
	rep.Reject(re)
	if rep.Rejects[0].Sheet != "Padrón" || rep.Rejects[0].Line != 9 {
		t.Errorf("report line %+v, want sheet Padrón, line 9", rep.Rejects[0])
	}
	if done, total := r.Progress(); done != total || total == 0 {
		t.Errorf("Progress() at the end = %d, %d, want equal and not zero", done, total)
	}
}

func TestXLSXSheets(t *testing.T) {
	b := workbook(t,
		sheetData{"Resumen", [][]any{{"Total", 2}}},
		sheetData{"Datos", [][]any{{"DNI", "Apellido y Nombre"}, {30111222, "GÓMEZ, Ana"}}},
		sheetData{"Vacía", nil},
	)
	t.Run("FirstByDefault", func(t *testing.T) {
		_, err := csvin.NewRosterReader(bytes.NewReader(b), workbooks)
		he, ok := errors.AsType[*csvin.HeaderError](err)
		if !ok || he.Sheet != "Resumen" || he.Line != 1 {
			t.Fatalf("got %v, want a *HeaderError on row 1 of «Resumen»", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "«Datos»") || !strings.HasPrefix(msg, "hoja «Resumen», fila 1: faltan") {
			t.Errorf("message %q: want the sheet, its row and the other sheets", msg)
		}
	})
	t.Run("Named", func(t *testing.T) {
		for _, name := range []string{"Datos", "datos", " DATOS "} {
			r, err := csvin.NewRosterReader(bytes.NewReader(b), csvin.Sheet(name), workbooks)
			if err != nil {
				t.Fatalf("Sheet(%q): %v", name, err)
			}
			wantPeople(t, readRoster(t, r), []row{{line: 2, person: domain.Person{DNI: "30111222", Surname: "GÓMEZ", GivenNames: "Ana"}}})
		}
	})
	t.Run("ErrNoSuchSheet", func(t *testing.T) {
		_, err := csvin.NewRosterReader(bytes.NewReader(b), csvin.Sheet("Padrón"), workbooks)
		se, ok := errors.AsType[*csvin.SheetError](err)
		if !ok || len(se.Sheets) != 3 {
			t.Fatalf("got %v, want a *SheetError listing 3 sheets", err)
		}
		if msg, ok := csvin.Message(err); !ok || !strings.Contains(msg, "«Resumen», «Datos», «Vacía»") {
			t.Errorf("Message = %q, %v", msg, ok)
		}
	})
	t.Run("ErrEmptySheet", func(t *testing.T) {
		_, err := csvin.NewRosterReader(bytes.NewReader(b), csvin.Sheet("Vacía"), workbooks)
		if !errors.Is(err, csvin.ErrEmpty) || !strings.Contains(err.Error(), "«Vacía»") {
			t.Fatalf("got %v, want ErrEmpty naming the sheet", err)
		}
	})
	t.Run("ErrSheetOfText", func(t *testing.T) {
		_, err := csvin.NewRosterReader(strings.NewReader("DNI;Apellido;Nombre\n12345678;PEREZ;Juan\n"), csvin.Sheet("Datos"))
		if se, ok := errors.AsType[*csvin.SheetError](err); !ok || se.Sheets != nil {
			t.Fatalf("got %v, want a *SheetError for a text file", err)
		}
	})
}

// TestXLSXAsWritten reads a workbook written the other ways Excel and
// LibreOffice write cells: inline strings (streamed), numbers stored
// with the Text format ("@"), text with surrounding spaces.
func TestXLSXAsWritten(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range [][]any{
		{"DNI", "Apellido", "Nombres", "Correo"},
		{excelize.Cell{StyleID: text, Value: 20123456}, " NÚÑEZ ", "María José", "MJ@Example.org"},
		{excelize.Cell{StyleID: text, Value: "21.000.111"}, "GÜEMES", "Martín Miguel", nil},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !partHas(t, b, "xl/worksheets/sheet1.xml", `t="inlineStr"`) {
		t.Fatal("the streamed sheet has no inline strings")
	}
	wantPeople(t, readRoster(t, mustRoster(t, bytes.NewReader(b))), []row{
		{line: 2, person: domain.Person{DNI: "20123456", Surname: "NÚÑEZ", GivenNames: "María José", Email: "mj@example.org"}},
		{line: 3, person: domain.Person{DNI: "21000111", Surname: "GÜEMES", GivenNames: "Martín Miguel"}},
	})
}

func TestCatalogXLSX(t *testing.T) {
	b := workbook(t, sheetData{"Catálogo", [][]any{
		{"Catálogo 2026"},
		{"Código", "Título", "Tipo", "Horas", "Puntos", "Encuentros", "Umbral"},
		{"CH-01", "Charla inspiradora", "charla", 2, 2, nil, nil},
		{"CU-02", "Curso de gestión", "Curso", 1.5, 100, 4, 0.75},
		{"CU-03", "Sin tipo", "", 3, 10, nil, nil},
	}})
	r, err := csvin.NewCatalogReader(bytes.NewReader(b), workbooks)
	if err != nil {
		t.Fatal(err)
	}
	var got []domain.Activity
	var rejected []*csvin.RowError
	for {
		a, _, err := r.NextActivity()
		if err == io.EOF {
			break
		}
		if re, ok := errors.AsType[*csvin.RowError](err); ok {
			rejected = append(rejected, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	want := []domain.Activity{
		{Code: "CH-01", Title: "Charla inspiradora", Type: domain.Charla, Hours: 2, Points: 2, Sessions: 1, Threshold: domain.DefaultThreshold, RuleVersion: domain.RuleVersion},
		{Code: "CU-02", Title: "Curso de gestión", Type: domain.Curso, Hours: 1.5, Points: 100, Sessions: 4, Threshold: 0.75, RuleVersion: domain.RuleVersion},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if len(rejected) != 1 || rejected[0].Line != 5 || rejected[0].Field != "Tipo" {
		t.Errorf("rejected %v, want row 5, Tipo", rejected)
	}
}

// zipOf builds a ZIP of the named parts, deflated.
func zipOf(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[i+1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXUnzippedLimit(t *testing.T) {
	// A small file that unzips to more than 50 MB: refused before any
	// part is read.
	bomb := zipOf(t, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>",
		"xl/worksheets/sheet1.xml", strings.Repeat(" ", csvin.MaxUnzipped+1))
	if len(bomb) > 1<<20 {
		t.Fatalf("the test ZIP is %d bytes, want a small one", len(bomb))
	}
	_, err := csvin.NewRosterReader(bytes.NewReader(bomb), workbooks)
	if !errors.Is(err, csvin.ErrUnzippedTooLarge) {
		t.Fatalf("got %v, want ErrUnzippedTooLarge", err)
	}
	// The same ZIP with its directory lying about the sheet's size: the
	// declared sizes pass, and reading stops where the part outgrows them.
	lying := lieAbout(t, bomb, "xl/worksheets/sheet1.xml", 1000)
	_, err = csvin.NewRosterReader(bytes.NewReader(lying), workbooks)
	if fe, ok := errors.AsType[*csvin.FormatError](err); !ok || fe.Format != "xlsx" {
		t.Fatalf("lying sizes: got %v, want a damaged workbook", err)
	}
	// The same limit over many parts.
	parts := []string{"[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>"}
	for i := range 6 {
		parts = append(parts, "xl/media/image"+string(rune('a'+i))+".bin", strings.Repeat("x", 10<<20))
	}
	if _, err := csvin.NewCatalogReader(bytes.NewReader(zipOf(t, parts...)), workbooks); !errors.Is(err, csvin.ErrUnzippedTooLarge) {
		t.Fatalf("many parts: got %v, want ErrUnzippedTooLarge", err)
	}
}

func TestXLSXDamaged(t *testing.T) {
	b := zipOf(t, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook><sheets>")
	_, err := csvin.NewRosterReader(bytes.NewReader(b), workbooks)
	fe, ok := errors.AsType[*csvin.FormatError](err)
	if !ok || fe.Format != "xlsx" {
		t.Fatalf("got %v, want a *FormatError for a damaged workbook", err)
	}
}

// lieAbout returns a copy of the ZIP b whose central directory declares
// size bytes for the part name.
func lieAbout(t *testing.T, b []byte, name string, size uint32) []byte {
	t.Helper()
	b = bytes.Clone(b)
	for i := 0; i+46 < len(b); i++ {
		if !bytes.Equal(b[i:i+4], []byte("PK\x01\x02")) {
			continue
		}
		n := int(binary.LittleEndian.Uint16(b[i+28:]))
		if string(b[i+46:i+46+n]) == name {
			binary.LittleEndian.PutUint32(b[i+24:], size)
			if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no directory entry for %s", name)
	return nil
}

// TestRecordsWorkbook checks that a participants report saved as a
// workbook gets a sentence saying to download it as CSV, not the
// sentence about bytes that are not text.
func TestRecordsWorkbook(t *testing.T) {
	b := workbook(t, sheetData{"Asistencia", [][]any{{"Name", "Duration"}, {"Ana", 60}}})
	_, _, _, err := csvin.Records(bytes.NewReader(b))
	msg, ok := csvin.Message(err)
	if !ok || !strings.Contains(msg, "planilla de Excel") || !strings.Contains(msg, "CSV") {
		t.Errorf("got %v (%q), want the sentence about a workbook", err, msg)
	}
}
