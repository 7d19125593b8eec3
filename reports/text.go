package reports

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/text/unicode/norm"

	"github.com/puntos-ar/puntos/storage/domain"
)

// argentina is the zone every printed date is shown in, so a reprint does
// not depend on the machine's zone or the time's Location.
var argentina = domain.Argentina

var months = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// longDate formats t as "14 de marzo de 2026" in Argentina's time.
func longDate(t time.Time) string {
	t = t.In(argentina)
	return strconv.Itoa(t.Day()) + " de " + months[t.Month()-1] + " de " + strconv.Itoa(t.Year())
}

// clean turns control characters and runs of white space into single spaces
// and normalises to NFC, so text from any source measures and prints alike.
func clean(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// formatNumber writes a non-negative decimal the Argentine way: "2,5", "12".
func formatNumber(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

func hoursText(h float64) string {
	if h == 1 {
		return "1 hora"
	}
	return formatNumber(h) + " horas"
}

func pointsText(p int) string {
	if p == 1 {
		return "1 punto"
	}
	return strconv.Itoa(p) + " puntos"
}

// textDoc wraps a gofpdf document with the text helpers the reports share.
// When runes is not nil every drawn string's runes are recorded in it with
// the style they are drawn in, so a page's font needs are known without
// parsing its content stream.
type textDoc struct {
	pdf   *gofpdf.Fpdf
	style string // the current font style, as set through font
	runes map[styledRune]struct{}
}

func (d *textDoc) record(s string) {
	if d.runes == nil {
		return
	}
	for _, r := range s {
		d.runes[styledRune{d.style, r}] = struct{}{}
	}
}

// text draws s with its baseline at y, starting at x.
func (d *textDoc) text(x, y float64, s string) {
	if s == "" {
		return
	}
	d.record(s)
	d.pdf.Text(x, y, s)
}

// center draws s centred on cx with its baseline at y.
func (d *textDoc) center(cx, y float64, s string) {
	d.text(cx-d.pdf.GetStringWidth(s)/2, y, s)
}

// right draws s ending at x with its baseline at y.
func (d *textDoc) right(x, y float64, s string) {
	d.text(x-d.pdf.GetStringWidth(s), y, s)
}

// font sets the family, style and size in points.
func (d *textDoc) font(family, style string, size float64) {
	d.style = style
	d.pdf.SetFont(family, style, size)
}

// lineHeight is the distance between baselines for size points, in mm.
func lineHeight(size, leading float64) float64 {
	return size * leading * 25.4 / 72
}

// wrap breaks s into lines no wider than width in the current font. Words
// wider than a line are broken between letters, so nothing is ever cut.
func (d *textDoc) wrap(s string, width float64) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return nil
	}
	var lines []string
	line := ""
	for _, w := range words {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if d.pdf.GetStringWidth(try) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		// w alone may still be too wide: split it letter by letter.
		for d.pdf.GetStringWidth(w) > width {
			rs := []rune(w)
			n := 1
			for n < len(rs) && d.pdf.GetStringWidth(string(rs[:n+1])) <= width {
				n++
			}
			lines = append(lines, string(rs[:n]))
			w = string(rs[n:])
		}
		line = w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitStage is one attempt at fitting text: at most lines lines, trying sizes
// from max down to min in half points.
type fitStage struct {
	lines    int
	max, min float64
}

// fit picks the largest size of the first stage that holds s within width
// and returns it with the wrapped lines. When no stage fits, the last stage's
// minimum size is used with as many lines as needed: text shrinks and wraps,
// it is never cut. The font is left set to the chosen size.
func (d *textDoc) fit(s string, family, style string, width float64, stages ...fitStage) (float64, []string) {
	for _, st := range stages {
		for size := st.max; size >= st.min-1e-9; size -= 0.5 {
			d.font(family, style, size)
			lines := d.wrap(s, width)
			if len(lines) <= st.lines {
				return size, lines
			}
		}
	}
	size := stages[len(stages)-1].min
	d.font(family, style, size)
	return size, d.wrap(s, width)
}
