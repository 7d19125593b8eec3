package central

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// labelList is a list of one-line labels; item i shows text(i).
func labelList(n func() int, text func(i int) string) *widget.List {
	return widget.NewList(n, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(text(i))
	})
}

// provinceSelect offers the provinces, after first when it is not "".
func provinceSelect(first string) *widget.Select {
	var names []string
	if first != "" {
		names = append(names, first)
	}
	for _, p := range geo.Provinces() {
		names = append(names, p.Name)
	}
	return widget.NewSelect(names, nil)
}

// fixProvince chooses the account's province in s and locks it, when
// the account sees only one.
func (c *Workspace) fixProvince(s *widget.Select) {
	if c.user.Province != "" {
		s.SetSelected(c.user.Province)
		s.Disable()
	}
}

// yearControls choose a yearly report's year and province: the year
// (this year at first), the province (every one, or the account's only
// one), the "Mostrar" button and the error under them.
type yearControls struct {
	year       *widget.Entry
	yearErr    *widget.Label // why the year cannot be read, under the controls
	province   *widget.Select
	showButton *widget.Button
	controls   fyne.CanvasObject
}

func (c *Workspace) newYearControls(show func()) yearControls {
	y := yearControls{year: widget.NewEntry(), yearErr: errorLabel()}
	y.year.SetText(strconv.Itoa(wire.LocalDate(c.opt.Now()).Year()))
	y.year.OnChanged = func(string) { setError(y.yearErr, "") }
	all := c.tr("central.allOption")
	y.province = provinceSelect(all)
	y.province.SetSelected(all)
	c.fixProvince(y.province)
	y.showButton = widget.NewButtonWithIcon(c.tr("compliance.show"), theme.SearchIcon(), show)
	y.showButton.Importance = widget.HighImportance
	y.controls = container.NewVBox(container.NewHBox(widget.NewLabel(c.tr("compliance.year")), container.New(&kit.FixedWidth{W: 90}, y.year),
		widget.NewLabel(c.tr("compliance.province")), y.province, y.showButton), y.yearErr)
	return y
}

// query returns the year and province chosen (province "" for every
// one); ok is false, and the error under the controls says why, for a
// bad year (body is laid out again).
func (y yearControls) query(c *Workspace, body *fyne.Container) (year int, prov string, ok bool) {
	year, err := strconv.Atoi(strings.TrimSpace(y.year.Text))
	if err != nil || year < 2000 || year > 2200 {
		setError(y.yearErr, c.tr("compliance.badYear", wire.LocalDate(c.opt.Now()).Year()))
		body.Refresh()
		return 0, "", false
	}
	if y.province.Selected != c.tr("central.allOption") {
		prov = y.province.Selected
	}
	return year, prov, true
}
