package csvin

import "io"

// Record is one non-blank row of a decoded file, its cells cleaned of
// surrounding spaces.
type Record struct {
	Line  int // physical line where the row starts; 1 is the first line
	Cells []string
}

// Records decodes a whole file the way the roster and catalog readers do
// (UTF-8 with or without a BOM, UTF-16 with a BOM, Windows-1252; a "sep="
// line; Excel's quoting) and returns its non-blank rows, for files whose
// layout is recognised by their content rather than a fixed header (a
// meeting platform's participants report). The separator is the one the
// first row holding a ';', tab or ',' uses, so title rows without a
// separator above the table do not decide it. It returns ErrTooLarge past
// MaxFileSize and ErrEmpty for a file without a non-blank row.
func Records(r io.Reader) (recs []Record, encoding string, comma rune, err error) {
	var t table
	raw, err := readAll(r)
	if err != nil {
		return nil, "", 0, err
	}
	if format, err := sniff(raw); err != nil {
		return nil, "", 0, err
	} else if format == formatXLSX {
		return nil, "", 0, &FormatError{Format: "xlsx", msg: "El archivo es una planilla de Excel: descargá el informe como CSV o, desde la planilla, guardalo como «CSV UTF-8»."}
	}
	named, err := t.openText(raw)
	if err != nil {
		return nil, "", 0, err
	}
	for {
		line, ok := t.row(named)
		if !ok {
			break
		}
		// The separator is settled by the first row that has one.
		named = named || len(t.ends) > 1
		recs = append(recs, Record{Line: line, Cells: t.cells()})
	}
	if len(recs) == 0 {
		return nil, t.encoding, rune(t.comma), ErrEmpty
	}
	return recs, t.encoding, rune(t.comma), nil
}
