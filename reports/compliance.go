package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// ComplianceRow is a person under the points required in a year.
type ComplianceRow struct {
	Province   string // "" when not known
	Agency     string
	Surname    string
	GivenNames string
	DNI        string
	CUIL       string
	Points     int
}

// ComplianceGroup is the people of a province and agency.
type ComplianceGroup struct {
	Province string
	Agency   string
	People   int
	Under    int // with fewer than the required points
	Points   int
}

// CompliancePlace is a municipality's activity in the year.
type CompliancePlace struct {
	Province     string
	Municipality string
	Sessions     int
	Attendees    int
	Points       int
}

// Compliance is a year's compliance report as printed.
type Compliance struct {
	Year     int
	Required int    // 0 means domain.RequiredPoints
	Province string // the report's filter; "" for every province
	People   int
	Under    int
	Groups   []ComplianceGroup
	Places   []CompliancePlace
	// Rows are the people under the required points, by province, agency
	// and name. The PDF lists at most MaxRows of them (DefaultMaxRows
	// when 0) and says how many more the CSV holds; RowsTotal is how many
	// there are in all (len(Rows) when 0).
	Rows        []ComplianceRow
	RowsTotal   int
	MaxRows     int
	Issuer      string
	GeneratedAt time.Time // printed in the footer; zero means now
}

// DefaultMaxRows is how many people a compliance PDF lists at most
// (about 300 pages); the CSV always has them all.
const DefaultMaxRows = 12000

// NoProvince labels people and groups without a known province.
const NoProvince = "Sin provincia"

// NoAgency labels people without an agency.
const NoAgency = "Sin organismo"

func orLabel(s, label string) string {
	if s = clean(s); s == "" {
		return label
	}
	return s
}

func (c Compliance) required() int {
	if c.Required <= 0 {
		return domain.RequiredPoints
	}
	return c.Required
}

// ComplianceHeader is the header row of ComplianceWriter.
var ComplianceHeader = []string{"Provincia", "Organismo", "Apellido", "Nombres", "DNI", "CUIL", "Puntos", "Faltan"}

// ComplianceWriter writes the people under the required points as CSV
// for Excel, one row at a time (the list of a whole country need not sit
// in memory). It follows WriteCSV's rules: UTF-8 with a byte-order mark,
// the separator given (';' when 0), CRLF, formulas neutralised, CUIL with
// dashes so it stays text.
type ComplianceWriter struct {
	cw       *csv.Writer
	required int
	record   []string
	err      error
}

// NewComplianceWriter starts a CSV on w for a year that requires
// required points (domain.RequiredPoints when 0) and writes its header.
func NewComplianceWriter(w io.Writer, required int, sep rune) (*ComplianceWriter, error) {
	cw, err := startCSV(w, sep)
	if err != nil {
		return nil, err
	}
	if required <= 0 {
		required = domain.RequiredPoints
	}
	c := &ComplianceWriter{cw: cw, required: required}
	c.write(ComplianceHeader)
	return c, c.err
}

// startCSV writes the byte-order mark and returns a csv.Writer set up as
// WriteCSV's.
func startCSV(w io.Writer, sep rune) (*csv.Writer, error) {
	if sep == 0 {
		sep = ';'
	}
	if sep == '"' || sep == '\r' || sep == '\n' || sep == '\'' {
		return nil, fmt.Errorf("write csv: invalid separator %q", sep)
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.UseCRLF = true
	return cw, nil
}

func (c *ComplianceWriter) write(cells []string) {
	if c.err != nil {
		return
	}
	c.record = c.record[:0]
	for _, s := range cells {
		c.record = append(c.record, Neutralize(s))
	}
	if err := c.cw.Write(c.record); err != nil {
		c.err = fmt.Errorf("write compliance csv: %w", err)
	}
}

// Write adds a person.
func (c *ComplianceWriter) Write(r ComplianceRow) error {
	c.write([]string{orLabel(r.Province, NoProvince), orLabel(r.Agency, NoAgency), r.Surname, r.GivenNames, r.DNI,
		domain.FormatCUIL(r.CUIL), strconv.Itoa(r.Points), strconv.Itoa(max(0, c.required-r.Points))})
	return c.err
}

// Close flushes the CSV; the underlying writer stays open.
func (c *ComplianceWriter) Close() error {
	if c.err != nil {
		return c.err
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("write compliance csv: %w", err)
	}
	return nil
}

// ComplianceGroupsHeader is the header row of ComplianceGroupsCSV.
var ComplianceGroupsHeader = []string{"Provincia", "Organismo", "Agentes", "Por debajo del mínimo", "Puntos"}

// ComplianceGroupsCSV writes the totals by province and agency as CSV
// for Excel (see WriteCSV).
func ComplianceGroupsCSV(w io.Writer, groups []ComplianceGroup, sep rune) error {
	rows := make([][]string, len(groups))
	for i, g := range groups {
		rows[i] = []string{orLabel(g.Province, NoProvince), orLabel(g.Agency, NoAgency), strconv.Itoa(g.People), strconv.Itoa(g.Under), strconv.Itoa(g.Points)}
	}
	return WriteCSV(w, ComplianceGroupsHeader, rows, sep)
}

// CompliancePlacesHeader is the header row of CompliancePlacesCSV.
var CompliancePlacesHeader = []string{"Provincia", "Municipio", "Sesiones", "Asistentes", "Puntos otorgados"}

// CompliancePlacesCSV writes the totals by province and municipality as
// CSV for Excel (see WriteCSV).
func CompliancePlacesCSV(w io.Writer, places []CompliancePlace, sep rune) error {
	rows := make([][]string, len(places))
	for i, p := range places {
		rows[i] = []string{orLabel(p.Province, NoProvince), p.Municipality, strconv.Itoa(p.Sessions), strconv.Itoa(p.Attendees), strconv.Itoa(p.Points)}
	}
	return WriteCSV(w, CompliancePlacesHeader, rows, sep)
}

// Compliance PDF geometry.
const complianceRowH = 5.6

// CompliancePDF writes the year's compliance report: A4 portrait, the
// totals, the sessions, attendees and points by province and
// municipality (with province subtotals), and the people under the
// required points grouped by province and agency.
func CompliancePDF(w io.Writer, c Compliance) error {
	d := newPortrait(c.GeneratedAt)
	pdf := d.pdf
	pdf.SetTitle(fmt.Sprintf("Informe de cumplimiento %d", c.Year), false)
	required := c.required()
	pdf.AddPage()
	y := complianceHeader(d, c)
	y = compliancePlacesTable(d, y, c)
	complianceUnder(d, y+6, c, required)
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("compliance pdf: %w", err)
	}
	return nil
}

