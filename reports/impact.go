package reports

import (
	"fmt"
	"image/color"
	"io"
	"strconv"

	"github.com/jung-kurt/gofpdf"

	"github.com/puntos-ar/puntos/reports/atlas"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
)

// ImpactPlacesHeader is the header row of ImpactPlacesCSV.
var ImpactPlacesHeader = []string{"Provincia", "Municipio", "Sesiones", "Asistencias", "Latitud", "Longitud"}

// ImpactPlacesCSV writes the municipalities reached as CSV for Excel (see
// WriteCSV), most attendances first; a place not on the official list has
// no coordinates.
func ImpactPlacesCSV(w io.Writer, im wire.Impact, sep rune) error {
	rows := make([][]string, len(im.Municipalities))
	for i, p := range im.Municipalities {
		lat, lon := "", ""
		if p.Located {
			lat, lon = strconv.FormatFloat(p.Lat, 'f', 4, 64), strconv.FormatFloat(p.Lon, 'f', 4, 64)
		}
		rows[i] = []string{p.Province, p.Municipality, strconv.Itoa(p.Sessions), strconv.Itoa(p.Attendances), lat, lon}
	}
	return WriteCSV(w, ImpactPlacesHeader, rows, sep)
}

// ImpactMap is the map of im: the municipalities reached that are on the
// official list, by attendances.
func ImpactMap(im wire.Impact) atlas.Map {
	var m atlas.Map
	for _, p := range im.Municipalities {
		if p.Located {
			m.Reached = append(m.Reached, atlas.Reached{Point: geo.Point{Lat: p.Lat, Lon: p.Lon}, Attendees: p.Attendances})
		}
	}
	return m
}

// pdfSurface draws the map's dots as filled vector circles.
type pdfSurface struct{ pdf *gofpdf.Fpdf }

func (s pdfSurface) Dot(x, y, r float64, c color.RGBA) {
	s.pdf.SetFillColor(int(c.R), int(c.G), int(c.B))
	s.pdf.Circle(x, y, r, "F")
}

// Impact PDF geometry.
const (
	impactMapH   = 150.0
	impactBarH   = 30.0
	impactMaxRow = 40 // municipalities listed; the CSV has them all
)

// ImpactPDF writes the impact view of a year: A4 portrait, the totals
// against the previous year, the map (vectors), the trend by month, the
// survey distributions, the provinces reached and the municipalities with
// most attendances.
func ImpactPDF(w io.Writer, im wire.Impact) error {
	d := newPortrait(im.GeneratedAt)
	pdf := d.pdf
	pdf.SetTitle(fmt.Sprintf("Impacto de la capacitación %d", im.Year), false)
	pdf.AddPage()
	y := sideMargin + 3
	yearTitle(d, y, "IMPACTO DE LA CAPACITACIÓN", im.Year)
	y += 10
	d.color(navy)
	d.font(sans, "B", 9.5)
	d.text(sideMargin, y+2, scopeText(im.Province))
	y += 6
	d.color(ink)
	d.font(sans, "", 9.5)
	for _, line := range ImpactLines(im) {
		d.text(sideMargin, y+4, line)
		y += 5
	}
	y += 2
	// The map on the left, the months and the survey on the right.
	mapW := impactMapH * atlas.Aspect()
	ImpactMap(im).Draw(pdfSurface{pdf}, sideMargin, y, mapW, impactMapH, 0.45)
	d.color(muted)
	d.font(sans, "", 7)
	d.text(sideMargin, y+impactMapH+3, "Cada punto es un municipio (georef-ar); en color, los alcanzados, más oscuro con más asistencias.")
	x := sideMargin + mapW + 8
	right := portraitW - sideMargin - x
	yr := impactBars(d, x, y, right, "Asistencias por mes", monthBars(im))
	if im.Survey.Value != nil {
		yr = impactBars(d, x, yr+4, right, fmt.Sprintf("Valor de la clase (%d respuestas)", im.Survey.Responses), surveyBars(im.Survey.Value))
		impactBars(d, x, yr+4, right, "Probabilidad de usar lo aprendido", surveyBars(im.Survey.Use))
	} else {
		d.color(muted)
		d.font(sans, "", 8)
		d.text(x, yr+8, fmt.Sprintf("Encuestas: %d respuestas; se muestran desde %d.", im.Survey.Responses, domain.SurveyMinResponses))
	}
	y += impactMapH + 8
	y = complianceSection(d, y, "Provincias alcanzadas")
	provCols := []column{{"Provincia", 110, "L"}, {"Sesiones", 36, "R"}, {"Asistencias", 40, "R"}}
	tableHeader(d, provCols, y)
	y += sheetHeadH
	for _, p := range im.Provinces {
		y = complianceRowAt(d, provCols, y, []string{clean(p.Province), strconv.Itoa(p.Sessions), strconv.Itoa(p.Attendances)}, false)
	}
	y = complianceSection(d, y+4, "Municipios con más asistencias")
	muniCols := []column{{"Provincia", 60, "L"}, {"Municipio", 70, "L"}, {"Sesiones", 26, "R"}, {"Asistencias", 30, "R"}}
	tableHeader(d, muniCols, y)
	y += sheetHeadH
	for i, p := range im.Municipalities {
		if i == impactMaxRow {
			y = complianceNote(d, y+2, fmt.Sprintf("Se listan %d de %d municipios; el CSV los tiene todos.", impactMaxRow, len(im.Municipalities)))
			break
		}
		y = complianceRowAt(d, muniCols, y, []string{clean(p.Province), clean(p.Municipality), strconv.Itoa(p.Sessions), strconv.Itoa(p.Attendances)}, false)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("impact pdf: %w", err)
	}
	return nil
}

