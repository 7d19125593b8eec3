package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
)

// ExportRow is one attendance in a session's CSV export. Fields are written
// as given, except CUIL, which is written with dashes so spreadsheets keep it
// as text.
type ExportRow struct {
	Date          string // "2026-03-12"
	Start, End    string // "09:00"
	ActivityCode  string
	ActivityTitle string
	Municipality  string
	Province      string
	Venue         string
	Instructor    string
	Surname       string
	GivenNames    string
	DNI           string
	CUIL          string
	Agency        string
	Status        string // "presente", "tarde", "justificado", "ausente"
	Method        string // how it was recorded, as shown to users
	At            string // when it was recorded, "2026-03-12 09:05"
	WalkIn        bool   // added at the session, not on the roster
}

// AttendanceHeader is the header row of AttendanceCSV.
var AttendanceHeader = []string{"Fecha", "Inicio", "Fin", "Código de actividad", "Actividad",
	"Municipio", "Provincia", "Sede", "Instructor/a", "Apellido", "Nombres", "DNI", "CUIL",
	"Organismo", "Estado", "Registro", "Hora de registro", "Agregado en la sesión"}

// AttendanceCSV writes a session's attendance as CSV for Excel (see WriteCSV).
func AttendanceCSV(w io.Writer, rows []ExportRow, sep rune) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		walkIn := "no"
		if r.WalkIn {
			walkIn = "sí"
		}
		out[i] = []string{r.Date, r.Start, r.End, r.ActivityCode, r.ActivityTitle,
			r.Municipality, r.Province, r.Venue, r.Instructor, r.Surname, r.GivenNames, r.DNI,
			domain.FormatCUIL(r.CUIL), r.Agency, r.Status, r.Method, r.At, walkIn}
	}
	return WriteCSV(w, AttendanceHeader, out, sep)
}

// WriteCSV writes header and rows the way Excel on a Spanish Windows opens
// them with a double click: UTF-8 with a byte-order mark, sep as separator
// (';' when 0), CRLF line ends. Cells that a spreadsheet would take for a
// formula (starting with =, +, -, @, tab or CR) are prefixed with "'".
func WriteCSV(w io.Writer, header []string, rows [][]string, sep rune) error {
	if sep == 0 {
		sep = ';'
	}
	if sep == '"' || sep == '\r' || sep == '\n' || sep == '\'' {
		return fmt.Errorf("write csv: invalid separator %q", sep)
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.UseCRLF = true
	record := make([]string, 0, len(header))
	write := func(cells []string) error {
		record = record[:0]
		for _, c := range cells {
			record = append(record, Neutralize(c))
		}
		return cw.Write(record)
	}
	if header != nil {
		if err := write(header); err != nil {
			return fmt.Errorf("write csv header: %w", err)
		}
	}
	for i, r := range rows {
		if err := write(r); err != nil {
			return fmt.Errorf("write csv row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// Neutralize prefixes cell with "'" when a spreadsheet would read it as a
// formula (it starts with =, +, -, @, a tab or a carriage return).
func Neutralize(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
