package csvin

import (
	"errors"
	"io"
)

// ImportReport tells what an import of a CSV file or a workbook did: the
// stores fill it and both command lines and the app print it alike.
type ImportReport struct {
	Added     int            `json:"added"`
	Updated   int            `json:"updated"`
	Unchanged int            `json:"unchanged"`
	Skipped   int            `json:"skipped"` // repeated identical rows in the file
	Rejects   []RejectedLine `json:"rejected"`
}

// RejectedLine is a rejected row in a form fit for JSON and reports.
type RejectedLine struct {
	Line   int    `json:"line"` // the line of a text file, the row of a sheet
	Field  string `json:"field"`
	Reason string `json:"reason"`
	// Message is the whole sentence: "línea 12, DNI: …" ("fila 12, …" in a workbook).
	Message string `json:"message"`
	Sheet   string `json:"sheet,omitempty"` // the workbook's sheet; empty for a text file
}

// Reject lists a row the import passed over.
func (r *ImportReport) Reject(e *RowError) {
	r.Rejects = append(r.Rejects, RejectedLine{Line: e.Line, Field: e.Field, Reason: e.Err.Error(), Message: e.Error(), Sheet: e.Sheet})
}

// ImportRows runs the row loop of an import: next (a reader's
// NextActivity or NextPerson) returns each row until io.EOF, a *RowError
// for a row to reject (listed in rep), or another error, which ends the
// import; save stores a valid row and says whether it added it or changed
// a stored one (neither counts as unchanged).
func ImportRows[T any](rep *ImportReport, next func() (T, int, error), save func(T) (added, changed bool, err error)) error {
	for {
		row, _, err := next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if rowErr, ok := errors.AsType[*RowError](err); ok {
			rep.Reject(rowErr)
			continue
		}
		if err != nil {
			return err
		}
		switch added, changed, err := save(row); {
		case err != nil:
			return err
		case added:
			rep.Added++
		case changed:
			rep.Updated++
		default:
			rep.Unchanged++
		}
	}
}
