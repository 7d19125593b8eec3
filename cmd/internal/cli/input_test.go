package cli_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
)

// xlsx writes a workbook with the named sheets, in order, and their rows.
func xlsx(t *testing.T, name string, sheets map[string][][]any, order ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", s)
		} else if _, err := f.NewSheet(s); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[s] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportXLSX(t *testing.T) {
	dir := t.TempDir()
	book := xlsx(t, "padron.xlsx", map[string][][]any{
		"Agentes": {
			{"Dirección de Personal"},
			{"Padrón al 01/03/2026"},
			{"DNI", "Apellido y Nombre", "Organismo", "Provincia"},
			{20123456, "NÚÑEZ, María José", "ANSES", "Córdoba"},
			{"21.000.111", "GÜEMES, Martín Miguel", "Ministerio de Salud", "Salta"},
			{"12", "SIN, Dni", "", ""},
		},
		"Bajas": {{"DNI", "Apellido", "Nombres"}, {22000222, "PAZ", "Luis"}},
	}, "Agentes", "Bajas")
	code, out, errs := run(t, dir, "roster", "import", book)
	if code != 1 || !strings.Contains(out, "2 nuevas") || !strings.Contains(out, "rechazada: fila 6, DNI:") {
		t.Errorf("import: exit %d\n%s%s", code, out, errs)
	}
	if found := mustRun(t, dir, "roster", "find", "guemes"); !strings.Contains(found, "GÜEMES") || !strings.Contains(found, "21.000.111") {
		t.Errorf("find guemes:\n%s", found)
	}
	out = mustRun(t, dir, "roster", "import", book, "--sheet", "Bajas", "--json")
	if !strings.Contains(out, `"added": 1`) {
		t.Errorf("--sheet Bajas: %s", out)
	}
	code, _, errs = run(t, dir, "roster", "import", book, "--sheet", "Altas")
	if code != 1 || !strings.Contains(errs, "no tiene una hoja «Altas»") || !strings.Contains(errs, "«Agentes», «Bajas»") {
		t.Errorf("--sheet Altas: exit %d: %s", code, errs)
	}

	cat := xlsx(t, "catalogo.xlsx", map[string][][]any{"Catálogo": {
		{"Código", "Título", "Tipo", "Horas", "Puntos"},
		{"CH-INSP-01", "Charla inspiradora", "charla", 2, 2},
	}}, "Catálogo")
	if out := mustRun(t, dir, "catalog", "import", cat); !strings.Contains(out, "1 nueva,") {
		t.Errorf("catalog import: %s", out)
	}

	// Refused with one sentence, by content: an .ods named .csv.
	ods := write(t, "padron.csv", zipped(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet"))
	code, _, errs = run(t, dir, "roster", "import", ods)
	if code != 1 || !strings.Contains(errs, "LibreOffice (.ods)") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("ods: exit %d: %q", code, errs)
	}
	code, _, errs = run(t, dir, "roster", "import", write(t, "x.csv", []byte("DNI;Apellido;Nombre\n1\x002;A;B\n")))
	if code != 1 || !strings.Contains(errs, "no es texto") {
		t.Errorf("binary: exit %d: %q", code, errs)
	}
}

// zipped returns a ZIP of the named parts.
func zipped(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, _ := zw.Create(parts[i])
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSheetExpectedXLSX(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "catalog", "import", write(t, "catalogo.csv", []byte(demo.Catalog)))
	id := strings.TrimSpace(mustRun(t, dir, "session", "new", "--activity", "CH-INSP-01", "--date", "2026-11-27",
		"--province", "Salta", "--municipality", "Cafayate"))
	book := xlsx(t, "inscriptos.xlsx", map[string][][]any{
		"Notas":      {{"Inscripción al encuentro"}},
		"Inscriptos": {{"DNI", "Apellido", "Nombres"}, {30111222, "ZAMBRANO", "Eugenia"}, {"30.111.333", "QUIROGA", "Tadeo"}},
	}, "Notas", "Inscriptos")
	out := filepath.Join(t.TempDir(), "planilla.pdf")
	code, _, errs := run(t, dir, "sheet", id, "--out", out, "--expected", book)
	if code != 1 || !strings.Contains(errs, "hoja «Notas»") {
		t.Errorf("first sheet: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, dir, "sheet", id, "--out", out, "--sheet", "Inscriptos"); code != 2 || !strings.Contains(errs, "--expected") {
		t.Errorf("--sheet alone: exit %d: %s", code, errs)
	}
	mustRun(t, dir, "sheet", id, "--out", out, "--expected", book, "--sheet", "Inscriptos")
	if text := pdftotext(t, out); !strings.Contains(text, "ZAMBRANO") || !strings.Contains(text, "QUIROGA") {
		t.Errorf("sheet text:\n%.800s", text)
	}
}

// TestEmptyDataFile: a zero-byte puntos.db is refused with one sentence
// naming it, and left as it is.
func TestEmptyDataFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, storage.FileName)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, dir, "roster", "find", "perez")
	if code != 1 || !strings.Contains(errs, path) || !strings.Contains(errs, "respaldo") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("exit %d: %q", code, errs)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("puntos.db was touched: %v %v", fi, err)
	}
}
