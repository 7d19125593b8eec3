package csvin

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/puntos-ar/puntos/storage/domain"
)

// MaxUnzipped is the most an Excel workbook may hold once unzipped, in
// bytes: about 500,000 roster rows.
const MaxUnzipped = 50 << 20

// ErrUnzippedTooLarge is returned by the constructors for a workbook
// whose parts, unzipped, would exceed MaxUnzipped.
var ErrUnzippedTooLarge = fmt.Errorf("la planilla descomprimida ocupa más de %d MB: dividila en archivos más chicos o guardala como CSV", MaxUnzipped>>20)

// SheetError is returned by the constructors when the sheet asked for
// (Sheet) is not in the workbook, or when a sheet is asked of a text file.
type SheetError struct {
	Name   string   // the sheet asked for
	Sheets []string // the workbook's sheets; nil for a text file
}

// Error returns the Spanish message.
func (e *SheetError) Error() string {
	if e.Sheets == nil {
		return "El archivo es texto (CSV), no una planilla con hojas: importalo sin indicar una hoja."
	}
	return fmt.Sprintf("La planilla no tiene una hoja «%s»: sus hojas son %s.", e.Name, quoteSheets(e.Sheets))
}

// emptySheet is ErrEmpty for a sheet: it names the sheet and the others.
type emptySheet struct {
	name   string
	others []string
}

func (e *emptySheet) Error() string {
	msg := fmt.Sprintf("la hoja «%s» de la planilla está vacía", e.name)
	if len(e.others) > 0 {
		msg += fmt.Sprintf(": si el listado está en otra hoja (%s), indicá cuál o dejalo en la primera", quoteSheets(e.others))
	}
	return msg
}

func (e *emptySheet) Is(target error) bool { return target == ErrEmpty }

func quoteSheets(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "«" + n + "»"
	}
	return strings.Join(q, ", ")
}

// sheetRows reads the rows of one sheet of a workbook, in order, with
// their row numbers in the sheet.
type sheetRows struct {
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
		if f.UncompressedSize64 > MaxUnzipped {
			return 0, ErrUnzippedTooLarge
		}
		if total += f.UncompressedSize64; total > MaxUnzipped {
			return 0, ErrUnzippedTooLarge
		}
	}
	return int64(total), nil
}

// errDamaged is the reason for a workbook that cannot be read.
func errDamaged() *FormatError {
	return &FormatError{Format: formatXLSX, msg: "La planilla de Excel está dañada y no se puede leer: " +
		"abrila en Excel o LibreOffice y guardala de nuevo como .xlsx o CSV."}
}

// openSheet opens the sheet named name of the workbook raw (the first
// visible sheet when name is empty) after checking its unzipped size.
func openSheet(raw []byte, name string) (*sheetRows, error) {
	size, err := unzippedSize(raw)
	if errors.Is(err, ErrUnzippedTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, errDamaged()
	}
	// Every part stays in memory (no temporary files to clean up): the
	// size check above bounds them.
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxUnzipped})
	if err != nil {
		return nil, errDamaged()
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errDamaged()
	}
	sheet, ok := pickSheet(f, sheets, name)
	if !ok {
		f.Close()
		return nil, &SheetError{Name: name, Sheets: sheets}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, errDamaged()
	}
	s := &sheetRows{f: f, rows: rows, name: sheet, size: size}
	for _, n := range sheets {
		if n != sheet {
			s.others = append(s.others, n)
		}
	}
	if dim, err := f.GetSheetDimension(sheet); err == nil {
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

// next reads the next row of the sheet into t.rec and t.ends, as
// table.next does for text, and returns its row number; false at the end
// of the sheet or when reading fails (s.err).
func (s *sheetRows) next(t *table) (line int, ok bool) {
	if s.done {
		return 0, false
	}
	if !s.rows.Next() {
		s.finish(s.rows.Error())
		return 0, false
	}
	s.n++
	cells, err := s.rows.Columns()
	if err != nil {
		s.finish(err)
		return 0, false
	}
	t.rec = t.rec[:0]
	t.ends = t.ends[:0]
	for _, c := range cells {
		t.rec = append(t.rec, c...)
		t.ends = append(t.ends, len(t.rec))
	}
	return s.n, true
}

// finish ends reading, keeping err (nil at the end of the sheet) as a
// damaged workbook.
func (s *sheetRows) finish(err error) {
	s.done = true
	if err != nil {
		s.err = errDamaged()
	}
	s.rows.Close()
	s.f.Close()
}

// progress estimates how far reading has got, in bytes of the unzipped
// workbook.
func (s *sheetRows) progress() (done, total int64) {
	if s.done {
		return s.size, s.size
	}
	if s.est <= 0 {
		return 0, s.size
	}
	return min(int64(s.n)*s.size/int64(s.est), s.size), s.size
}
