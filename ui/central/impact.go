package central

import (
	"context"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/reports/atlas"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// impactTab is the "Impacto" tab: for a year (and a province) the people
// trained, sessions, person-hours, points, online and in-person shares,
// reach, the survey distributions and the change from the previous year,
// with the map of Argentina and the trend by month drawn on Fyne's canvas.
type impactTab struct {
	c *Workspace
	yearControls

	report  wire.Impact
	summary *widget.Label
	survey  *widget.Label
	mapBox  *fyne.Container // the map's dots, placed by atlas
	months  *fyne.Container // one bar per month
	bars    []*canvas.Rectangle
	places  *widget.List

	body    *fyne.Container
	content fyne.CanvasObject
}

// Size of the map and of the month chart, in pixels.
const (
	impactMapH    = 460
	impactMonthsH = 90
)

func newImpactTab(c *Workspace) *impactTab {
	v := &impactTab{c: c}
	v.yearControls = c.newYearControls(v.load)
	v.summary = widget.NewLabel(c.tr("impact.pick"))
	v.summary.Wrapping = fyne.TextWrapWord
	v.survey = widget.NewLabel("")
	v.survey.Wrapping = fyne.TextWrapWord
	mapW := float32(impactMapH * atlas.Aspect())
	v.mapBox = container.NewWithoutLayout()
	mapArea := container.New(&kit.FixedWidth{W: mapW}, container.NewStack(canvasSpacer(mapW, impactMapH), v.mapBox))
	v.months = container.NewHBox()
	v.places = labelList(func() int { return len(v.report.Municipalities) }, func(i int) string {
		p := v.report.Municipalities[i]
		return c.tr("impact.place", p.Municipality, p.Province, c.count(p.Attendances, "unit.attendance"))
	})
	controls := v.controls
	right := container.NewBorder(container.NewVBox(v.summary, kit.Bold(c.tr("impact.months")), v.months, v.survey,
		kit.Bold(c.tr("impact.places"))), nil, nil, nil, v.places)
	v.body = container.NewBorder(controls, nil, container.NewVBox(kit.Bold(c.tr("impact.map")), mapArea), nil, right)
	v.content = container.New(&kit.PaddedBy{H: 12, V: 8}, v.body)
	return v
}

// canvasSpacer takes w × h on screen.
func canvasSpacer(w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}

func (v *impactTab) load() {
	c := v.c
	year, province, ok := v.query(c, v.body)
	if !ok {
		return
	}
	v.summary.SetText(c.tr("central.loading"))
	c.call(func(ctx context.Context, api API) (func(), error) {
		im, err := api.Impact(ctx, year, province)
		return func() { v.show(im) }, err
	})
}

func (v *impactTab) show(im wire.Impact) {
	c := v.c
	v.report = im
	pct := func(f float64) string { return strconv.Itoa(int(f*100+0.5)) + " %" }
	change := func(ch *float64) string {
		if ch == nil {
			return ""
		}
		return " (" + c.tr("impact.change", signed(int(*ch*100+sign(*ch)*0.5)), im.Year-1) + ")"
	}
	lines := []string{
		c.tr("impact.people", c.num(im.People)) + change(im.Change.People),
		c.tr("impact.sessions", c.num(im.Sessions)) + change(im.Change.Sessions),
		c.tr("impact.hours", c.num(int(im.Hours+0.5))) + change(im.Change.Hours),
		c.tr("impact.points", c.num(im.Points)) + change(im.Change.Points),
		c.tr("impact.shares", pct(im.OnlineShare), pct(im.InPersonShare)),
		c.tr("impact.reach", im.ProvincesReached, im.MunicipalitiesReached),
	}
	v.summary.SetText(strings.Join(lines, "\n"))
	if im.Survey.Value == nil {
		v.survey.SetText(c.tr("impact.surveyHidden", im.Survey.Responses))
	} else {
		v.survey.SetText(c.tr("impact.survey", im.Survey.Responses, dist(im.Survey.Value), dist(im.Survey.Use)))
	}
	v.drawMap()
	v.drawMonths()
	v.places.Refresh()
	v.body.Refresh()
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

func signed(n int) string {
	if n >= 0 {
		return "+" + strconv.Itoa(n) + " %"
	}
	return "−" + strconv.Itoa(-n) + " %"
}

// dist writes a survey distribution "1: n · 2: n …".
func dist(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for i := 1; i <= len(m); i++ {
		k := strconv.Itoa(i)
		parts = append(parts, k+": "+strconv.Itoa(m[k]))
	}
	return strings.Join(parts, " · ")
}

// fyneSurface places the map's dots as canvas circles.
type fyneSurface struct{ box *fyne.Container }

func (s fyneSurface) Dot(x, y, r float64, c color.RGBA) {
	d := canvas.NewCircle(c)
	d.Resize(fyne.NewSize(float32(2*r), float32(2*r)))
	d.Move(fyne.NewPos(float32(x-r), float32(y-r)))
	s.box.Add(d)
}

func (v *impactTab) drawMap() {
	v.mapBox.Objects = nil
	reports.ImpactMap(v.report).Draw(fyneSurface{v.mapBox}, 0, 0, impactMapH*atlas.Aspect(), impactMapH, 1.1)
	v.mapBox.Refresh()
}

func (v *impactTab) drawMonths() {
	most := 1
	for _, m := range v.report.Months {
		most = max(most, m.Attendances)
	}
	v.months.Objects, v.bars = nil, nil
	for _, m := range v.report.Months {
		h := float32(impactMonthsH) * float32(m.Attendances) / float32(most)
		bar := canvas.NewRectangle(kit.ColorPrimary)
		bar.SetMinSize(fyne.NewSize(18, max(1, h)))
		v.bars = append(v.bars, bar)
		label := canvas.NewText(strconv.Itoa(m.Month), kit.ColorText)
		label.TextSize = 10
		label.Alignment = fyne.TextAlignCenter
		col := container.NewBorder(nil, label, nil, nil, container.NewVBox(canvasSpacer(18, float32(impactMonthsH)-h), bar))
		v.months.Add(col)
	}
	v.months.Refresh()
}
