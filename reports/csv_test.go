package reports_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/reports"
)

func TestAttendanceCSV(t *testing.T) {
	rows := []reports.ExportRow{
		{Date: "2026-03-12", Start: "09:00", End: "12:00", ActivityCode: "GP-01", ActivityTitle: "Gestión; proyectos",
			Municipality: "Tandil", Province: "Buenos Aires", Venue: "Centro \"Cultural\"", Instructor: "Rodríguez",
			Surname: "ÑANDÚ", GivenNames: "José", DNI: "8765432", CUIL: "20087654321", Agency: "=HYPERLINK(\"http://x\")",
			Status: "presente", Method: "escaneo", At: "2026-03-12 09:05"},
		{Date: "2026-03-12", Surname: "D'Alessandro", GivenNames: "+54 9 11", DNI: "12345678", Agency: "-1+2",
			Status: "tarde", Method: "@SUM(A1)", At: "\tx", Venue: "\rcr", WalkIn: true},
	}
	var buf bytes.Buffer
	if err := reports.AttendanceCSV(&buf, rows, 0); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()

	t.Run("BOM", func(t *testing.T) {
		if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
			t.Errorf("got prefix %q, want UTF-8 BOM", raw[:3])
		}
	})
	t.Run("CRLF", func(t *testing.T) {
		if got, want := bytes.Count(raw, []byte("\r\n")), 3; got < want {
			t.Errorf("CRLF count: got %d, want at least %d", got, want)
		}
		if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
			t.Error("bare LF line end")
		}
	})
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))))
	r.Comma = ';'
	got, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	t.Run("Header", func(t *testing.T) {
		if !slices.Equal(got[0], reports.AttendanceHeader) {
			t.Errorf("got %q, want %q", got[0], reports.AttendanceHeader)
		}
		if !strings.HasPrefix(string(raw[3:]), "Fecha;Inicio;Fin;") {
			t.Errorf("separator: got %q", raw[3:20])
		}
	})
	t.Run("Values", func(t *testing.T) {
		want := []string{"2026-03-12", "09:00", "12:00", "GP-01", "Gestión; proyectos", "Tandil", "Buenos Aires",
			"Centro \"Cultural\"", "Rodríguez", "ÑANDÚ", "José", "8765432", "20-08765432-1",
			"'=HYPERLINK(\"http://x\")", "presente", "escaneo", "2026-03-12 09:05", "no"}
		if !slices.Equal(got[1], want) {
			t.Errorf("got %q, want %q", got[1], want)
		}
	})
	t.Run("Neutralised", func(t *testing.T) {
		row := got[2]
		for _, want := range []string{"'+54 9 11", "'-1+2", "'@SUM(A1)", "'\tx", "D'Alessandro", "sí"} {
			if !slices.Contains(row, want) {
				t.Errorf("%q not in %q", want, row)
			}
		}
		// With CRLF line ends encoding/csv drops a lone CR inside a cell; the
		// cell must still start with the quote mark.
		if !slices.Contains(row, "'cr") {
			t.Errorf("cell starting with CR not neutralised: %q", row)
		}
	})
	t.Run("Comma", func(t *testing.T) {
		var buf bytes.Buffer
		if err := reports.WriteCSV(&buf, []string{"a", "b"}, [][]string{{"1,5", "x"}}, ','); err != nil {
			t.Fatal(err)
		}
		if got, want := buf.String(), "\ufeffa,b\r\n\"1,5\",x\r\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("BadSeparator", func(t *testing.T) {
		if err := reports.WriteCSV(&bytes.Buffer{}, nil, nil, '"'); err == nil {
			t.Error("got nil error for a quote separator")
		}
	})
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{"": "", "=1": "'=1", "+1": "'+1", "-1": "'-1", "@a": "'@a", "\t": "'\t", "\r": "'\r", "a=1": "a=1", "José": "José"} {
		if got := reports.Neutralize(in); got != want {
			t.Errorf("Neutralize(%q): got %q, want %q", in, got, want)
		}
	}
}
