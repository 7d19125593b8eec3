package kit

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
)

// DateLayout is how dates are written for people: dd/mm/aaaa.
const DateLayout = "02/01/2006"

// NewDateEntry returns an entry for a date written dd/mm/aaaa, with a
// calendar button that picks it (the calendar opens on the date typed,
// else on today in Argentina). Unlike Fyne's DateEntry, its format does
// not follow the computer's locale: a laptop set to English (US) still
// reads 03/04/2026 as the 3rd of April.
func NewDateEntry(placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	pick := widget.NewButtonWithIcon("", theme.CalendarIcon(), nil)
	pick.Importance = widget.LowImportance
	pick.OnTapped = func() {
		c := fyne.CurrentApp().Driver().CanvasForObject(e)
		if c == nil {
			return
		}
		start := time.Now().In(domain.Argentina)
		if t, err := domain.ParseDate(e.Text); err == nil {
			start = t
		}
		var pop *widget.PopUp
		cal := widget.NewCalendar(start, func(t time.Time) {
			e.SetText(t.Format(DateLayout))
			pop.Hide()
		})
		pop = widget.NewPopUp(cal, c)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
		pop.ShowAtPosition(pos.Add(fyne.NewPos(0, e.Size().Height)))
	}
	e.ActionItem = pick
	return e
}
