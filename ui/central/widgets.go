package central

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
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

// yearQuery reads a report's year from entry and its province from
// province (every one when the first option, "all", is chosen); ok is
// false, and errLabel says why, for a bad year (body is laid out again).
func (c *Workspace) yearQuery(entry *widget.Entry, errLabel *widget.Label, province *widget.Select, body *fyne.Container) (year int, prov string, ok bool) {
	year, err := strconv.Atoi(strings.TrimSpace(entry.Text))
	if err != nil || year < 2000 || year > 2200 {
		setError(errLabel, c.tr("compliance.badYear", wire.LocalDate(c.opt.Now()).Year()))
		body.Refresh()
		return 0, "", false
	}
	if province.Selected != c.tr("central.allOption") {
		prov = province.Selected
	}
	return year, prov, true
}
