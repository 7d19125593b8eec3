package reports

import (
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

// addSerif registers the serif family (regular, bold, italic) used by certificates.
func addSerif(pdf *gofpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(serif, "", liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes(serif, "B", liberationserifbold.TTF)
	pdf.AddUTF8FontFromBytes(serif, "I", liberationserifitalic.TTF)
}

// addSans registers the sans family (regular, bold) used by sheets and statements.
func addSans(pdf *gofpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(sans, "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes(sans, "B", liberationsansbold.TTF)
}
