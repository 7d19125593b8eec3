package central

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// complianceTab is the compliance tab: for a year (and a province),
// the people under the required points by province and agency, the
// sessions, attendees and points by municipality with a bar chart of
// points by province, and the exports (CSV for Excel and PDF).
type complianceTab struct {
	c *Workspace
	yearControls

	report  wire.Compliance
	loaded  bool
	summary *widget.Label
	chart   *fyne.Container
	groups  *widget.List
	places  *widget.List

	exportPeople, exportGroups, exportPlaces, exportPDF *widget.Button

	body *fyne.Container // laid out again when the chart changes

	content fyne.CanvasObject
}

func newComplianceTab(c *Workspace) *complianceTab {
	v := &complianceTab{c: c}
	v.yearControls = c.newYearControls(v.load)
	v.summary = widget.NewLabelWithStyle(c.tr("compliance.pick"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.summary.Wrapping = fyne.TextWrapWord
	v.chart = container.NewGridWithColumns(2)
	v.groups = labelList(func() int { return len(v.report.Groups) }, func(i int) string {
		g := v.report.Groups[i]
		return c.tr("compliance.group", orText(g.Province, c.tr("compliance.noProvince")),
			orText(g.Agency, c.tr("compliance.noAgency")), c.num(g.Under), c.num(g.People))
	})
	v.places = labelList(func() int { return len(v.report.Places) }, func(i int) string {
		p := v.report.Places[i]
		return c.tr("compliance.place", orText(p.Province, c.tr("compliance.noProvince")), p.Municipality,
			c.count(p.Sessions, "unit.session"), c.count(p.Attendees, "unit.attendee"), c.count(p.Points, "unit.point"))
	})
	v.exportPeople = widget.NewButtonWithIcon(c.tr("compliance.exportPeople"), theme.DocumentSaveIcon(), v.savePeople)
	v.exportGroups = widget.NewButtonWithIcon(c.tr("compliance.exportGroups"), theme.DocumentSaveIcon(), v.saveGroups)
	v.exportPlaces = widget.NewButtonWithIcon(c.tr("compliance.exportPlaces"), theme.DocumentSaveIcon(), v.savePlaces)
	v.exportPDF = widget.NewButtonWithIcon(c.tr("compliance.exportPDF"), theme.DocumentPrintIcon(), v.savePDF)
	v.setExports(false)

	controls := v.controls
	exports := container.NewGridWithColumns(4, v.exportPeople, v.exportGroups, v.exportPlaces, v.exportPDF)
	top := container.NewVBox(controls, v.summary, exports, kit.Bold(c.tr("compliance.chart")), v.chart)
	lists := container.NewGridWithColumns(2,
		container.NewBorder(kit.Bold(c.tr("compliance.groups")), nil, nil, nil, v.groups),
		container.NewBorder(kit.Bold(c.tr("compliance.places")), nil, nil, nil, v.places))
	v.body = container.NewBorder(top, nil, nil, nil, lists)
	v.content = container.New(&kit.PaddedBy{H: 12, V: 8}, v.body)
	return v
}

func (v *complianceTab) setExports(on bool) {
	for _, b := range []*widget.Button{v.exportPeople, v.exportGroups, v.exportPlaces, v.exportPDF} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// query returns the year and province chosen; ok is false (and the
// error under the year says why) for a bad year.
func (v *complianceTab) query() (year int, province string, ok bool) {
	return v.yearControls.query(v.c, v.body)
}

// load fetches the report's totals.
func (v *complianceTab) load() {
	c := v.c
	year, province, ok := v.query()
	if !ok {
		return
	}
	v.summary.SetText(c.tr("central.loading"))
	c.call(func(ctx context.Context, api API) (func(), error) {
		rep, err := api.Compliance(ctx, year, province)
		return func() { v.show(rep) }, err
	})
}

func (v *complianceTab) show(rep wire.Compliance) {
	c := v.c
	v.report, v.loaded = rep, true
	pct := "0"
	if rep.People > 0 {
		pct = strings.Replace(strconv.FormatFloat(float64(rep.Under*1000/rep.People)/10, 'f', -1, 64), ".", ",", 1)
	}
	v.summary.SetText(c.tr("compliance.summary", c.count(rep.People, "unit.agent"), c.num(rep.Under), rep.Required, pct))
	v.drawChart()
	v.groups.Refresh()
	v.places.Refresh()
	v.setExports(true)
	v.body.Refresh() // the chart's height changed
}

// chartWidth is the longest bar, in pixels: two columns of bars fit
// 1280 pixels, and 24 provinces take 12 rows, so the tab fits 720.
const chartWidth = 320

// drawChart draws the points awarded per province as horizontal bars.
func (v *complianceTab) drawChart() {
	c := v.c
	var provinces []string
	points := map[string]int{}
	for _, p := range v.report.Places {
		if _, ok := points[p.Province]; !ok {
			provinces = append(provinces, p.Province)
		}
		points[p.Province] += p.Points
	}
	top := 1
	for _, n := range points {
		top = max(top, n)
	}
	v.chart.Objects = nil
	for _, p := range provinces {
		n := points[p]
		bar := canvas.NewRectangle(kit.ColorPrimary)
		bar.SetMinSize(fyne.NewSize(max(2, float32(chartWidth)*float32(max(n, 0))/float32(top)), 14))
		name := canvas.NewText(orText(p, c.tr("compliance.noProvince")), kit.ColorText)
		name.TextSize = 12
		value := canvas.NewText(c.num(n), color.NRGBA{0x33, 0x33, 0x33, 0xff})
		value.TextSize = 12
		v.chart.Add(container.NewHBox(container.New(&kit.FixedWidth{W: 200}, name), container.NewCenter(bar), value))
	}
	v.chart.Refresh()
}

// reportPeople is a person of the report as the exports print them.
func reportPeople(p wire.CompliancePerson) reports.ComplianceRow {
	return reports.ComplianceRow{Province: p.Province, Agency: p.Agency, Surname: p.Surname, GivenNames: p.GivenNames,
		DNI: p.DNI, CUIL: p.CUIL, Points: p.Points}
}

// fileName names an export of the loaded report.
func (v *complianceTab) fileName(part, ext string) string {
	name := fmt.Sprintf("cumplimiento-%d", v.report.Year)
	if v.report.Province != "" {
		name += "-" + strings.ReplaceAll(strings.ToLower(v.report.Province), " ", "-")
	}
	return name + "-" + part + "." + ext
}

// export asks where to save, then writes in the background.
func (v *complianceTab) export(name string, write func(ctx context.Context, api API, w io.Writer) (string, error)) {
	c := v.c
	c.opt.Save(name, func(w io.WriteCloser, err error) {
		if err != nil {
			c.fail(err)
			return
		}
		if w == nil {
			return
		}
		if c.api == nil {
			w.Close()
			return
		}
		c.setStatus(c.tr("compliance.exporting"), false)
		c.call(func(ctx context.Context, api API) (func(), error) {
			msg, err := write(ctx, api, w)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return func() { c.setStatus(msg, false) }, err
		})
	})
}

// savePeople exports everyone under the required points as CSV, streamed
// from the registry.
func (v *complianceTab) savePeople() {
	c, rep := v.c, v.report
	name := v.fileName("personas", "csv")
	v.export(name, func(ctx context.Context, api API, w io.Writer) (string, error) {
		cw, err := reports.NewComplianceWriter(w, rep.Required, ';')
		if err != nil {
			return "", err
		}
		n, err := api.AllCompliancePeople(ctx, wire.CompliancePeopleQuery{Year: rep.Year, Province: rep.Province},
			func(p wire.CompliancePerson) error { return cw.Write(reportPeople(p)) })
		if err != nil {
			return "", err
		}
		return c.tr("compliance.exported", name, c.count(n, "unit.person")), cw.Close()
	})
}

// saveGroups exports the totals by province and agency as CSV.
func (v *complianceTab) saveGroups() {
	c, rep := v.c, v.report
	name := v.fileName("organismos", "csv")
	groups := make([]reports.ComplianceGroup, len(rep.Groups))
	for i, g := range rep.Groups {
		groups[i] = reports.ComplianceGroup{Province: g.Province, Agency: g.Agency, People: g.People, Under: g.Under, Points: g.Points}
	}
	v.export(name, func(_ context.Context, _ API, w io.Writer) (string, error) {
		return c.tr("central.saved", name), reports.ComplianceGroupsCSV(w, groups, ';')
	})
}

// savePlaces exports the totals by province and municipality as CSV.
func (v *complianceTab) savePlaces() {
	c := v.c
	name := v.fileName("municipios", "csv")
	places := reportPlaces(v.report)
	v.export(name, func(_ context.Context, _ API, w io.Writer) (string, error) {
		return c.tr("central.saved", name), reports.CompliancePlacesCSV(w, places, ';')
	})
}

func reportPlaces(rep wire.Compliance) []reports.CompliancePlace {
	out := make([]reports.CompliancePlace, len(rep.Places))
	for i, p := range rep.Places {
		out[i] = reports.CompliancePlace{Province: p.Province, Municipality: p.Municipality, Sessions: p.Sessions, Attendees: p.Attendees, Points: p.Points}
	}
	return out
}

// savePDF exports the whole report as a PDF: the totals and the people
// under the required points (the first reports.DefaultMaxRows of them).
func (v *complianceTab) savePDF() {
	c, rep := v.c, v.report
	name := v.fileName("informe", "pdf")
	doc := reports.Compliance{Year: rep.Year, Required: rep.Required, Province: rep.Province, People: rep.People, Under: rep.Under,
		Places: reportPlaces(rep), Issuer: c.tr("statement.issuer"), GeneratedAt: c.opt.Now()}
	for _, g := range rep.Groups {
		doc.Groups = append(doc.Groups, reports.ComplianceGroup{Province: g.Province, Agency: g.Agency, People: g.People, Under: g.Under, Points: g.Points})
	}
	v.export(name, func(ctx context.Context, api API, w io.Writer) (string, error) {
		n, err := api.AllCompliancePeople(ctx, wire.CompliancePeopleQuery{Year: rep.Year, Province: rep.Province},
			func(p wire.CompliancePerson) error {
				if len(doc.Rows) < reports.DefaultMaxRows {
					doc.Rows = append(doc.Rows, reportPeople(p))
				}
				return nil
			})
		if err != nil {
			return "", err
		}
		doc.RowsTotal = n
		return c.tr("central.saved", name), reports.CompliancePDF(w, doc)
	})
}
