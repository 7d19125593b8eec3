package reports

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// StatementEntry is one activity in a person's statement.
type StatementEntry struct {
	Date          string // e.g. "12/03/2026"
	ActivityTitle string
	ActivityType  string
	Hours         float64
	Points        int    // points earned (0 when the activity did not earn any)
	Status        string // e.g. "presente", "aprobado", "ausente"
}

// Statement is a person's points in a calendar year (constancia de puntos).
type Statement struct {
	FullName    string
	DNI         string
	CUIL        string
	Agency      string
	Year        int
	Entries     []StatementEntry
	Required    int  // points required in the year; 0 means domain.RequiredPoints
	Provisional bool // computed on a device: the registry's ledger is the truth
	Issuer      string
	GeneratedAt time.Time // printed in the footer and used as the document date; zero means now
	// VerifyURL, on an official statement, is what its QR holds: the
	// registry's public address and the statement signed with the
	// registry's key (PublicURL + "/v/" + JWS). Empty: no QR.
	VerifyURL string
}

// statementQR is the side of an official statement's QR, in mm (as a
// signed certificate's).
const statementQR = signedQRSize

// ProvisionalNote is the mark printed on provisional statements.
const ProvisionalNote = "PROVISIONAL — el registro central de puntos es la fuente oficial"

// OfficialNote is printed on statements (una constancia) issued by the
// registry.
const OfficialNote = "Emitida por el Registro central de puntos"

// reportNote is printed on the registry's reports (un informe).
const reportNote = "Emitido por el Registro central de puntos"

var (
	alert      = rgb{176, 32, 32}
	alertShade = rgb{251, 234, 234}
	watermark  = rgb{250, 230, 230}
)

// StatementPDF writes a person's statement of points for a year: A4
// portrait, the activities with their points, the total against the points
// required, and a provisional mark unless it comes from the registry.
func StatementPDF(w io.Writer, s Statement) error {
	required := s.Required
	if required <= 0 {
		required = domain.RequiredPoints
	}
	d := newPortrait(s.GeneratedAt)
	pdf := d.pdf
	pdf.SetTitle("Constancia de puntos", false)
	cols := []column{{"Fecha", 21, "L"}, {"Actividad", 79, "L"}, {"Tipo", 20, "L"}, {"Horas", 14, "R"}, {"Estado", 32, "L"}, {"Puntos", 20, "R"}}

	pdf.SetHeaderFunc(func() {
		if s.Provisional {
			// A large faint word behind everything, so a copy cannot pass
			// for an official statement.
			pdf.TransformBegin()
			pdf.TransformRotate(35, portraitW/2, portraitH/2)
			d.font(sans, "B", 80)
			d.color(watermark)
			d.center(portraitW/2, portraitH/2+10, "PROVISIONAL")
			pdf.TransformEnd()
		}
	})
	pdf.AddPage()
	y := statementHeader(d, s)
	if s.VerifyURL != "" {
		pdf.SetFillColor(0, 0, 0)
		if err := drawQR(pdf, portraitW-sideMargin-statementQR, sideMargin, statementQR, s.VerifyURL); err != nil {
			return fmt.Errorf("statement pdf: %w", err)
		}
	}

	head := func() {
		tableHeader(d, cols, y)
		y += sheetHeadH
	}
	head()
	hours := 0.0
	points := 0
	for _, e := range s.Entries {
		hours += e.Hours
		points += e.Points
		cells := []string{clean(e.Date), clean(e.ActivityTitle), clean(e.ActivityType), formatNumber(e.Hours), clean(e.Status), strconv.Itoa(e.Points)}
		// The activity wraps; the row grows to hold it.
		d.font(sans, "", 8.5)
		lines := d.wrap(cells[1], cols[1].w-3)
		h := max(7, float64(len(lines))*3.8+3)
		if y+h > footerTop {
			pdf.AddPage()
			y = sideMargin + 4
			head()
		}
		statementRow(d, cols, cells, lines, y, h)
		y += h
	}
	if len(s.Entries) == 0 {
		d.font(sans, "", 9)
		d.color(muted)
		d.text(sideMargin+2, y+6, "Sin actividades registradas en "+strconv.Itoa(s.Year)+".")
		y += 9
	} else {
		// Totals row.
		pdf.SetFillColor(shade.r, shade.g, shade.b)
		pdf.SetDrawColor(rule.r, rule.g, rule.b)
		pdf.Rect(sideMargin, y, tableWidth(cols), 7, "FD")
		d.font(sans, "B", 9)
		d.color(ink)
		x := sideMargin
		for i, c := range cols {
			switch i {
			case 1:
				cellText(d, c, x, y, 7, "Total")
			case 3:
				cellText(d, c, x, y, 7, formatNumber(hours))
			case 5:
				cellText(d, c, x, y, 7, strconv.Itoa(points))
			}
			x += c.w
		}
		y += 7
	}
	y = room(d, y, 34)
	statementTotals(d, s.Year, points, required, y+8)
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("statement pdf: %w", err)
	}
	return nil
}

