package reports_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports"
)

func complianceSample(n int) reports.Compliance {
	c := reports.Compliance{Year: 2026, People: n + 10, Under: n, Issuer: "Secretaría de Gestión y Empleo Público",
		GeneratedAt: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC),
		Groups: []reports.ComplianceGroup{
			{Province: "", Agency: "Municipalidad", People: 3, Under: 3},
			{Province: "Buenos Aires", Agency: "ANSES", People: 10, Under: 4, Points: 400},
		},
		Places: []reports.CompliancePlace{
			{Province: "Buenos Aires", Municipality: "Tandil", Sessions: 3, Attendees: 60, Points: 180},
			{Province: "Buenos Aires", Municipality: "Tres Arroyos", Sessions: 1, Attendees: 20, Points: 40},
			{Province: "Córdoba", Municipality: "Villa María", Sessions: 2, Attendees: 30, Points: 60},
		}}
	for i := range n {
		prov, agency := "Buenos Aires", "ANSES"
		if i%3 == 0 {
			prov, agency = "Córdoba", "Ministerio de Salud"
		}
		c.Rows = append(c.Rows, reports.ComplianceRow{Province: prov, Agency: agency, Surname: fmt.Sprintf("ÑANCUCHEO %d", i),
			GivenNames: "Rocío", DNI: fmt.Sprint(20123456 + i), CUIL: "27201234560", Points: i % 59})
	}
	return c
}

func TestComplianceCSV(t *testing.T) {
	var buf bytes.Buffer
	w, err := reports.NewComplianceWriter(&buf, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows := []reports.ComplianceRow{
		{Province: "Buenos Aires", Agency: "ANSES", Surname: "GONZÁLEZ", GivenNames: "María José", DNI: "20123456", CUIL: "27201234560", Points: 12},
		{Surname: "=HYPERLINK(\"http://x\")", GivenNames: "Ana; Luz", DNI: "20123458", Points: 0},
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\ufeff") || !strings.Contains(raw, "\r\n") {
		t.Fatalf("no BOM or CRLF: %q", raw)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff")))
	r.Comma = ';'
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		reports.ComplianceHeader,
		{"Buenos Aires", "ANSES", "GONZÁLEZ", "María José", "20123456", "27-20123456-0", "12", "48"},
		{"Sin provincia", "Sin organismo", "'=HYPERLINK(\"http://x\")", "Ana; Luz", "20123458", "", "0", "60"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	t.Run("ErrSeparator", func(t *testing.T) {
		if _, err := reports.NewComplianceWriter(&buf, 0, '"'); err == nil {
			t.Error("a quote as separator was accepted")
		}
	})
}

func TestComplianceTotalsCSV(t *testing.T) {
	c := complianceSample(0)
	var g, p bytes.Buffer
	if err := reports.ComplianceGroupsCSV(&g, c.Groups, ','); err != nil {
		t.Fatal(err)
	}
	if err := reports.CompliancePlacesCSV(&p, c.Places, 0); err != nil {
		t.Fatal(err)
	}
	if got := g.String(); !strings.Contains(got, "Sin provincia,Municipalidad,3,3,0\r\n") || !strings.Contains(got, "Buenos Aires,ANSES,10,4,400") {
		t.Errorf("groups csv %q", got)
	}
	if got := p.String(); !strings.Contains(got, "Córdoba;Villa María;2;30;60\r\n") {
		t.Errorf("places csv %q", got)
	}
}

func TestCompliancePDF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cumplimiento.pdf")
	writePDF := func(c reports.Compliance) {
		t.Helper()
		var buf bytes.Buffer
		if err := reports.CompliancePDF(&buf, c); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("Content", func(t *testing.T) {
		writePDF(complianceSample(120))
		text := pdfText(t, path, 0, 0)
		for _, want := range []string{"INFORME DE CUMPLIMIENTO DE PUNTOS", "Año 2026", "Emitido por el Registro central de puntos",
			"Todas las provincias", "Agentes en el padrón: 130. Con menos de 60 puntos: 120", "Total Buenos Aires 4 80 220",
			"Total general 6 110 280", "Sin provincia", "Córdoba — Ministerio de Salud", "ÑANCUCHEO 1, Rocío", "20.123.457",
			"27-20123456-0", "Página 1 de"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF lacks %q:\n%s", want, text[:min(len(text), 1500)])
			}
		}
		if n := pdfPages(t, path); n < 3 {
			t.Errorf("%d pages for 120 people, want the list to run over pages", n)
		}
	})
	t.Run("Capped", func(t *testing.T) {
		c := complianceSample(50)
		c.MaxRows, c.RowsTotal = 10, 4000
		writePDF(c)
		if text := pdfText(t, path, 0, 0); !strings.Contains(text, "Se listan 10 de 4000 personas") || strings.Contains(text, "ÑANCUCHEO 49") {
			t.Errorf("capped list:\n%s", text)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		writePDF(reports.Compliance{Year: 2025, Province: "Salta"})
		text := pdfText(t, path, 0, 0)
		for _, want := range []string{"Provincia: Salta", "No hubo sesiones registradas en 2025", "Todas las personas alcanzaron los 60 puntos"} {
			if !strings.Contains(text, want) {
				t.Errorf("empty report lacks %q:\n%s", want, text)
			}
		}
	})
}

// BenchmarkComplianceCSV writes 500,000 people under the requirement.
func BenchmarkComplianceCSV(b *testing.B) {
	row := reports.ComplianceRow{Province: "Buenos Aires", Agency: "Ministerio de Desarrollo Social", Surname: "FERNÁNDEZ",
		GivenNames: "María José", DNI: "20123456", CUIL: "27201234560", Points: 12}
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		w, err := reports.NewComplianceWriter(&buf, 60, 0)
		if err != nil {
			b.Fatal(err)
		}
		for range 500_000 {
			if err := w.Write(row); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
