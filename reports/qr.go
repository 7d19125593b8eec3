package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
	"rsc.io/qr"
)

// drawQR draws text as a QR code of side size mm with its top-left corner at
// x, y. Dark modules are vector rectangles, one per horizontal run, filled as
// one path so no hairline seams show between them. The caller leaves four
// modules of white around it (the quiet zone readers need).
func drawQR(pdf *gofpdf.Fpdf, x, y, size float64, text string) error {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return fmt.Errorf("encode qr: %w", err)
	}
	k := 72 / 25.4 // points per mm
	_, pageH := pdf.GetPageSize()
	m := size / float64(code.Size) * k
	x0, top := x*k, (pageH-y)*k
	var b strings.Builder
	b.Grow(code.Size * code.Size * 6)
	num := func(v float64) {
		b.WriteString(strconv.FormatFloat(v, 'f', 2, 64))
		b.WriteByte(' ')
	}
	for row := 0; row < code.Size; row++ {
		for col := 0; col < code.Size; {
			if !code.Black(col, row) {
				col++
				continue
			}
			start := col
			for col < code.Size && code.Black(col, row) {
				col++
			}
			num(x0 + float64(start)*m)
			num(top - float64(row+1)*m)
			num(float64(col-start) * m)
			num(m)
			b.WriteString("re\n")
		}
	}
	b.WriteString("f")
	pdf.RawWriteStr(b.String())
	return nil
}
