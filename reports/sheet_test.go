package reports_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports"
)

func testSheet(rows int, after bool) reports.Sheet {
	s := reports.Sheet{
		ActivityTitle: "Gestión de proyectos en el sector público", Date: "12 de marzo de 2026", Time: "09:00 a 12:00",
		Place: "Tandil, Buenos Aires", Venue: "Centro Cultural Municipal", Instructor: "Lic. Carlos Rodríguez",
		Office: "Dirección Provincial de Capacitación", BlankRows: 10, After: after,
		GeneratedAt: time.Date(2026, 3, 12, 11, 15, 0, 0, time.UTC),
	}
	statuses := []string{"presente", "tarde", "ausente"}
	for i := range rows {
		s.Rows = append(s.Rows, reports.SheetRow{
			FullName: fmt.Sprintf("PÉREZ %03d, Juan", i+1), DNI: fmt.Sprint(30000000 + i),
			Agency: "Ministerio de Salud", Status: statuses[i%3],
		})
	}
	if rows >= 2 {
		s.Rows[0].FullName = "FERNÁNDEZ DE LA PEÑA Y LILLO D'ALESSANDRO GÜEMES, María de los Ángeles"
		s.Rows[1].FullName = "ÑANDÚ, José"
	}
	return s
}

func renderSheet(t *testing.T, s reports.Sheet) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.SheetPDF(&buf, s); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "planilla.pdf", buf.Bytes())
}

func TestSheetPDF(t *testing.T) {
	// 50 people and 10 blank rows take three pages.
	s := testSheet(50, false)
	path := renderSheet(t, s)
	pages := pdfPages(t, path)
	if pages != 3 {
		t.Fatalf("pages: got %d, want 3", pages)
	}
	t.Run("HeaderOnEveryPage", func(t *testing.T) {
		for p := 1; p <= pages; p++ {
			text := pdfText(t, path, p, p)
			for _, want := range []string{
				"PLANILLA DE ASISTENCIA", s.ActivityTitle, "Fecha: 12 de marzo de 2026", "Horario: 09:00 a 12:00",
				"Lugar: Tandil, Buenos Aires", "Sede: Centro Cultural Municipal", "Instructor/a: Lic. Carlos Rodríguez",
				"Apellido y nombres", "DNI", "Organismo", "Firma", fmt.Sprintf("Página %d de 3", p),
			} {
				if !strings.Contains(text, want) {
					t.Errorf("page %d: %q not found", p, want)
				}
			}
			if strings.Contains(text, "Estado") {
				t.Errorf("page %d: status column before the session", p)
			}
		}
	})
	t.Run("Rows", func(t *testing.T) {
		text := pdfText(t, path, 0, 0)
		for _, r := range s.Rows {
			if !strings.Contains(text, r.FullName) {
				t.Errorf("name %q not found", r.FullName)
			}
		}
		if !strings.Contains(text, "30.000.049") {
			t.Error("DNI not printed with dots")
		}
		// Blank rows continue the numbering.
		if last := pdfText(t, path, 3, 3); !strings.Contains(last, " 58 59 60 Generado el 12/03/2026 08:15") {
			t.Errorf("blank rows 51–60 not numbered on page 3: %q", last)
		}
	})
	t.Run("After", func(t *testing.T) {
		path := renderSheet(t, testSheet(50, true))
		text := pdfText(t, path, 1, 1)
		for _, want := range []string{"Estado", "Firma", "presente", "tarde", "ausente", "Asistencia registrada"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q not found", want)
			}
		}
		all := pdfText(t, path, 0, 0)
		if !strings.Contains(all, "Total: 50 · Presente: 17 · Tarde: 17 · Ausente: 16") {
			t.Errorf("summary not found in %q", all)
		}
		// The closed session's sheet is signed by its instructor, once,
		// after the summary.
		sum, sig := strings.Index(all, "Total: 50"), strings.Index(all, "Firma del instructor/a: Lic. Carlos Rodríguez")
		if sig < 0 || sig < sum || strings.Count(all, "Firma del instructor/a") != 1 {
			t.Errorf("instructor's signature line missing or misplaced in %q", all)
		}
		if before := pdfText(t, renderSheet(t, testSheet(50, false)), 0, 0); strings.Contains(before, "Firma del instructor/a") {
			t.Error("signature line on the sheet printed before the session")
		}
	})
	t.Run("Empty", func(t *testing.T) {
		s := testSheet(0, false)
		s.Rows, s.BlankRows = nil, 0
		path := renderSheet(t, s)
		if got := pdfPages(t, path); got != 1 {
			t.Errorf("pages: got %d, want 1", got)
		}
	})
}
