package ui_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"github.com/puntos-ar/puntos/storage/csvin/xlsx"
)

// TestRosterImportWorkbook imports an Excel workbook from the roster
// screen, and shows the one sentence that says how to save an .ods.
func TestRosterImportWorkbook(t *testing.T) {
	h := newHarness(t)
	h.st.Workbook = xlsx.Reader{} // as cmd/puntos opens the store
	a := h.a
	test.Tap(a.NavRoster())
	a.Wait()
	before, _ := h.st.CountPeople(ctx)

	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{
		{"Nómina de agentes"},
		{"DNI", "Apellido", "Nombres", "Provincia"},
		{40111222, "ZAMBRANO", "Eugenia", "Salta"},
		{"40.111.333", "QUIROGA", "Tadeo", "Salta"},
	} {
		cell := "A" + string(rune('1'+i))
		f.SetSheetRow("Sheet1", cell, &r)
	}
	book, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	a.RosterImport("padron.xlsx", nopCloser{bytes.NewReader(book.Bytes())})
	a.Wait()
	if got := a.RosterSummary(); !strings.Contains(got, "2 agregados") {
		t.Errorf("summary: got %q", got)
	}
	if n, _ := h.st.CountPeople(ctx); n != before+2 {
		t.Errorf("people: got %d, want %d", n, before+2)
	}

	var ods bytes.Buffer
	zw := zip.NewWriter(&ods)
	w, _ := zw.Create("mimetype")
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	zw.Close()
	a.RosterImport("padron.ods", nopCloser{bytes.NewReader(ods.Bytes())})
	a.Wait()
	if got := a.RosterSummary(); !strings.Contains(got, "LibreOffice (.ods)") || !strings.Contains(got, ".xlsx") {
		t.Errorf("summary for an .ods: got %q", got)
	}
	if n, _ := h.st.CountPeople(ctx); n != before+2 {
		t.Errorf("people after the .ods: got %d, want %d", n, before+2)
	}
}

// TestOpenDialogInSpanish checks that the roster's file-open dialog, like
// the app's other file dialogs, names its places in Spanish.
func TestOpenDialogInSpanish(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.a.NavRoster())
	h.a.Wait()
	test.Tap(h.a.RosterImportButton())
	got := h.overlayText()
	if strings.Contains(got, "Home\n") || !strings.Contains(got, "Carpeta personal") {
		t.Errorf("the open dialog lists %q", got)
	}
}