// compliancePlacesTable draws the sessions, attendees and points by
// province and municipality, with province subtotals and a total, from y;
// it returns where it ended.
func compliancePlacesTable(d *textDoc, y float64, c Compliance) float64 {
	placeCols := []column{{"Provincia", 52, "L"}, {"Municipio", 62, "L"}, {"Sesiones", 22, "R"}, {"Asistentes", 24, "R"}, {"Puntos", 26, "R"}}
	y = complianceSection(d, y, "Actividad por provincia y municipio")
	if len(c.Places) == 0 {
		y = complianceNote(d, y, "No hubo sesiones registradas en "+strconv.Itoa(c.Year)+".")
	} else {
		tableHeader(d, placeCols, y)
		y += sheetHeadH
		var sub CompliancePlace
		var tot CompliancePlace
		flush := func() {
			y = complianceRowAt(d, placeCols, y, []string{"Total " + orLabel(sub.Province, NoProvince), "", strconv.Itoa(sub.Sessions),
				strconv.Itoa(sub.Attendees), strconv.Itoa(sub.Points)}, true)
		}
		for i, p := range c.Places {
			if i > 0 && p.Province != c.Places[i-1].Province {
				flush()
				sub = CompliancePlace{}
			}
			sub.Province = p.Province
			sub.Sessions, sub.Attendees, sub.Points = sub.Sessions+p.Sessions, sub.Attendees+p.Attendees, sub.Points+p.Points
			tot.Sessions, tot.Attendees, tot.Points = tot.Sessions+p.Sessions, tot.Attendees+p.Attendees, tot.Points+p.Points
			y = complianceRowAt(d, placeCols, y, []string{orLabel(p.Province, NoProvince), clean(p.Municipality), strconv.Itoa(p.Sessions),
				strconv.Itoa(p.Attendees), strconv.Itoa(p.Points)}, false)
		}
		flush()
		y = complianceRowAt(d, placeCols, y, []string{"Total general", "", strconv.Itoa(tot.Sessions), strconv.Itoa(tot.Attendees),
			strconv.Itoa(tot.Points)}, true)
	}
	return y
}

