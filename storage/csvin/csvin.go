// Package csvin decodes roster and catalog files as offices really
// produce them, CSV or Excel workbooks (.xlsx), refuses what is neither
// with a sentence saying what the file is, and counts what importing
// their rows did (ImportReport).
package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// MaxFileSize is the largest file a reader accepts, in bytes.
const MaxFileSize = 512 << 20

// ErrEmpty is returned by the constructors when the file has no header row.
var ErrEmpty = errors.New("el archivo está vacío")

// ErrTooLarge is returned by the constructors when the file exceeds MaxFileSize.
var ErrTooLarge = fmt.Errorf("el archivo supera el máximo de %d MiB", MaxFileSize>>20)

// MaxColumns is the most columns a row may have: a header row with more
// refuses the file, a data row with more is rejected.
const MaxColumns = 200

// Option changes how the constructors read a file.
type Option func(*options)

type options struct {
	sheet    string
	workbook Workbook
}

// Sheet names the sheet of an Excel workbook to read; without it, or with
// an empty name, the first visible sheet is read. Naming a sheet of a
// text file is a *SheetError.
func Sheet(name string) Option { return func(o *options) { o.sheet = name } }

// RowError is a rejected row: the reader skips it and goes on.
type RowError struct {
	Line  int    // physical line of the file (row of the sheet) where the row starts; 1 is the first
	Field string // column as named in the file's header, or empty when the whole row is at fault
	Err   error
	Sheet string // the sheet of a workbook the row is on; empty for a text file
}

// Error returns the Spanish message shown to the user, e.g. "línea 12, DNI:
// Completá el DNI." ("fila 12, …" in a workbook).
func (e *RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s: %v", where(e.Sheet, e.Line), e.Err)
	}
	return fmt.Sprintf("%s, %s: %v", where(e.Sheet, e.Line), e.Field, e.Err)
}

// where names a line of a text file, or a row of a sheet.
func where(sheet string, line int) string {
	if sheet != "" {
		return fmt.Sprintf("fila %d", line)
	}
	return fmt.Sprintf("línea %d", line)
}

// Unwrap returns the underlying reason.
func (e *RowError) Unwrap() error { return e.Err }

// HeaderError is returned by the constructors when the header row lacks a required column.
type HeaderError struct {
	Line    int      // physical line of the header row (row of the sheet)
	Missing []string // required columns not found, by their Spanish name
	Found   []string // the header cells as written in the file
	Sheet   string   // the sheet of a workbook; empty for a text file
	known   bool     // some cell named a known column
	others  []string // the workbook's other sheets
}

// Error returns the Spanish message shown to the user. When no cell of the
// row names a known column, the row is most likely data, not a header, and
// its cells are left out of the message: they may be personal data.
func (e *HeaderError) Error() string {
	word := "falta la columna"
	if len(e.Missing) > 1 {
		word = "faltan las columnas"
	}
	msg := fmt.Sprintf("%s: %s %s.", where(e.Sheet, e.Line), word, strings.Join(e.Missing, ", "))
	if e.Sheet != "" {
		msg = fmt.Sprintf("hoja «%s», %s", e.Sheet, msg)
	}
	if !e.known {
		msg += " La primera fila debe tener los nombres de las columnas."
	} else {
		found := make([]string, 0, len(e.Found))
		for _, f := range e.Found {
			if f == "" {
				continue
			}
			if r := []rune(f); len(r) > 40 {
				f = string(r[:40]) + "…"
			}
			found = append(found, fmt.Sprintf("%q", f))
		}
		msg += " Columnas encontradas: " + strings.Join(found, ", ") + "."
	}
	if len(e.others) > 0 {
		msg += fmt.Sprintf(" Si el listado está en otra hoja (%s), indicá cuál o dejalo en la primera.", quoteSheets(e.others))
	}
	return msg
}

// table is the part shared by both readers: the decoded file and a record
// scanner, or the sheet of a workbook.
type table struct {
	data     []byte // whole file, UTF-8, BOM removed
	pos      int    // next byte to scan
	line     int    // physical line number at pos
	comma    byte
	encoding string
	sheet    SheetRows // the sheet read instead of data, for a workbook

	rec  []byte // fields of the current record, back to back
	ends []int  // end offset in rec of each field
}

