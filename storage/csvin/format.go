package csvin

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// FormatError is returned by the constructors for a file they cannot read
// as a table: a kind of file they recognise but do not read (an .ods or
// .xls spreadsheet, a ZIP, a PDF, a Word document), a damaged workbook,
// one that is not text, or one with more than MaxColumns columns. Its message says what the file is and how to get a CSV or an
// .xlsx from it.
type FormatError struct {
	// "ods", "xls", "xlsb", "office", "zip", "pdf", "binary", "xlsx" (a
	// damaged workbook) or "columns" (more than MaxColumns columns)
	Format string
	msg    string
}

// Error returns the Spanish message, one sentence.
func (e *FormatError) Error() string { return e.msg }

// Formats recognised by content, before any text is decoded.
const (
	formatText = ""
	formatXLSX = "xlsx"
)

// magic numbers of the formats recognised.
var (
	zipMagic      = []byte("PK\x03\x04")
	zipEmptyMagic = []byte("PK\x05\x06")
	oleMagic      = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, .doc, encrypted .xlsx
	pdfMagic      = []byte("%PDF-")
)

// sniff tells what raw is by its content, not its name: formatXLSX for an
// Excel workbook, formatText for anything that is to be read as text
// (decode then checks it is), or a *FormatError for a file of another kind.
func sniff(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, zipMagic) || bytes.HasPrefix(raw, zipEmptyMagic):
		return sniffZip(raw)
	case bytes.HasPrefix(raw, oleMagic):
		return "", &FormatError{Format: "xls", msg: "El archivo es una planilla de Excel 97-2003 (.xls) o una protegida con contraseña: " +
			"abrila en Excel o LibreOffice y guardala sin contraseña como «Libro de Excel (.xlsx)» o «CSV UTF-8»."}
	case bytes.HasPrefix(raw, pdfMagic):
		return "", &FormatError{Format: "pdf", msg: "El archivo es un PDF, que no se puede importar: pedí el listado como planilla de Excel (.xlsx) o CSV."}
	}
	return formatText, nil
}

// sniffZip tells a ZIP's kind by its parts: an Office Open XML package
// has [Content_Types].xml (a workbook has xl/workbook.xml), an
// OpenDocument one a "mimetype" part naming its kind.
func sniffZip(raw []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return "", &FormatError{Format: "zip", msg: "El archivo parece un ZIP o una planilla dañada y no se puede leer: " +
			"volvé a guardarlo desde Excel o LibreOffice como .xlsx o CSV."}
	}
	var types, workbook, binary bool
	mimetype := ""
	for _, f := range zr.File {
		switch name := strings.ToLower(f.Name); name {
		case "[content_types].xml":
			types = true
		case "xl/workbook.xml":
			workbook = true
		case "xl/workbook.bin":
			binary = true
		case "mimetype":
			if f.UncompressedSize64 <= 100 {
				mimetype = readSmall(f)
			}
		}
	}
	switch {
	case types && workbook:
		return formatXLSX, nil
	case types && binary:
		return "", &FormatError{Format: "xlsb", msg: "El archivo es un libro binario de Excel (.xlsb): abrilo en Excel y guardalo como «Libro de Excel (.xlsx)» o «CSV UTF-8»."}
	case strings.HasPrefix(mimetype, "application/vnd.oasis.opendocument.spreadsheet"):
		return "", &FormatError{Format: "ods", msg: "El archivo es una planilla de LibreOffice (.ods): abrila en LibreOffice y guardala con " +
			"«Archivo > Guardar como» eligiendo «Libro de Excel 2007-365 (.xlsx)» o «Texto CSV (.csv)»."}
	case types || strings.HasPrefix(mimetype, "application/vnd.oasis.opendocument"):
		return "", &FormatError{Format: "office", msg: "El archivo es un documento de texto o una presentación, no una planilla: " +
			"elegí el listado guardado como planilla de Excel (.xlsx) o CSV."}
	}
	return "", &FormatError{Format: "zip", msg: "El archivo es un ZIP: descomprimilo y elegí la planilla (.xlsx) o el CSV que tiene adentro."}
}

// readSmall returns the text of a small ZIP part, or "" when it cannot be read.
func readSmall(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, 100))
	return strings.TrimSpace(string(b))
}

// notText is the FormatError of a text file with a byte at offset that
// no text holds.
func notText(data []byte, offset int, what string) *FormatError {
	return notTextLine(1+bytes.Count(data[:offset], []byte{'\n'}), what)
}

// notTextLine is the FormatError of a file holding what on line line.
func notTextLine(line int, what string) *FormatError {
	return &FormatError{Format: "binary", msg: fmt.Sprintf("El archivo no es texto: tiene %s en la línea %d; "+
		"elegí el padrón o el catálogo guardado como CSV o como planilla de Excel (.xlsx), o volvé a exportarlo si se dañó.", what, line)}
}

// textBytes marks the bytes a text file may hold outside multi-byte
// characters: not NUL or the other control characters, but tab, CR and LF.
var textBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= ' ' && c != 0x7F || c == '\t' || c == '\r' || c == '\n'
	}
	return t
}()

// checkText returns a *FormatError when data (UTF-8) holds a control
// character other than tab, CR and LF, C1 controls (U+0080–U+009F)
// included: such a file is binary, or text decoded with the wrong
// encoding, and importing it would store garbage.
func checkText(data []byte) error {
	for i := 0; i < len(data); i++ {
		// Eight bytes at a time while none can be at fault: none below
		// 0x20, none 0x7F, none 0xC2 (the lead byte of U+0080–U+00BF).
		for i+8 <= len(data) && !suspect(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		if textBytes[c] {
			if c == 0xC2 && i+1 < len(data) && data[i+1] < 0xA0 && data[i+1] >= 0x80 {
				r, _ := utf8.DecodeRune(data[i:])
				return notText(data, i, fmt.Sprintf("un carácter de control (U+%04X)", r))
			}
			continue
		}
		if c == 0 {
			if utf16Like(data) {
				return &FormatError{Format: "binary", msg: "El archivo parece texto UTF-16 sin marca de orden de bytes (BOM): " +
					"abrilo en Excel y guardalo como «CSV UTF-8», o en el Bloc de notas como UTF-8."}
			}
			return notText(data, i, "bytes nulos")
		}
		return notText(data, i, fmt.Sprintf("un carácter de control (byte 0x%02X)", c))
	}
	return nil
}

// suspect reports whether a word of 8 bytes holds a byte below 0x20, 0x7F
// or 0xC2 (exactly: the tests for a zero byte have no false negatives and
// no false positives for "any").
func suspect(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (w - 0x20*ones) & ^w & highs
	del, c2 := w^(0x7F*ones), w^(0xC2*ones)
	return below|((del-ones)&^del&highs)|((c2-ones)&^c2&highs) != 0
}

// utf16Like reports whether data looks like UTF-16 without a BOM: text
// whose every other byte is NUL.
func utf16Like(data []byte) bool {
	n := min(len(data), 64) &^ 1
	if n < 8 {
		return false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	return even == n/2 && odd == 0 || odd == n/2 && even == 0
}
