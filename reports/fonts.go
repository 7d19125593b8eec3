package reports

import (
	"bytes"

	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/jung-kurt/gofpdf"
)

// Font families registered in every document. Liberation is metric-compatible
// with Times New Roman and Arial and covers Latin, Greek and Cyrillic, so every
// name in the roster prints with its own letters.
const (
	serif = "serif"
	sans  = "sans"
)

// ttf returns a private copy of a font for one document. gofpdf pads table
// slices of the bytes it is given with append, which writes into the shared
// array past each table; with a copy, documents built at the same time (the
// per-person files, or a sheet printed while certificates are issued) do
// not race. The copy costs about 0.1 ms.
func ttf(b []byte) []byte { return bytes.Clone(b) }

// addSerif registers the serif family (regular, bold, italic) used by certificates.
func addSerif(pdf *gofpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(serif, "", ttf(liberationserifregular.TTF))
	pdf.AddUTF8FontFromBytes(serif, "B", ttf(liberationserifbold.TTF))
	pdf.AddUTF8FontFromBytes(serif, "I", ttf(liberationserifitalic.TTF))
}

// addSans registers the sans family (regular, bold) used by sheets and statements.
func addSans(pdf *gofpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(sans, "", ttf(liberationsansregular.TTF))
	pdf.AddUTF8FontFromBytes(sans, "B", ttf(liberationsansbold.TTF))
}