// Encoding names the character encoding detected: "UTF-8", "UTF-16",
// "Windows-1252", or "UTF-8 y Windows-1252" when lines of both were found;
// "XLSX" for a workbook.
func (t *table) Encoding() string { return t.encoding }

// Comma returns the field separator detected: ';', ',' or '\t'; 0 for a workbook.
func (t *table) Comma() rune { return rune(t.comma) }

// Progress reports how many bytes of the decoded file have been read, and
// its size; for a workbook, an estimate in bytes of the unzipped workbook.
func (t *table) Progress() (done, total int64) {
	if t.sheet != nil {
		return t.sheet.Progress()
	}
	return int64(t.pos), int64(len(t.data))
}

// rowsLeft estimates how many rows are left to read.
func (t *table) rowsLeft() int {
	if t.sheet != nil {
		return t.sheet.Left()
	}
	return bytes.Count(t.data[t.pos:], []byte{'\n'}) + 1
}

// rowErr is a rejected row of this table.
func (t *table) rowErr(line int, field string, err error) *RowError {
	return &RowError{Line: line, Field: field, Err: err, Sheet: t.sheetName()}
}

// columnsError is the reason for a row with more than MaxColumns cells.
func (t *table) columnsError() error {
	return fmt.Errorf("la fila tiene %d columnas y el máximo es %d: borrá las columnas que sobran", len(t.ends), MaxColumns)
}

// nextRow moves to the next record that is not blank and returns its
// line; at the end it returns io.EOF, or the error that cut a workbook
// short. problem is why the whole row is to be rejected (a quote that
// never closes, too many cells), or nil.
func (t *table) nextRow() (line int, problem, err error) {
	for {
		line, ok, unterminated := t.next()
		if !ok {
			if t.sheet != nil && t.sheet.Err() != nil {
				return 0, nil, t.sheet.Err()
			}
			return 0, nil, io.EOF
		}
		switch {
		case t.blank():
			continue
		case unterminated:
			return line, errUnterminated, nil
		case len(t.ends) > MaxColumns:
			return line, t.columnsError(), nil
		}
		return line, nil, nil
	}
}

// headerRows is how many rows the constructors try as the header, for the
// title rows ("Nómina de agentes 2026") offices put above it.
const headerRows = 10

// open reads r and tells what it is by its content: an Excel workbook is
// read from the sheet opts name (Sheet), a file of another kind is a
// *FormatError, anything else is decoded as text. Then open finds the
// header, in a workbook as in a text file: the first of the first
// headerRows non-blank rows that match accepts. match returns the layout
// of a row, or why it is not a header. When no row matches, open returns
// the reason for the first row that named a known column, else for the
// first row.
func (t *table) open(r io.Reader, opts []Option, match func(head []string, line int) (*layout, *HeaderError)) (*layout, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	raw, err := readAll(r)
	if err != nil {
		return nil, err
	}
	format, err := sniff(raw)
	if err != nil {
		return nil, err
	}
	t.line = 1
	named := false
	if format == formatXLSX {
		if o.workbook == nil {
			return nil, errNoWorkbooks
		}
		if t.sheet, err = o.workbook.Open(raw, o.sheet); err != nil {
			return nil, err
		}
		t.encoding = "XLSX"
	} else {
		if o.sheet != "" {
			return nil, &SheetError{Name: o.sheet}
		}
		if named, err = t.openText(raw); err != nil {
			return nil, err
		}
	}
	var first *HeaderError
	// A title row may have no separator at all: unless named, row looks
	// again at each row.
	for tries := 0; tries < headerRows; tries++ {
		line, ok := t.row(named)
		if !ok {
			break
		}
		if len(t.ends) > MaxColumns {
			return nil, &FormatError{Format: "columns", msg: fmt.Sprintf("El archivo tiene %d columnas en la %s y el máximo es %d: borrá las columnas que sobran.",
				len(t.ends), where(t.sheetName(), line), MaxColumns)}
		}
		l, herr := match(t.cells(), line)
		if herr == nil {
			return l, nil
		}
		if t.sheet != nil {
			herr.Sheet, herr.others = t.sheet.Name(), t.sheet.Others()
		}
		if first == nil || !first.known && herr.known {
			first = herr
		}
	}
	switch {
	case first != nil:
		return nil, first
	case t.sheet != nil && t.sheet.Err() != nil:
		return nil, t.sheet.Err()
	case t.sheet != nil:
		return nil, &emptySheet{name: t.sheet.Name(), others: t.sheet.Others()}
	}
	return nil, ErrEmpty
}

