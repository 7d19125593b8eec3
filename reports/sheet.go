package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/puntos-ar/puntos/storage/domain"
)

// SheetRow is one expected (or, after the session, recorded) person.
type SheetRow struct {
	FullName string
	DNI      string
	Agency   string // organismo
	Status   string // shown only when Sheet.After, e.g. "presente"
}

// Sheet is an attendance sheet (planilla de asistencia) for one session.
type Sheet struct {
	ActivityTitle string
	Date          string // human text, e.g. "12 de marzo de 2026"
	Time          string // e.g. "09:00 a 12:00"
	Place         string // e.g. "Tandil, Buenos Aires"
	Venue         string // sede
	Instructor    string
	Office        string // issuing office, printed small on top
	Rows          []SheetRow
	BlankRows     int       // empty numbered rows at the end, for walk-ins
	After         bool      // after the session: a Status column is shown (the signature column stays)
	GeneratedAt   time.Time // printed in the footer and used as the document date; zero means now
}

// Portrait page geometry, in mm.
const (
	portraitW   = 210.0
	portraitH   = 297.0
	sideMargin  = 12.0
	footerTop   = portraitH - 16
	contentW    = portraitW - 2*sideMargin
	sheetRowH   = 9.0
	sheetHeadH  = 7.0
	tableBorder = 0.2
)

var (
	rule    = rgb{150, 150, 150}
	shade   = rgb{228, 234, 243}
	nbAlias = "{nb}"
)

type column struct {
	title string
	w     float64
	align string // "L", "C" or "R"
}

// newPortrait starts an A4 portrait document with the sans family and a
// "Página X de Y" footer.
func newPortrait(generated time.Time) *textDoc {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(sideMargin, sideMargin, sideMargin)
	pdf.SetProducer("Puntos", false)
	pdf.AliasNbPages(nbAlias)
	addSans(pdf)
	if !generated.IsZero() {
		pdf.SetCreationDate(generated.In(argentina))
		pdf.SetModificationDate(generated.In(argentina))
	}
	d := &textDoc{pdf: pdf}
	pdf.SetFooterFunc(func() {
		pdf.SetDrawColor(rule.r, rule.g, rule.b)
		pdf.SetLineWidth(0.2)
		pdf.Line(sideMargin, footerTop+3, portraitW-sideMargin, footerTop+3)
		d.font(sans, "", 8)
		d.color(muted)
		if !generated.IsZero() {
			d.text(sideMargin, footerTop+7.5, "Generado el "+shortDateTime(generated)+" con Puntos")
		}
		// The total is filled in by gofpdf when the document is closed, so the
		// line is placed from a fixed point rather than right-aligned.
		d.text(portraitW-sideMargin-28, footerTop+7.5, "Página "+strconv.Itoa(pdf.PageNo())+" de "+nbAlias)
	})
	return d
}

// shortDateTime formats t as "12/03/2026 08:15" in Argentina's time.
func shortDateTime(t time.Time) string {
	return t.In(argentina).Format("02/01/2006 15:04")
}

// SheetPDF writes the attendance sheet: A4 portrait, the session's header on
// every page, a numbered table with a signature column, blank rows at the end
// and "Página X de Y" in the footer.
func SheetPDF(w io.Writer, s Sheet) error {
	d := newPortrait(s.GeneratedAt)
	pdf := d.pdf
	pdf.SetTitle("Planilla de asistencia", false)

	cols := []column{{"N°", 10, "R"}, {"Apellido y nombres", 64, "L"}, {"DNI", 22, "L"}, {"Organismo", 42, "L"}, {"Firma", 48, "L"}}
	if s.After {
		cols = []column{{"N°", 9, "R"}, {"Apellido y nombres", 56, "L"}, {"DNI", 21, "L"}, {"Organismo", 36, "L"}, {"Estado", 22, "L"}, {"Firma", 42, "L"}}
	}
	var tableTop float64
	pdf.SetHeaderFunc(func() {
		tableTop = sheetHeader(d, s)
		tableHeader(d, cols, tableTop)
	})

	total := len(s.Rows) + max(0, s.BlankRows)
	y := 0.0
	for i := range total {
		if i == 0 || y+sheetRowH > footerTop {
			pdf.AddPage()
			y = tableTop + sheetHeadH
		}
		var cells []string
		if i < len(s.Rows) {
			r := s.Rows[i]
			cells = []string{strconv.Itoa(i + 1), clean(r.FullName), domain.FormatDNI(r.DNI), clean(r.Agency)}
			if s.After {
				cells = append(cells, clean(r.Status))
			}
		} else {
			cells = []string{strconv.Itoa(i + 1)}
		}
		tableRow(d, cols, cells, y, sheetRowH)
		y += sheetRowH
	}
	if total == 0 {
		pdf.AddPage()
		y = tableTop + sheetHeadH
	}
	if s.After && len(s.Rows) > 0 {
		if y+8 > footerTop {
			pdf.AddPage()
			y = tableTop + sheetHeadH
		}
		d.font(sans, "", 9)
		d.color(ink)
		d.text(sideMargin, y+6, statusSummary(s.Rows))
		y += 8
	}
	if s.After {
		instructorSignature(d, s.Instructor, y, tableTop+sheetHeadH)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("sheet pdf: %w", err)
	}
	return nil
}

