package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/ui/kit"
)

// sessionsView lists sessions, today's first, with filters, and opens
// one for check-in.
type sessionsView struct {
	a         *App
	filter    *widget.RadioGroup
	filters   map[string]storage.SessionFilter
	newButton *widget.Button
	list      *widget.List
	empty     *widget.Label
	items     []storage.SessionInfo
	content   fyne.CanvasObject

	load kit.Latest
	seq  int
}

func newSessionsView(a *App) *sessionsView {
	v := &sessionsView{a: a, load: kit.Latest{Work: a.work}}
	all, open, closed, waiting := a.tr("sessions.filterAll"), a.tr("sessions.filterOpen"),
		a.tr("sessions.filterClosed"), a.tr("sessions.filterWaiting")
	v.filters = map[string]storage.SessionFilter{
		all: storage.AllSessions, open: storage.OpenSessions,
		closed: storage.ClosedSessions, waiting: storage.WaitingSessions,
	}
	v.filter = widget.NewRadioGroup([]string{all, open, closed, waiting}, func(string) { v.refresh() })
	v.filter.Horizontal = true
	v.filter.Required = true
	v.filter.Selected = all
	v.newButton = widget.NewButtonWithIcon(a.tr("sessions.new"), theme.ContentAddIcon(), a.showNewSession)
	v.newButton.Importance = widget.HighImportance

	v.list = widget.NewList(
		func() int { return len(v.items) },
		func() fyne.CanvasObject { return newSessionRow(a) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.items) {
				o.(*sessionRow).set(v.items[id])
			}
		})
	v.list.OnSelected = func(id widget.ListItemID) {
		v.list.UnselectAll()
		if id < len(v.items) {
			a.openSession(v.items[id].ID)
		}
	}
	v.empty = kit.Muted("")
	v.empty.Alignment = fyne.TextAlignCenter
	v.empty.Hide()

	top := container.NewVBox(
		container.NewBorder(nil, nil, kit.Heading(a.tr("sessions.title")), v.newButton),
		container.NewHBox(widget.NewLabel(a.tr("sessions.show")), v.filter),
	)
	v.content = container.New(&kit.PaddedBy{H: 16, V: 10},
		container.NewBorder(top, nil, nil, nil, container.NewStack(v.list, container.NewVBox(v.empty))))
	return v
}

// refresh reloads the list for the chosen filter in the background.
func (v *sessionsView) refresh() {
	v.seq++
	seq, f := v.seq, v.filters[v.filter.Selected]
	v.load.Submit(func() {
		list, err := v.a.st.Sessions(v.a.ctx, f)
		v.a.do(func() { v.show(seq, list, err) })
	})
}

func (v *sessionsView) show(seq int, list []storage.SessionInfo, err error) {
	if seq != v.seq {
		return
	}
	v.items = list
	v.list.Refresh()
	v.list.ScrollToTop()
	switch {
	case err != nil:
		v.empty.SetText(v.a.message(err, "list sessions"))
		v.empty.Show()
	case len(list) == 0:
		v.empty.SetText(v.a.tr("sessions.empty"))
		v.empty.Show()
	default:
		v.empty.Hide()
	}
}

// sessionRow is one session in the list: when, what, where, how many.
type sessionRow struct {
	widget.BaseWidget
	a      *App
	day    *widget.Label
	hours  *widget.Label
	title  *widget.Label
	place  *widget.Label
	count  *widget.Label
	state  *kit.Badge
	layout fyne.CanvasObject
}

func newSessionRow(a *App) *sessionRow {
	r := &sessionRow{a: a,
		day:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		hours: widget.NewLabel(""),
		title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		place: widget.NewLabel(""),
		count: widget.NewLabel(""),
		state: kit.NewBadge(),
	}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.place.Truncation = fyne.TextTruncateEllipsis
	r.place.Importance = widget.LowImportance
	r.hours.Importance = widget.LowImportance
	r.count.Alignment = fyne.TextAlignTrailing
	when := container.New(&kit.FixedWidth{W: 150}, container.New(layout.NewCustomPaddedVBoxLayout(-12), r.day, r.hours))
	right := container.NewHBox(container.New(&kit.FixedWidth{W: 130}, r.count), container.NewCenter(container.New(&kit.FixedWidth{W: 140}, container.NewCenter(r.state.Box))))
	what := container.New(layout.NewCustomPaddedVBoxLayout(-12), r.title, r.place)
	r.layout = container.NewBorder(nil, nil, when, right, what)
	r.ExtendBaseWidget(r)
	return r
}

func (r *sessionRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.layout) }

func (r *sessionRow) set(s storage.SessionInfo) {
	a := r.a
	r.day.SetText(a.day(s.Date))
	r.hours.SetText(a.hours(s.Start, s.End))
	title := s.ActivityTitle
	if title == "" {
		title = s.ActivityCode
	}
	r.title.SetText(title)
	r.place.SetText(a.place(s))
	r.count.SetText(a.plural(s.Attendees, "sessions.attendeesOne", "sessions.attendeesMany"))
	text, c := a.sessionState(s)
	r.state.Set(text, c)
}

// sessionState names a session's state for a person, with its color.
func (a *App) sessionState(s storage.SessionInfo) (string, color.Color) {
	if s.State == domain.Open {
		return a.tr("state.open"), kit.ColorOK
	}
	switch s.SyncState {
	case "accepted", "duplicate":
		return a.tr("state.synced"), kit.ColorIdle
	case "conflict", "rejected":
		return a.tr("state.rejected"), kit.ColorError
	}
	return a.tr("state.waiting"), kit.ColorWarn
}

var weekdays = map[string][7]string{
	"es": {"dom", "lun", "mar", "mié", "jue", "vie", "sáb"},
	"en": {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
}

// day writes a YYYY-MM-DD date as "Hoy" or "mar 12/05/2026".
func (a *App) day(date string) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	if date == time.Now().In(domain.Argentina).Format("2006-01-02") {
		return a.tr("sessions.today") + " " + t.Format("02/01")
	}
	return weekdays[a.lang][t.Weekday()] + " " + t.Format("02/01/2006")
}

// hours writes a session's time range.
func (a *App) hours(start, end string) string {
	switch {
	case start != "" && end != "":
		return start + "–" + end
	case start != "":
		return a.tr("sessions.from", start)
	}
	return a.tr("sessions.noTime")
}

// place writes where a session is: municipality, province · venue.
func (a *App) place(s storage.SessionInfo) string {
	p := s.Municipality
	if p == "" {
		p = a.tr("modality." + string(s.Modality))
	}
	if prov, ok := geo.FindProvince(s.Province); ok && prov.ID != "02" {
		p += ", " + shortProvince(prov.Name)
	}
	if s.Venue != "" {
		p += " · " + s.Venue
	}
	if s.Instructor != "" {
		p += " · " + s.Instructor
	}
	return p
}

// shortProvince shortens the one province name too long for a line.
func shortProvince(name string) string {
	if len(name) > 30 {
		if i := strings.IndexByte(name, ','); i > 0 {
			return name[:i]
		}
	}
	return name
}
