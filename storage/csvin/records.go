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
	if t.data, t.encoding, err = decode(raw); err != nil {
		return nil, "", 0, err
	}
	t.line = 1
	c, n, named := sepLine(t.data)
	if named {
		t.comma, t.pos, t.line = c, n, 2
	}
	for {
		t.skipBlankLines()
		if t.pos >= len(t.data) {
			break
		}
		if !named {
			t.comma = detectComma(t.data[t.pos:])
		}
		line, ok, _ := t.next()
		if !ok {
			break
		}
		if t.blank() {
			continue
		}
		if !named && len(t.ends) > 1 {
			named = true // the separator is settled by the first row that has one
		}
		cells := make([]string, len(t.ends))
		for i := range cells {
			cells[i] = cleanText(t.field(i))
		}
		recs = append(recs, Record{Line: line, Cells: cells})
	}
	if len(recs) == 0 {
		return nil, t.encoding, rune(t.comma), ErrEmpty
	}
	return recs, t.encoding, rune(t.comma), nil
}