// signatureH is the room the instructor's signature takes under the table.
const signatureH = 26.0

// instructorSignature draws, from y, a line for the instructor to sign the
// closed session's sheet, with their name (or "Instructor/a") under it;
// on a new page (starting at top) when there is no room left.
func instructorSignature(d *textDoc, instructor string, y, top float64) {
	if y+signatureH > footerTop {
		d.pdf.AddPage()
		y = top
	}
	lineY := y + signatureH - 8
	x := portraitW - sideMargin - 80
	d.pdf.SetDrawColor(ink.r, ink.g, ink.b)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(x, lineY, x+80, lineY)
	d.font(sans, "", 9)
	d.color(ink)
	label := "Firma del instructor/a"
	if name := clean(instructor); name != "" {
		label += ": " + name
	}
	d.text(x, lineY+4.5, label)
}

// sheetHeader draws the session's header and returns where the table starts.
func sheetHeader(d *textDoc, s Sheet) float64 {
	y := officeLines(d, s.Office, sideMargin+3)
	d.color(navy)
	d.font(sans, "B", 15)
	title := "PLANILLA DE ASISTENCIA"
	d.text(sideMargin, y+3, title)
	d.font(sans, "", 9)
	d.color(muted)
	note := "Lista prevista"
	if s.After {
		note = "Asistencia registrada"
	}
	d.right(portraitW-sideMargin, y+3, note)
	y += 10
	if t := clean(s.ActivityTitle); t != "" {
		d.color(ink)
		size, lines := d.fit(t, sans, "B", contentW, fitStage{1, 12, 10}, fitStage{2, 11, 9}, fitStage{3, 9, 8})
		for _, l := range lines {
			d.text(sideMargin, y, l)
			y += lineHeight(size, 1.2)
		}
		y += 1
	}
	// Label–value pairs in two columns.
	pairs := [][2]string{{"Fecha", s.Date}, {"Horario", s.Time}, {"Lugar", s.Place}, {"Sede", s.Venue}, {"Instructor/a", s.Instructor}}
	var shown [][2]string
	for _, p := range pairs {
		if v := clean(p[1]); v != "" {
			shown = append(shown, [2]string{p[0], v})
		}
	}
	colW := contentW / 2
	for i := 0; i < len(shown); i += 2 {
		rowLines := 1
		for j := i; j < min(i+2, len(shown)); j++ {
			x := sideMargin + float64(j-i)*colW
			n := labelValue(d, x, y, colW-4, shown[j][0], shown[j][1])
			rowLines = max(rowLines, n)
		}
		y += float64(rowLines)*4.2 + 0.8
	}
	return y + 1.5
}

// officeLines draws the issuing office small, muted and in capitals, on up
// to two lines from y, and returns where what follows starts (y when there
// is no office).
func officeLines(d *textDoc, office string, y float64) float64 {
	o := clean(office)
	if o == "" {
		return y
	}
	d.color(muted)
	size, lines := d.fit(strings.ToUpper(o), sans, "", contentW, fitStage{1, 8, 6.5}, fitStage{2, 7, 6})
	for _, l := range lines {
		d.text(sideMargin, y, l)
		y += lineHeight(size, 1.2)
	}
	return y + 2.5
}