// statementHeader draws the title, the provisional or official mark and the
// person, and returns where the table starts.
func statementHeader(d *textDoc, s Statement) float64 {
	pdf := d.pdf
	y := officeLines(d, s.Issuer, sideMargin+3)
	yearTitle(d, y, "CONSTANCIA DE PUNTOS", s.Year)
	y += 10

	if s.Provisional {
		pdf.SetFillColor(alertShade.r, alertShade.g, alertShade.b)
		pdf.SetDrawColor(alert.r, alert.g, alert.b)
		pdf.SetLineWidth(0.5)
		pdf.Rect(sideMargin, y, contentW, 13, "FD")
		d.color(alert)
		d.fit(ProvisionalNote, sans, "B", contentW-6, fitStage{1, 10.5, 8})
		d.center(portraitW/2, y+5.5, ProvisionalNote)
		d.font(sans, "", 8)
		note := "Calculada en este equipo con los registros disponibles; puede cambiar cuando el registro central procese las asistencias."
		d.fit(note, sans, "", contentW-6, fitStage{1, 8, 6})
		d.center(portraitW/2, y+10, note)
		y += 19
	} else {
		d.color(navy)
		d.font(sans, "B", 9.5)
		d.text(sideMargin, y+2, OfficialNote)
		pdf.SetDrawColor(navy.r, navy.g, navy.b)
		pdf.SetLineWidth(0.4)
		end := portraitW - sideMargin
		if s.VerifyURL != "" {
			end -= statementQR + 3 // the QR's quiet zone stays white
		}
		pdf.Line(sideMargin, y+4.5, end, y+4.5)
		y += 10
	}

	// The person: name and agency on lines of their own, DNI and CUIL side by side.
	rows := [][][2]string{
		{{"Apellido y nombres", s.FullName}},
		{{"DNI", domain.FormatDNI(s.DNI)}, {"CUIL", domain.FormatCUIL(s.CUIL)}},
		{{"Organismo", s.Agency}},
	}
	for _, row := range rows {
		colW := contentW / float64(len(row))
		n := 0
		for j, p := range row {
			if v := clean(p[1]); v != "" {
				n = max(n, labelValue(d, sideMargin+float64(j)*colW, y, colW-4, p[0], v))
			}
		}
		if n > 0 {
			y += float64(n)*4.2 + 1.2
		}
	}
	return y + 2
}

// statementRow draws an entry; the activity column holds the wrapped lines.
func statementRow(d *textDoc, cols []column, cells, activity []string, y, h float64) {
	pdf := d.pdf
	pdf.SetDrawColor(rule.r, rule.g, rule.b)
	pdf.SetLineWidth(tableBorder)
	d.color(ink)
	x := sideMargin
	for i, c := range cols {
		pdf.Rect(x, y, c.w, h, "D")
		d.font(sans, "", 8.5)
		if i == 1 {
			for k, l := range activity {
				d.text(x+1.5, y+4.6+float64(k)*3.8, l)
			}
		} else if cells[i] != "" {
			// Short columns: shrink rather than overflow.
			d.fit(cells[i], sans, "", c.w-3, fitStage{1, 8.5, 6}, fitStage{2, 6.5, 5.5})
			cellText(d, c, x, y, min(h, 7), cells[i])
		}
		x += c.w
	}
}

// statementTotals draws the points against the requirement with a bar.
func statementTotals(d *textDoc, year, points, required int, y float64) {
	pdf := d.pdf
	d.color(ink)
	d.font(sans, "B", 12)
	d.text(sideMargin, y, fmt.Sprintf("Puntos obtenidos en %d: %d de %d requeridos", year, points, required))
	d.font(sans, "", 10)
	var status string
	if points >= required {
		status = "Requisito anual cumplido."
	} else {
		missing := required - points
		status = fmt.Sprintf("Faltan %s para completar el requisito anual.", pointsText(missing))
	}
	d.text(sideMargin, y+6, status)
	// Progress bar.
	barY, barW, barH := y+10, contentW, 4.0
	pdf.SetDrawColor(rule.r, rule.g, rule.b)
	pdf.SetLineWidth(0.2)
	pdf.SetFillColor(shade.r, shade.g, shade.b)
	pdf.Rect(sideMargin, barY, barW, barH, "FD")
	frac := min(1, float64(points)/float64(required))
	if frac > 0 {
		pdf.SetFillColor(navy.r, navy.g, navy.b)
		pdf.Rect(sideMargin, barY, barW*frac, barH, "F")
	}
}
