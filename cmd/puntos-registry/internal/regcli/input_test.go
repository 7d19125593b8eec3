package regcli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/puntos-ar/puntos/cmd/puntos-registry/internal/regcli"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
)

func TestImportXLSX(t *testing.T) {
	dir := t.TempDir()
	// A catalog on the second sheet of a workbook, below a title row.
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("Catálogo 2026"); err != nil {
		t.Fatal(err)
	}
	for i, r := range [][]any{
		{"Catálogo de actividades"},
		{"Código", "Título", "Tipo", "Horas", "Puntos"},
		{"EX-1", "Extra", "charla", 2, 3},
		{"EX-2", "Larga", "charla", 2, strings.Repeat("9", 3)},
		{"EX-3", strings.Repeat("t", 301), "charla", 2, 3},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Catálogo 2026", cell, &r)
	}
	book := filepath.Join(t.TempDir(), "catalogo.xlsx")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "--data", dir, "catalog", "import", book, "--sheet", "catálogo 2026")
	if code != 1 || !strings.Contains(out, "2 actividades nuevas") || !strings.Contains(out, "rechazada: fila 5, Título: Hay más de 300 caracteres") {
		t.Errorf("catalog import: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = run(t, "--data", dir, "roster", "import", book)
	if code != 1 || !strings.Contains(errs, "la hoja «Sheet1» de la planilla está vacía") {
		t.Errorf("roster from the empty first sheet: exit %d: %s", code, errs)
	}
	xls := filepath.Join(t.TempDir(), "padron.xls")
	os.WriteFile(xls, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...), 0o600)
	if code, _, errs := run(t, "--data", dir, "roster", "import", xls); code != 1 || !strings.Contains(errs, "Excel 97-2003 (.xls)") {
		t.Errorf("xls: exit %d: %s", code, errs)
	}
}

// TestEmptyDataFile: a zero-byte registry.db is refused with one sentence
// naming it, by every command, and left as it is. It is about the SQLite
// file, so it names no database even when the tests run on PostgreSQL.
func TestEmptyDataFile(t *testing.T) {
	t.Setenv(pgtest.EnvEngine, "sqlite")
	dir := t.TempDir()
	path := filepath.Join(dir, registry.FileName)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"stats"}, {"serve", "--addr", "127.0.0.1:0"}} {
		code, _, errs := run(t, append([]string{"--data", dir}, args...)...)
		if code != 1 || !strings.Contains(errs, path) || !strings.Contains(errs, "respaldo") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d: %q", args, code, errs)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("registry.db was touched: %v %v", fi, err)
	}
}

// TestBadDatabaseURL: a URL that is not PostgreSQL's, one that does not
// parse and a server that does not answer each get one clear message,
// without the password, and nothing is created in the data folder.
func TestBadDatabaseURL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registro")
	for _, c := range []struct{ url, want string }{
		{"mysql://puntos:s3cret@db/puntos", "no es de PostgreSQL"},
		{"postgres://puntos:s3cret@127.0.0.1:99999999/puntos", "no es válida"},
		{"postgres://puntos:s3cret@127.0.0.1:1/puntos?connect_timeout=5", "no se pudo conectar con PostgreSQL"},
	} {
		code, _, errs := run(t, "--db", c.url, "--data", dir, "stats")
		if code != 1 || !strings.Contains(errs, c.want) || strings.Contains(errs, "s3cret") {
			t.Errorf("%s: exit %d %q", c.url, code, errs)
		}
	}
	if code, _, errs := run(t, "--data", dir, "--db"); code != 2 || !strings.Contains(errs, "--db") {
		t.Errorf("--db without a URL: exit %d %q", code, errs)
	}
	t.Setenv(regcli.EnvDB, "mysql://puntos:s3cret@db/puntos")
	if code, _, errs := run(t, "stats"); code != 1 || !strings.Contains(errs, "no es de PostgreSQL") {
		t.Errorf("$%s: exit %d %q", regcli.EnvDB, code, errs)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the data folder was created: %v", err)
	}
}