// yearTitle draws a yearly report's title at y and its year on the right.
func yearTitle(d *textDoc, y float64, title string, year int) {
	d.color(navy)
	d.font(sans, "B", 16)
	d.text(sideMargin, y+4, title)
	d.font(sans, "", 11)
	d.color(ink)
	d.right(portraitW-sideMargin, y+4, "Año "+strconv.Itoa(year))
}

// room returns y, or the top of a new page when less than need is left
// above the footer.
func room(d *textDoc, y, need float64) float64 {
	if y+need > footerTop {
		d.pdf.AddPage()
		return sideMargin + 4
	}
	return y
}

// labelValue draws "Label: value" at x, y wrapping the value within width and
// returns the number of lines used.
func labelValue(d *textDoc, x, y, width float64, label, value string) int {
	d.color(muted)
	d.font(sans, "B", 9)
	label += ": "
	d.text(x, y, label)
	lw := d.pdf.GetStringWidth(label)
	d.color(ink)
	d.font(sans, "", 9)
	lines := d.wrap(value, width-lw)
	for i, l := range lines {
		d.text(x+lw, y+float64(i)*4.2, l)
	}
	return max(1, len(lines))
}

// tableHeader draws the shaded header row of a table at y.
func tableHeader(d *textDoc, cols []column, y float64) {
	pdf := d.pdf
	pdf.SetFillColor(shade.r, shade.g, shade.b)
	pdf.SetDrawColor(rule.r, rule.g, rule.b)
	pdf.SetLineWidth(tableBorder)
	d.font(sans, "B", 8.5)
	d.color(navy)
	x := sideMargin
	for _, c := range cols {
		pdf.Rect(x, y, c.w, sheetHeadH, "FD")
		cellText(d, c, x, y, sheetHeadH, c.title)
		x += c.w
	}
}

func tableWidth(cols []column) float64 {
	w := 0.0
	for _, c := range cols {
		w += c.w
	}
	return w
}

// tableRow draws one bordered row of height h at y; missing cells are blank.
func tableRow(d *textDoc, cols []column, cells []string, y, h float64) {
	pdf := d.pdf
	pdf.SetDrawColor(rule.r, rule.g, rule.b)
	pdf.SetLineWidth(tableBorder)
	x := sideMargin
	d.color(ink)
	for i, c := range cols {
		pdf.Rect(x, y, c.w, h, "D")
		if i < len(cells) && cells[i] != "" {
			fitCell(d, c, x, y, h, cells[i])
		}
		x += c.w
	}
}

// cellText draws one line in a cell, vertically centred.
func cellText(d *textDoc, c column, x, y, h float64, s string) {
	baseline := y + h/2 + 1.1
	switch c.align {
	case "R":
		d.right(x+c.w-1.5, baseline, s)
	case "C":
		d.center(x+c.w/2, baseline, s)
	default:
		d.text(x+1.5, baseline, s)
	}
}

// fitCell draws s in a cell of height h: on one line if it fits at a readable
// size, else wrapped on as many lines as the row holds, smaller.
func fitCell(d *textDoc, c column, x, y, h float64, s string) {
	inner := c.w - 3
	maxLines := max(1, int((h-1)/2.6))
	size, lines := d.fit(s, sans, "", inner, fitStage{1, 9, 7.5}, fitStage{2, 8, 6}, fitStage{maxLines, 6.5, 5})
	if len(lines) == 1 {
		cellText(d, c, x, y, h, lines[0])
		return
	}
	lh := lineHeight(size, 1.1)
	top := y + h/2 - lh*float64(len(lines))/2 + lh*0.78
	for i, l := range lines {
		d.text(x+1.5, top+float64(i)*lh, l)
	}
}

// statusSummary counts the rows by status, in order of first appearance:
// "Presente: 10 · Tarde: 2 · Ausente: 3".
func statusSummary(rows []SheetRow) string {
	var order []string
	count := map[string]int{}
	for _, r := range rows {
		st := clean(r.Status)
		if st == "" {
			st = "sin registrar"
		}
		if count[st] == 0 {
			order = append(order, st)
		}
		count[st]++
	}
	parts := []string{"Total: " + strconv.Itoa(len(rows))}
	for _, st := range order {
		r := []rune(st)
		parts = append(parts, strings.ToUpper(string(r[0]))+string(r[1:])+": "+strconv.Itoa(count[st]))
	}
	return strings.Join(parts, " · ")
}
