package reports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports"
)

func testStatement(provisional bool) reports.Statement {
	return reports.Statement{
		FullName: "María de los Ángeles FERNÁNDEZ D'ALESSANDRO", DNI: "12345678", CUIL: "27123456783",
		Agency: "Ministerio de Salud", Year: 2026, Provisional: provisional,
		Issuer:      "Dirección Provincial de Capacitación",
		GeneratedAt: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC),
		Entries: []reports.StatementEntry{
			{Date: "12/03/2026", ActivityTitle: "Charla inspiradora: liderazgo", ActivityType: "charla", Hours: 2, Points: 2, Status: "presente"},
			{Date: "20/04/2026", ActivityTitle: "Gestión de proyectos en el sector público: planificación, seguimiento y evaluación de resultados", ActivityType: "curso", Hours: 24, Points: 40, Status: "aprobado"},
			{Date: "02/05/2026", ActivityTitle: "Taller de ética pública", ActivityType: "taller", Hours: 4.5, Points: 3, Status: "tarde"},
			{Date: "15/05/2026", ActivityTitle: "Taller de redacción", ActivityType: "taller", Hours: 3, Points: 0, Status: "ausente"},
		},
	}
}

func renderStatement(t *testing.T, s reports.Statement) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.StatementPDF(&buf, s); err != nil {
		t.Fatal(err)
	}
	return pdfText(t, writeFile(t, "constancia.pdf", buf.Bytes()), 0, 0)
}

func TestStatementPDF(t *testing.T) {
	t.Run("Provisional", func(t *testing.T) {
		text := renderStatement(t, testStatement(true))
		for _, want := range []string{
			"CONSTANCIA DE PUNTOS", "Año 2026", reports.ProvisionalNote,
			"María de los Ángeles FERNÁNDEZ D'ALESSANDRO", "DNI: 12.345.678", "CUIL: 27-12345678-3", "Organismo: Ministerio de Salud",
			"Gestión de proyectos en el sector público: planificación, seguimiento y evaluación de resultados",
			"Total 33,5 45", "Puntos obtenidos en 2026: 45 de 60 requeridos", "Faltan 15 puntos para completar el requisito anual",
			"Página 1 de 1",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%q not found in %q", want, text)
			}
		}
		if strings.Contains(text, reports.OfficialNote) {
			t.Error("a provisional statement claims to come from the registry")
		}
	})
	t.Run("Official", func(t *testing.T) {
		s := testStatement(false)
		s.Required = 40
		text := renderStatement(t, s)
		for _, want := range []string{reports.OfficialNote, "Puntos obtenidos en 2026: 45 de 40 requeridos", "Requisito anual cumplido"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q not found in %q", want, text)
			}
		}
		if strings.Contains(text, "PROVISIONAL") {
			t.Error("an official statement is marked provisional")
		}
	})
	t.Run("Empty", func(t *testing.T) {
		s := testStatement(true)
		s.Entries = nil
		text := renderStatement(t, s)
		for _, want := range []string{"Sin actividades registradas en 2026", "Puntos obtenidos en 2026: 0 de 60 requeridos", "Faltan 60 puntos"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q not found in %q", want, text)
			}
		}
	})
	t.Run("ManyPages", func(t *testing.T) {
		s := testStatement(true)
		for range 40 {
			s.Entries = append(s.Entries, s.Entries[1])
		}
		text := renderStatement(t, s)
		for _, want := range []string{"Página 1 de 3", "Página 3 de 3", "Puntos obtenidos en 2026: 1645 de 60 requeridos"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q not found", want)
			}
		}
	})
}