// openText decodes raw into t as text and reads a first "sep=;" line,
// Excel's own way to name the separator; named tells whether there was one.
func (t *table) openText(raw []byte) (named bool, err error) {
	if t.data, t.encoding, err = decode(raw); err != nil {
		return false, err
	}
	t.line = 1
	var n int
	if t.comma, n, named = sepLine(t.data); named {
		t.pos, t.line = n, 2
	}
	return named, nil
}

// row scans the next non-blank row into t and returns its line, or false
// at the end. In a text file the separator is detected on the row itself
// unless named.
func (t *table) row(named bool) (line int, ok bool) {
	for {
		if t.sheet == nil {
			t.skipBlankLines()
			if t.pos >= len(t.data) {
				return 0, false
			}
			if !named {
				t.comma = detectComma(t.data[t.pos:])
			}
		}
		if line, ok, _ = t.next(); !ok || !t.blank() {
			return line, ok
		}
	}
}

// cells returns the fields of the row scanned last, cleaned.
func (t *table) cells() []string {
	c := make([]string, len(t.ends))
	for i := range c {
		c[i] = cleanText(t.field(i))
	}
	return c
}

// sheetName returns the name of the sheet read, or "" for a text file.
func (t *table) sheetName() string {
	if t.sheet != nil {
		return t.sheet.Name()
	}
	return ""
}

// readAll reads r to the end, in one allocation when r tells its size (a
// file, a bytes or strings reader). It returns ErrTooLarge past MaxFileSize.
func readAll(r io.Reader) ([]byte, error) {
	size := int64(-1)
	switch r := r.(type) {
	case interface{ Len() int }:
		size = int64(r.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := r.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	if size > MaxFileSize {
		return nil, ErrTooLarge
	}
	var raw []byte
	if size >= 0 {
		// One more byte so that a file still growing is noticed, not cut.
		raw = make([]byte, 0, size+1)
	}
	for {
		if len(raw) == cap(raw) {
			raw = append(raw, 0)[:len(raw)]
		}
		n, err := r.Read(raw[len(raw):cap(raw)])
		raw = raw[:len(raw)+n]
		if len(raw) > MaxFileSize {
			return nil, ErrTooLarge
		}
		if err == io.EOF {
			return raw, nil
		}
		if err != nil {
			return nil, fmt.Errorf("leer el archivo: %w", err)
		}
	}
}

// decode returns data as UTF-8 without a BOM. A UTF-16 BOM means UTF-16
// (Excel's "Texto Unicode"); valid UTF-8, with or without a BOM, means UTF-8;
// otherwise each line that is not valid UTF-8 is read as Windows-1252, which
// is what Excel on Spanish Windows writes. Going line by line keeps a file
// right when rows in one encoding were pasted below rows in the other; a
// Windows-1252 line is practically never valid UTF-8 by accident.
//
// The text must be text: a control character other than tab, CR and LF
// (NUL included), or a byte Windows-1252 leaves undefined, gives a
// *FormatError instead of garbage. A Ctrl-Z at the end, the end-of-file
// mark of old DOS programs, is dropped.
func decode(raw []byte) ([]byte, string, error) {
	data, enc, err := decodeText(raw)
	if err != nil {
		return nil, "", err
	}
	data = bytes.TrimRight(data, "\x1a")
	if err := checkText(data); err != nil {
		return nil, "", err
	}
	return data, enc, nil
}

// decodeText converts raw to UTF-8 as decode says.
func decodeText(raw []byte) ([]byte, string, error) {
	if bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		data, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return nil, "", fmt.Errorf("decodificar UTF-16: %w", err)
		}
		return data, "UTF-16", nil
	}
	raw = bytes.TrimPrefix(raw, []byte{0xEF, 0xBB, 0xBF})
	if utf8.Valid(raw) {
		return raw, "UTF-8", nil
	}
	data, mixed, err := fromWindows1252(raw)
	switch {
	case err != nil:
		return nil, "", err
	case mixed:
		return data, "UTF-8 y Windows-1252", nil
	}
	return data, "Windows-1252", nil
}

