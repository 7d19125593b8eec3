// Package xlsx reads the sheets of Excel workbooks (.xlsx) for the roster
// and catalog readers of package csvin, with excelize: it is given to them
// as a csvin.Workbook, so that the stores do not link it.
package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

// sheet reads the rows of one sheet of a workbook, in order, with
// their row numbers in the sheet.
type sheet struct {
	f      *excelize.File
	rows   *excelize.Rows
	name   string
	others []string // the workbook's other sheets, for messages
	n      int      // row number of the last row read
	est    int      // rows the sheet declares (its dimension); 0 when unknown
	size   int64    // the workbook's unzipped size, the unit of progress
	done   bool
	err    error // what ended reading early
}

// unzippedSize returns the sum of the sizes the ZIP's directory declares
// for its parts, checked before anything is unzipped. Reading a part
// fails as soon as it gives more than it declared (archive/zip checks),
// so a ZIP bomb cannot get past this limit by lying.
func unzippedSize(raw []byte) (int64, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return 0, err
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > csvin.MaxUnzipped {
			return 0, csvin.ErrUnzippedTooLarge
		}
		if total += f.UncompressedSize64; total > csvin.MaxUnzipped {
			return 0, csvin.ErrUnzippedTooLarge
		}
	}
	return int64(total), nil
}

// Reader reads workbooks with excelize; see csvin.Workbook.
type Reader struct{}

// Open opens the sheet named name of the workbook raw (the first visible
// sheet when name is empty) after checking its unzipped size.
func (Reader) Open(raw []byte, name string) (csvin.SheetRows, error) {
	size, err := unzippedSize(raw)
	if errors.Is(err, csvin.ErrUnzippedTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, csvin.ErrDamagedWorkbook
	}
	// Every part stays in memory (no temporary files to clean up): the
	// size check above bounds them.
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: csvin.MaxUnzipped, UnzipXMLSizeLimit: csvin.MaxUnzipped})
	if err != nil {
		return nil, csvin.ErrDamagedWorkbook
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, csvin.ErrDamagedWorkbook
	}
	chosen, ok := pickSheet(f, sheets, name)
	if !ok {
		f.Close()
		return nil, &csvin.SheetError{Name: name, Sheets: sheets}
	}
	rows, err := f.Rows(chosen)
	if err != nil {
		f.Close()
		return nil, csvin.ErrDamagedWorkbook
	}
	s := &sheet{f: f, rows: rows, name: chosen, size: size}
	for _, n := range sheets {
		if n != chosen {
			s.others = append(s.others, n)
		}
	}
	if dim, err := f.GetSheetDimension(chosen); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			_, s.est, _ = excelize.CellNameToCoordinates(last)
		}
	}
	return s, nil
}

// pickSheet finds the sheet name names (exactly, else ignoring case and
// accents), or the first visible sheet when name is empty (the first
// sheet when all are hidden). sheets is not empty.
func pickSheet(f *excelize.File, sheets []string, name string) (string, bool) {
	if name == "" {
		for _, s := range sheets {
			if visible, err := f.GetSheetVisible(s); err == nil && visible {
				return s, true
			}
		}
		return sheets[0], true
	}
	for _, s := range sheets {
		if s == name {
			return s, true
		}
	}
	for _, s := range sheets {
		if domain.Fold(strings.TrimSpace(s)) == domain.Fold(strings.TrimSpace(name)) {
			return s, true
		}
	}
	return "", false
}

// Next returns the cells of the next row and its row number; false at
// the end of the sheet or when reading fails (Err).
func (s *sheet) Next() (cells []string, row int, ok bool) {
	if s.done {
		return nil, 0, false
	}
	if !s.rows.Next() {
		s.finish(s.rows.Error())
		return nil, 0, false
	}
	s.n++
	cells, err := s.rows.Columns()
	if err != nil {
		s.finish(err)
		return nil, 0, false
	}
	return cells, s.n, true
}

// Name returns the sheet's name.
func (s *sheet) Name() string { return s.name }

// Others returns the workbook's other sheets.
func (s *sheet) Others() []string { return s.others }

// Err returns what ended reading early, or nil.
func (s *sheet) Err() error { return s.err }

// Left estimates how many rows are left to read.
func (s *sheet) Left() int { return max(s.est-s.n, 0) }

// finish ends reading, keeping err (nil at the end of the sheet) as a
// damaged workbook.
func (s *sheet) finish(err error) {
	s.done = true
	if err != nil {
		s.err = csvin.ErrDamagedWorkbook
	}
	s.rows.Close()
	s.f.Close()
}

// Progress estimates how far reading has got, in bytes of the unzipped
// workbook.
func (s *sheet) Progress() (done, total int64) {
	if s.done {
		return s.size, s.size
	}
	if s.est <= 0 {
		return 0, s.size
	}
	return min(int64(s.n)*s.size/int64(s.est), s.size), s.size
}