// complianceUnder draws, from y, the people under the required points:
// counts by province and agency, then the people (up to c.MaxRows) grouped
// by province and agency.
func complianceUnder(d *textDoc, y float64, c Compliance, required int) {
	pdf := d.pdf
	y = complianceSection(d, y, fmt.Sprintf("Agentes con menos de %d puntos, por provincia y organismo", required))
	groupCols := []column{{"Provincia", 56, "L"}, {"Organismo", 74, "L"}, {"Agentes", 18, "R"}, {"Debajo", 18, "R"}, {"%", 20, "R"}}
	if len(c.Groups) > 0 {
		tableHeader(d, groupCols, y)
		y += sheetHeadH
		for _, g := range c.Groups {
			pct := "—"
			if g.People > 0 {
				pct = formatNumber(float64(g.Under*1000/g.People)/10) + " %"
			}
			y = complianceRowAt(d, groupCols, y, []string{orLabel(g.Province, NoProvince), orLabel(g.Agency, NoAgency), strconv.Itoa(g.People),
				strconv.Itoa(g.Under), pct}, false)
		}
		y += 4
	}
	maxRows := c.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	total := c.RowsTotal
	if total == 0 {
		total = len(c.Rows)
	}
	personCols := []column{{"Apellido y nombres", 90, "L"}, {"DNI", 24, "L"}, {"CUIL", 30, "L"}, {"Puntos", 20, "R"}, {"Faltan", 22, "R"}}
	if total == 0 {
		y = complianceNote(d, y, fmt.Sprintf("Todas las personas alcanzaron los %d puntos.", required))
	}
	shown := c.Rows[:min(len(c.Rows), maxRows)]
	for i, r := range shown {
		if i == 0 || r.Province != shown[i-1].Province || r.Agency != shown[i-1].Agency {
			if y+sheetHeadH+complianceRowH*3 > footerTop {
				pdf.AddPage()
				y = sideMargin + 4
			}
			d.font(sans, "B", 9.5)
			d.color(navy)
			d.fit(orLabel(r.Province, NoProvince)+" — "+orLabel(r.Agency, NoAgency), sans, "B", contentW, fitStage{1, 9.5, 7})
			d.text(sideMargin, y+5, orLabel(r.Province, NoProvince)+" — "+orLabel(r.Agency, NoAgency))
			y += 7
			tableHeader(d, personCols, y)
			y += sheetHeadH
		}
		name := clean(r.Surname)
		if g := clean(r.GivenNames); g != "" {
			name += ", " + g
		}
		y = complianceRowAt(d, personCols, y, []string{name, domain.FormatDNI(r.DNI), domain.FormatCUIL(r.CUIL), strconv.Itoa(r.Points),
			strconv.Itoa(max(0, required-r.Points))}, false)
	}
	if rest := total - len(shown); rest > 0 {
		y = complianceNote(d, y+3, fmt.Sprintf("Se listan %d de %d personas. La lista completa está en el CSV del informe.", len(shown), total))
	}
}

// complianceHeader draws the title and the year's totals and returns where
// the body starts.
func complianceHeader(d *textDoc, c Compliance) float64 {
	pdf := d.pdf
	y := sideMargin + 3
	if is := clean(c.Issuer); is != "" {
		d.color(muted)
		d.font(sans, "", 8)
		d.fit(is, sans, "", contentW, fitStage{1, 8, 6})
		d.text(sideMargin, y, is)
		y += 5
	}
	yearTitle(d, y, "INFORME DE CUMPLIMIENTO DE PUNTOS", c.Year)
	y += 10
	d.color(navy)
	d.font(sans, "B", 9.5)
	d.text(sideMargin, y+2, reportNote+" · "+scopeText(c.Province))
	pdf.SetDrawColor(navy.r, navy.g, navy.b)
	pdf.SetLineWidth(0.4)
	pdf.Line(sideMargin, y+4.5, portraitW-sideMargin, y+4.5)
	y += 11
	d.color(ink)
	d.font(sans, "", 10)
	pct := ""
	if c.People > 0 {
		pct = " (" + formatNumber(float64(c.Under*1000/c.People)/10) + " %)"
	}
	d.text(sideMargin, y, fmt.Sprintf("Agentes en el padrón: %d. Con menos de %d puntos: %d%s.", c.People, c.required(), c.Under, pct))
	return y + 5
}

// scopeText names a yearly report's province filter ("" for every
// province).
func scopeText(province string) string {
	if province == "" {
		return "Todas las provincias"
	}
	return "Provincia: " + clean(province)
}

// complianceSection draws a section title and returns where its content
// starts, on a new page when little room is left.
func complianceSection(d *textDoc, y float64, title string) float64 {
	y = room(d, y, 30)
	d.color(navy)
	d.font(sans, "B", 11.5)
	d.text(sideMargin, y+6, title)
	return y + 9
}

// complianceNote draws a line of muted text.
func complianceNote(d *textDoc, y float64, s string) float64 {
	y = room(d, y, 8)
	d.color(muted)
	d.font(sans, "", 9)
	d.fit(s, sans, "", contentW, fitStage{1, 9, 7})
	d.text(sideMargin, y+5, s)
	return y + 8
}

// complianceRowAt draws one row at y (bold and shaded for a total), on a
// new page under the table's header again when the page is full, and
// returns the y after it. Cells shrink to fit on one line.
func complianceRowAt(d *textDoc, cols []column, y float64, cells []string, total bool) float64 {
	pdf := d.pdf
	if y+complianceRowH > footerTop {
		pdf.AddPage()
		y = sideMargin + 4
		tableHeader(d, cols, y)
		y += sheetHeadH
	}
	pdf.SetDrawColor(rule.r, rule.g, rule.b)
	pdf.SetLineWidth(tableBorder)
	style := ""
	if total {
		style = "B"
		pdf.SetFillColor(shade.r, shade.g, shade.b)
	}
	d.color(ink)
	x := sideMargin
	for i, c := range cols {
		if total {
			pdf.Rect(x, y, c.w, complianceRowH, "FD")
		} else {
			pdf.Rect(x, y, c.w, complianceRowH, "D")
		}
		if i < len(cells) && cells[i] != "" {
			d.fit(cells[i], sans, style, c.w-3, fitStage{1, 8, 5.5})
			cellText(d, c, x, y, complianceRowH, cells[i])
		}
		x += c.w
	}
	return y + complianceRowH
}