// cp1252 maps Windows-1252 bytes to runes.
var cp1252 = func() (t [256]rune) {
	for i := range t {
		t[i] = charmap.Windows1252.DecodeByte(byte(i))
	}
	return t
}()

// fromWindows1252 converts the lines of raw that are not valid UTF-8 from
// Windows-1252. mixed reports whether other lines held UTF-8 beyond ASCII.
// A byte Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) is
// not text: it gives a *FormatError.
func fromWindows1252(raw []byte) (data []byte, mixed bool, err error) {
	data = make([]byte, 0, len(raw)+len(raw)/8)
	lines := 0
	for len(raw) > 0 {
		lines++
		n := bytes.IndexByte(raw, '\n') + 1
		if n == 0 {
			n = len(raw)
		}
		line := raw[:n]
		raw = raw[n:]
		if utf8.Valid(line) {
			if !mixed && !isASCII(line) {
				mixed = true
			}
			data = append(data, line...)
			continue
		}
		for _, c := range line {
			switch {
			case c < utf8.RuneSelf:
				data = append(data, c)
			case cp1252[c] == utf8.RuneError:
				return nil, false, notTextLine(lines, fmt.Sprintf("un byte (0x%02X) que no es un carácter ni en UTF-8 ni en Windows-1252", c))
			default:
				data = utf8.AppendRune(data, cp1252[c])
			}
		}
	}
	return data, mixed, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sepLine recognizes a first line "sep=X" and returns X and the offset after the line.
func sepLine(data []byte) (byte, int, bool) {
	if len(data) < 5 || !bytes.EqualFold(data[:4], []byte("sep=")) {
		return 0, 0, false
	}
	c := data[4]
	if c != ';' && c != ',' && c != '\t' && c != '|' {
		return 0, 0, false
	}
	n := 5
	for n < len(data) && (data[n] == ' ' || data[n] == '"') {
		n++
	}
	switch {
	case n == len(data):
	case data[n] == '\n':
		n++
	case data[n] == '\r':
		n++
		if n < len(data) && data[n] == '\n' {
			n++
		}
	default:
		return 0, 0, false
	}
	return c, n, true
}

// detectComma picks the separator that occurs most in the first record,
// outside quotes; ties go to ';', then tab, then ','.
func detectComma(data []byte) byte {
	var semi, tab, comma int
	quoted := false
scan:
	for _, c := range data {
		switch c {
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				semi++
			}
		case '\t':
			if !quoted {
				tab++
			}
		case ',':
			if !quoted {
				comma++
			}
		case '\n', '\r':
			if !quoted {
				break scan
			}
		}
	}
	switch {
	case semi >= tab && semi >= comma && semi > 0:
		return ';'
	case tab >= comma && tab > 0:
		return '\t'
	case comma > 0:
		return ','
	}
	return ';'
}

// skipBlankLines moves past empty lines.
func (t *table) skipBlankLines() {
	for t.pos < len(t.data) {
		switch t.data[t.pos] {
		case '\n':
			t.pos++
			t.line++
		case '\r':
			t.pos++
			if t.pos < len(t.data) && t.data[t.pos] == '\n' {
				t.pos++
			}
			t.line++
		default:
			return
		}
	}
}

