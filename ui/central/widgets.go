package central

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/geo"
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