// ImpactLines are the year's totals as sentences, for the PDF and the
// command line.
func ImpactLines(im wire.Impact) []string {
	pct := func(v float64) string { return formatNumber(float64(int(v*1000+0.5))/10) + " %" }
	delta := func(c *float64) string {
		if c == nil {
			return ""
		}
		sign := "+"
		if *c < 0 {
			sign = "−"
		}
		return fmt.Sprintf(" (%s%s respecto de %d)", sign, pct(max(*c, -*c)), im.Year-1)
	}
	return []string{
		fmt.Sprintf("Personas capacitadas: %d%s.", im.People, delta(im.Change.People)),
		fmt.Sprintf("Sesiones: %d%s.", im.Sessions, delta(im.Change.Sessions)),
		fmt.Sprintf("Horas-persona: %s%s.", formatNumber(float64(int(im.Hours*10+0.5))/10), delta(im.Change.Hours)),
		fmt.Sprintf("Puntos otorgados: %d%s.", im.Points, delta(im.Change.Points)),
		fmt.Sprintf("Asistencias: %d; en línea (virtual o híbrida) %s, presenciales %s.", im.Attendances, pct(im.OnlineShare), pct(im.InPersonShare)),
		fmt.Sprintf("Alcance: %d provincias y %d municipios.", im.ProvincesReached, im.MunicipalitiesReached),
	}
}

type bar struct {
	label string
	n     int
}

var monthInitials = [...]string{"E", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"}

func monthBars(im wire.Impact) []bar {
	out := make([]bar, len(im.Months))
	for i, m := range im.Months {
		out[i] = bar{monthInitials[i%12], m.Attendances}
	}
	return out
}

func surveyBars(dist map[string]int) []bar {
	out := make([]bar, domain.SurveyScale)
	for i := range out {
		k := strconv.Itoa(i + 1)
		out[i] = bar{k, dist[k]}
	}
	return out
}

// impactBars draws a titled bar chart of width w from (x, y) and returns
// where it ends.
func impactBars(d *textDoc, x, y, w float64, title string, bars []bar) float64 {
	pdf := d.pdf
	d.color(navy)
	d.font(sans, "B", 8.5)
	d.text(x, y+4, title)
	y += 6
	most := 1
	for _, b := range bars {
		most = max(most, b.n)
	}
	step := w / float64(len(bars))
	pdf.SetFillColor(celeste.r, celeste.g, celeste.b)
	d.font(sans, "", 6.5)
	d.color(muted)
	for i, b := range bars {
		h := impactBarH * float64(b.n) / float64(most)
		bx := x + float64(i)*step
		if h > 0 {
			pdf.Rect(bx+step*0.15, y+impactBarH-h, step*0.7, h, "F")
		}
		d.center(bx+step/2, y+impactBarH+3, b.label)
	}
	return y + impactBarH + 4
}