// next scans one record into t.rec and t.ends. It returns the physical line
// where the record starts, false at the end of the data, and whether a quoted
// field ran to the end of the file without its closing quote.
//
// Quoting follows Excel, leniently: a field that starts with a quote runs to
// the next lone quote, "" inside it is one quote, text after the closing quote
// is kept; a quote inside an unquoted field is a plain character. CRLF, LF and
// a lone CR all end a line.
func (t *table) next() (line int, ok, unterminated bool) {
	if t.sheet != nil {
		var cells []string
		cells, line, ok = t.sheet.Next()
		t.rec = t.rec[:0]
		t.ends = t.ends[:0]
		for _, c := range cells {
			t.rec = append(t.rec, c...)
			t.ends = append(t.ends, len(t.rec))
		}
		return line, ok, false
	}
	t.skipBlankLines()
	if t.pos >= len(t.data) {
		return 0, false, false
	}
	line = t.line
	t.rec = t.rec[:0]
	t.ends = t.ends[:0]
	data, i, comma := t.data, t.pos, t.comma
	for {
		// Start of a field: leading spaces before an opening quote are dropped.
		j := i
		for j < len(data) && data[j] == ' ' {
			j++
		}
		if j < len(data) && data[j] == '"' {
			i = j + 1
			for {
				k := bytes.IndexByte(data[i:], '"')
				if k < 0 {
					t.appendCounting(data[i:])
					i = len(data)
					unterminated = true
					break
				}
				t.appendCounting(data[i : i+k])
				i += k + 1
				if i < len(data) && data[i] == '"' {
					t.rec = append(t.rec, '"')
					i++
					continue
				}
				break
			}
		}
		// Unquoted text, or what follows a closing quote.
		start := i
		for i < len(data) {
			c := data[i]
			if c == comma || c == '\n' || c == '\r' {
				break
			}
			i++
		}
		t.rec = append(t.rec, data[start:i]...)
		t.ends = append(t.ends, len(t.rec))
		if i >= len(data) {
			t.pos = i
			return line, true, unterminated
		}
		switch data[i] {
		case comma:
			i++
		case '\r':
			i++
			if i < len(data) && data[i] == '\n' {
				i++
			}
			t.pos = i
			t.line++
			return line, true, false
		case '\n':
			t.pos = i + 1
			t.line++
			return line, true, false
		}
	}
}

// appendCounting appends quoted text to the record, counting the line breaks in it.
func (t *table) appendCounting(b []byte) {
	t.rec = append(t.rec, b...)
	for {
		k := bytes.IndexAny(b, "\r\n")
		if k < 0 {
			return
		}
		t.line++
		if b[k] == '\r' && k+1 < len(b) && b[k+1] == '\n' {
			k++
		}
		b = b[k+1:]
	}
}

// field returns the raw bytes of field i of the current record, or nil if the
// record is shorter.
func (t *table) field(i int) []byte {
	if i < 0 || i >= len(t.ends) {
		return nil
	}
	start := 0
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.rec[start:t.ends[i]]
}

// blank reports whether every field of the current record is empty or spaces,
// as in the ";;;;" rows Excel writes for formatted empty rows.
func (t *table) blank() bool {
	for _, c := range t.rec {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// Message returns the sentence to show a person for an error of the
// constructors about the file as a whole (ErrEmpty, ErrTooLarge,
// ErrUnzippedTooLarge, a *FormatError, *SheetError or *HeaderError), and
// whether err is one; their texts are Spanish.
func Message(err error) (string, bool) {
	var msg string
	if e, ok := errors.AsType[*FormatError](err); ok {
		msg = e.Error()
	} else if e, ok := errors.AsType[*SheetError](err); ok {
		msg = e.Error()
	} else if e, ok := errors.AsType[*HeaderError](err); ok {
		msg = e.Error()
	} else if e, ok := errors.AsType[*emptySheet](err); ok {
		msg = e.Error()
	} else {
		for _, s := range []error{ErrEmpty, ErrTooLarge, ErrUnzippedTooLarge} {
			if errors.Is(err, s) {
				msg = s.Error()
			}
		}
	}
	if msg == "" {
		return "", false
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = strings.ToUpper(string(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg, true
}
