package csvin

import (
	"fmt"
	"strings"
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

// Workbook reads Excel workbooks for the readers (the Workbooks option);
// storage/csvin/xlsx has the one that Puntos uses. It is passed in rather
// than imported here, so that the stores do not link what a workbook
// library links (net/http among it).
type Workbook interface {
	// Open opens the sheet called name of the workbook raw (the first
	// visible sheet when name is empty). It returns ErrUnzippedTooLarge,
	// ErrDamagedWorkbook or a *SheetError.
	Open(raw []byte, name string) (SheetRows, error)
}

// SheetRows is one sheet of a workbook, read row by row.
type SheetRows interface {
	// Name returns the sheet's name, and Others the workbook's other
	// sheets, for messages.
	Name() string
	Others() []string
	// Next returns the cells of the next row and its row number in the
	// sheet, or false at the end of the sheet or when reading failed.
	Next() (cells []string, row int, ok bool)
	// Err returns what ended reading early (ErrDamagedWorkbook), or nil.
	Err() error
	// Left estimates how many rows are left; Progress how far reading has
	// got, in bytes of the unzipped workbook.
	Left() int
	Progress() (done, total int64)
}

// Workbooks lets the readers read Excel workbooks with w; without it a
// workbook is refused with a sentence asking for CSV.
func Workbooks(w Workbook) Option { return func(o *options) { o.workbook = w } }

// ErrDamagedWorkbook is the reason for a workbook that cannot be read.
var ErrDamagedWorkbook = &FormatError{Format: formatXLSX, msg: "La planilla de Excel está dañada y no se puede leer: " +
	"abrila en Excel o LibreOffice y guardala de nuevo como .xlsx o CSV."}

// errNoWorkbooks is the reason for a workbook given to a reader that was
// not given a Workbook.
var errNoWorkbooks = &FormatError{Format: formatXLSX, msg: "El archivo es una planilla de Excel y este programa no lee planillas: " +
	"guardala como «CSV UTF-8» e importá ese archivo."}
