package ui

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// maxResults is how many matches show under the check-in input.
const maxResults = 8

// checkinView is the check-in screen: one large input that takes a DNI, a
// CUIL, part of a name or a scanned DNI barcode; Enter (or the scanner's
// own Enter) marks the top match present and clears the input, keeping
// the focus, so a queue goes through without the mouse. The matches show
// right under the input; a compact card atop the attendee list says what
// the last Enter did, and the list can change a status or remove a
// mistaken check-in while the session is open.
type checkinView struct {
	a    *App
	info storage.SessionInfo

	backButton  *widget.Button
	title       *widget.Label
	subtitle    *widget.Label
	state       *kit.Badge
	closeButton *widget.Button

	input        *kit.KeyEntry
	hint         *widget.Label
	banner       *banner
	resultsTitle *widget.Label
	resultRows   *fyne.Container          // the first rows, as many as there are matches
	rows         []*resultRow             // maxResults rows, made once and reused
	rowObjects   []fyne.CanvasObject      // rows, as the container holds them
	resultsTight *container.ThemeOverride // resultRows, tightened
	resultScroll *container.Scroll
	results      []domain.Person
	resultsFor   string // the text the results answer
	// sel is the highlighted result; -1 for none, when more people match
	// than the results show: Enter then never checks in a guess.
	sel int

	counter   *widget.Label
	breakdown *widget.Label
	list      *widget.List
	emptyList *widget.Label
	attendees []storage.Attendee

	walkIn      *walkInForm           // the walk-in dialog showing, if any
	closeDialog *dialog.ConfirmDialog // the close confirmation showing, if any
	print       *printer              // sheet, certificates and CSV (print.go)
	report      *reportLoader         // participants report of an online session (participants.go)
	content     fyne.CanvasObject

	search kit.Latest
	load   kit.Latest
	// seq counts input changes; a search answer for an older text is
	// dropped.
	seq int
	// snap numbers attendee snapshots as their queries start; applied is
	// the newest applied, so an older snapshot never overwrites a newer.
	snap    atomic.Int64
	applied int64
}

func newCheckinView(a *App) *checkinView {
	v := &checkinView{a: a, search: kit.Latest{Work: a.work}, load: kit.Latest{Work: a.work}}
	v.backButton = widget.NewButtonWithIcon(a.tr("checkin.back"), theme.NavigateBackIcon(), a.showSessions)
	v.backButton.Importance = widget.LowImportance
	v.title = kit.Heading("")
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.subtitle = widget.NewLabel("")
	v.subtitle.Truncation = fyne.TextTruncateEllipsis
	v.subtitle.Importance = widget.LowImportance
	v.state = kit.NewBadge()
	v.closeButton = widget.NewButtonWithIcon(a.tr("checkin.close"), theme.ConfirmIcon(), v.askClose)
	v.closeButton.Importance = widget.WarningImportance

	v.input = kit.NewKeyEntry()
	v.input.SetPlaceHolder(a.tr("checkin.placeholder"))
	v.input.OnChanged = v.changed
	v.input.OnSubmitted = v.submit
	v.input.OnKey = v.key
	v.hint = kit.Muted(a.tr("checkin.hint"))
	v.banner = newBanner()
	v.resultsTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.resultsTitle.Truncation = fyne.TextTruncateEllipsis
	v.resultsTitle.Hide()
	v.resultRows = container.NewVBox()
	for range maxResults {
		r := newResultRow(v)
		v.rows = append(v.rows, r)
		v.rowObjects = append(v.rowObjects, r.TapRow)
	}

	v.counter = kit.Heading("")
	v.breakdown = widget.NewLabel("")
	v.breakdown.Importance = widget.LowImportance
	v.breakdown.Truncation = fyne.TextTruncateEllipsis
	v.list = widget.NewList(
		func() int { return len(v.attendees) },
		func() fyne.CanvasObject { return newAttendeeRow(v) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.attendees) {
				o.(*attendeeRow).set(v.attendees[id], id)
			}
		})
	v.emptyList = kit.Muted(a.tr("checkin.noneYet"))
	v.emptyList.Alignment = fyne.TextAlignCenter

	v.report = newReportLoader(v)
	header := container.NewBorder(nil, nil, v.backButton,
		container.NewHBox(container.NewCenter(v.report.button), container.NewCenter(v.a.survey.button), container.NewCenter(v.state.Box), container.NewCenter(v.closeButton)),
		container.New(layout.NewCustomPaddedVBoxLayout(-10), v.title, v.subtitle))
	// The matches come right under the input, one line each, so eight
	// fit at 1280×720; the card saying what the last Enter did heads the
	// attendee list.
	// The rows take the tight theme while they are in the container; the
	// override keeps it on them when they leave and come back.
	v.resultRows.Objects = v.rowObjects
	v.resultsTight = container.NewThemeOverride(v.resultRows, resultsTheme)
	v.resultRows.Objects = nil
	v.resultScroll = container.NewVScroll(v.resultsTight)
	left := container.NewBorder(
		container.NewVBox(container.NewThemeOverride(v.input, bigTheme), v.hint, v.resultsTitle),
		nil, nil, nil,
		v.resultScroll)
	cols := attendeeColumns()
	head := container.New(cols,
		kit.Bold(a.tr("checkin.colNameAgency")), kit.Bold(a.tr("checkin.colDNI")),
		kit.Bold(a.tr("checkin.colStatus")), kit.Bold(a.tr("checkin.colTime")), widget.NewLabel(""))
	right := container.NewBorder(
		container.NewVBox(v.banner.content, container.NewBorder(nil, nil, v.counter, nil, v.breakdown), container.New(&kit.PaddedBy{H: 8}, head), widget.NewSeparator()),
		nil, nil, nil,
		container.NewStack(v.list, container.NewVBox(v.emptyList)))
	split := container.NewHSplit(container.New(&kit.PaddedBy{H: 0, V: 0}, left), container.New(&kit.PaddedBy{H: 8}, right))
	split.Offset = 0.4
	v.print = newPrinter(v)
	v.content = container.New(&kit.PaddedBy{H: 14, V: 8},
		container.NewBorder(container.NewVBox(header, v.print.bar, widget.NewSeparator()), nil, nil, nil, split))
	return v
}

// open shows the session with that ID: its header and attendees load in
// the background.
func (v *checkinView) open(id string) {
	v.info = storage.SessionInfo{}
	v.info.ID = id
	v.info.State = domain.Open
	v.attendees = nil
	v.applied = 0
	v.list.Refresh()
	v.title.SetText(v.a.tr("checkin.loading"))
	v.subtitle.SetText("")
	v.setResults(nil, "")
	v.input.SetText("")
	v.banner.show(bannerIdle, v.a.tr("checkin.ready"), "", v.a.tr("checkin.readyDetail"))
	v.updateCounter()
	v.reload()
}

// reload refreshes the session and its attendees in the background.
func (v *checkinView) reload() {
	id := v.info.ID
	v.load.Submit(func() {
		info, err := v.a.st.Session(v.a.ctx, id)
		n, list, lerr := v.snapshot(id)
		v.a.do(func() {
			if err != nil {
				v.banner.show(bannerError, v.a.tr("checkin.loadFailed"), "", v.a.message(err, "load session"))
				return
			}
			v.showInfo(info)
			v.applyAttendees(id, n, list, lerr)
		})
	})
}

// snapshot reads a session's attendees, numbered in query order.
func (v *checkinView) snapshot(id string) (int64, []storage.Attendee, error) {
	n := v.snap.Add(1)
	list, err := v.a.st.Attendees(v.a.ctx, id)
	return n, list, err
}

func (v *checkinView) showInfo(info storage.SessionInfo) {
	// A session never reopens: an answer read before it closed is old.
	if info.ID != v.info.ID || (v.info.State == domain.Closed && info.State == domain.Open) {
		return
	}
	v.info = info
	title := info.ActivityTitle
	if title == "" {
		title = info.ActivityCode
	}
	v.title.SetText(title)
	v.subtitle.SetText(fmt.Sprintf("%s · %s · %s · %s", info.ActivityCode, v.a.day(info.Date), v.a.hours(info.Start, info.End), v.a.place(info)))
	text, c := v.a.sessionState(info)
	if info.State == domain.Closed {
		text = v.a.tr("checkin.closedBadge")
	}
	v.state.Set(text, c)
	v.setReadOnly(info.State == domain.Closed)
	v.print.update(info)
	v.report.update(info)
	v.a.survey.update(info)
}

// setReadOnly locks the screen of a closed session.
func (v *checkinView) setReadOnly(closed bool) {
	if closed {
		v.input.SetText("")
		v.input.SetPlaceHolder(v.a.tr("checkin.closedPlaceholder"))
		v.input.Disable()
		v.hint.Hide()
		v.closeButton.Hide()
		v.setResults(nil, "")
		if v.banner.kind == bannerIdle {
			detail := v.a.tr("checkin.closedHint")
			if at := v.info.ClosedAt; at != nil {
				detail = v.a.tr("checkin.closedAt", at.In(domain.Argentina).Format("02/01/2006"), at.In(domain.Argentina).Format("15:04"))
			}
			v.banner.show(bannerIdle, v.a.tr("checkin.closedBadge"), "", detail)
		}
	} else {
		v.input.SetPlaceHolder(v.a.tr("checkin.placeholder"))
		v.input.Enable()
		v.hint.SetText(v.a.tr("checkin.hint"))
		v.hint.Show()
		v.closeButton.Show()
	}
	v.list.Refresh()
}

func (v *checkinView) readOnly() bool { return v.info.State == domain.Closed }

func (v *checkinView) focusInput() {
	if !v.readOnly() {
		v.a.win.Canvas().Focus(v.input)
	}
}

func (v *checkinView) applyAttendees(id string, n int64, list []storage.Attendee, err error) {
	if id != v.info.ID || n < v.applied {
		return
	}
	if err != nil {
		v.banner.show(bannerError, v.a.tr("checkin.loadFailed"), "", v.a.message(err, "list attendees"))
		return
	}
	v.applied = n
	v.attendees = list
	v.list.Refresh()
	v.updateCounter()
}

func (v *checkinView) updateCounter() {
	var pres, late, exc, abs, walk int
	for _, at := range v.attendees {
		switch at.Status {
		case domain.Presente:
			pres++
		case domain.Tarde:
			late++
		case domain.Justificado:
			exc++
		case domain.Ausente:
			abs++
		}
		if at.Method == domain.WalkIn {
			walk++
		}
	}
	a := v.a
	v.counter.SetText(a.tr("checkin.counter", a.num(len(v.attendees))))
	parts := []string{a.plural(pres, "checkin.present1", "checkin.presentN")}
	for _, c := range []struct {
		n         int
		one, many string
	}{{late, "checkin.late1", "checkin.lateN"}, {exc, "checkin.excused1", "checkin.excusedN"},
		{abs, "checkin.absent1", "checkin.absentN"}, {walk, "checkin.walkIns1", "checkin.walkInsN"}} {
		if c.n > 0 {
			parts = append(parts, a.plural(c.n, c.one, c.many))
		}
	}
	v.breakdown.SetText(strings.Join(parts, " · "))
	v.emptyList.Hidden = len(v.attendees) > 0
	v.emptyList.Refresh()
}

// changed runs a search for what is typed, off the main goroutine. A
// scanned barcode is not searched: it arrives as fast keystrokes and is
// only read whole, on Enter.
func (v *checkinView) changed(text string) {
	v.seq++
	seq := v.seq
	t := cleanInput(text)
	switch {
	case t == "":
		v.setResults(nil, "")
		v.hint.SetText(v.a.tr("checkin.hint"))
		return
	case strings.ContainsAny(t, `@"`):
		// A scan in progress (no name or number has these): searching
		// its partial text would only load the store.
		v.setResults(nil, "")
		v.hint.SetText(v.a.tr("checkin.scanning"))
		return
	}
	v.hint.SetText(v.a.tr("checkin.hint"))
	v.search.Submit(func() {
		ps, err := v.a.st.FindPeople(v.a.ctx, t, maxResults+1) // one more tells whether the list is cut
		v.a.do(func() { v.showResults(seq, t, ps, err) })
	})
}

// showResults applies a search answer unless the text changed since.
func (v *checkinView) showResults(seq int, text string, ps []domain.Person, err error) {
	if seq != v.seq {
		return
	}
	if err != nil {
		v.setResults(nil, "")
		v.resultsTitle.SetText(v.a.message(err, "find people"))
		v.showSearchLine(true)
		return
	}
	v.setResults(ps, text)
}

// showSearchLine puts, in the one line under the input, what the search
// found (searching) or the hint: the matches keep the room.
func (v *checkinView) showSearchLine(searching bool) {
	if searching {
		v.hint.Hide()
		v.resultsTitle.Show()
		return
	}
	v.resultsTitle.Hide()
	if !v.readOnly() {
		v.hint.Show()
	}
}

func (v *checkinView) setResults(ps []domain.Person, text string) {
	cut := len(ps) > maxResults
	v.results, v.resultsFor, v.sel = ps, text, 0
	if cut {
		v.results, v.sel = ps[:maxResults], -1
	}
	ps = v.results
	here := map[string]domain.Status{}
	for _, at := range v.attendees {
		here[at.DNI] = at.Status
	}
	for i, p := range ps {
		r := v.rows[i]
		d := personDetail(p)
		if st, ok := here[p.DNI]; ok {
			d = v.a.tr("checkin.alreadyTag", v.a.statusLabel(st)) + " · " + d
		}
		r.person = p
		r.name.SetText(p.FullName())
		r.detail.SetText(d)
		r.SetSelected(i == v.sel)
	}
	// Rows not in use leave the container: refreshing them would measure
	// their old texts for nothing.
	v.resultRows.Objects = v.rowObjects[:len(ps)]
	v.resultRows.Refresh()
	v.showSearchLine(text != "")
	switch {
	case text == "":
		v.resultsTitle.SetText("")
	case len(ps) == 0:
		v.resultsTitle.SetText(v.a.tr("checkin.noResults"))
	case cut:
		v.resultsTitle.SetText(v.a.tr("checkin.moreResults", maxResults))
	case len(ps) == 1:
		v.resultsTitle.SetText(v.a.tr("checkin.oneResult"))
	default:
		v.resultsTitle.SetText(v.a.tr("checkin.results", len(ps)))
	}
}

// resultRow is one row of matches: made once, when the screen is, so that
// a keystroke only sets its texts (a new row would be laid out and its
// text shaped again under the tight theme).
type resultRow struct {
	*kit.TapRow
	name, detail *widget.Label
	person       domain.Person
}

func newResultRow(v *checkinView) *resultRow {
	r := &resultRow{name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), detail: widget.NewLabel("")}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.detail.Truncation = fyne.TextTruncateEllipsis
	r.detail.Importance = widget.LowImportance
	r.TapRow = kit.NewTapRow(container.New(kit.NewColumns(-3, -2), r.name, r.detail), func() { v.markPerson(r.person) })
	return r
}

func personDetail(p domain.Person) string {
	s := "DNI " + domain.FormatDNI(p.DNI)
	if p.Agency != "" {
		s += " · " + p.Agency
	}
	return s
}

func (v *checkinView) key(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyDown, fyne.KeyUp:
		if len(v.results) == 0 {
			return false
		}
		if k.Name == fyne.KeyDown {
			v.sel = min(v.sel+1, len(v.results)-1)
		} else {
			v.sel = max(v.sel-1, 0) // from none, ↑ picks the first too
		}
		for i, r := range v.rows {
			r.SetSelected(i == v.sel)
		}
		return true
	case fyne.KeyEscape:
		v.input.SetText("")
		return true
	case fyne.KeyF10:
		v.askClose()
		return true
	}
	return false
}

// cleanInput trims white space and control characters a scanner may add.
func cleanInput(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}

// noMatchError says a name matched nobody on the roster.
type noMatchError struct{ query string }

func (e noMatchError) Error() string { return "no match" }

// tooManyError says a name matched more people than a list shows.
type tooManyError struct{ query string }

func (e tooManyError) Error() string { return "too many matches" }

// submit handles Enter: the whole text (a scan arrives whole by then) is
// checked in, the input cleared and kept focused at once, and the result
// shown when the store answers. For a name, the highlighted match of the
// results on screen is marked when they answer this very text; otherwise
// the store's best match. A list cut short (more people match than it
// shows) has no highlighted match until ↑↓ pick one: Enter then checks
// in nobody and says so.
func (v *checkinView) submit(text string) {
	t := cleanInput(text)
	if t == "" || v.readOnly() {
		return
	}
	var pick *domain.Person
	if t == v.resultsFor && !domain.LooksLikeScan(t) {
		if in, err := domain.ClassifyInput(t); err == nil && in.Kind == domain.InputName {
			if v.sel < 0 {
				// A cut list and no row picked: say so, keep the text
				// to add to it.
				v.banner.show(bannerError, v.a.tr("checkin.tooMany"), "«"+t+"»", v.a.tr("checkin.tooManyDetail"))
				return
			}
			if v.sel < len(v.results) {
				p := v.results[v.sel]
				pick = &p
			}
		}
	}
	v.input.SetText("")
	v.record(t, pick)
}

// markPerson checks in a person picked from the results.
func (v *checkinView) markPerson(p domain.Person) {
	if v.readOnly() {
		return
	}
	v.input.SetText("")
	v.record(p.DNI, &p)
	v.focusInput()
}

// record checks in on the write queue and shows the outcome.
func (v *checkinView) record(input string, pick *domain.Person) {
	id := v.info.ID
	v.a.work.Write(func() {
		res, err := v.checkIn(id, input, pick)
		var n int64
		var list []storage.Attendee
		var lerr error
		if err == nil {
			n, list, lerr = v.snapshot(id)
		}
		v.a.do(func() {
			if id != v.info.ID {
				return
			}
			v.checkedIn(input, res, err)
			if err == nil {
				v.applyAttendees(id, n, list, lerr)
			}
		})
	})
}

func (v *checkinView) checkIn(id, input string, pick *domain.Person) (storage.CheckInResult, error) {
	ctx := v.a.ctx
	if pick != nil {
		return v.a.st.Mark(ctx, id, pick.DNI, domain.Presente, domain.Search)
	}
	in, err := domain.ClassifyInput(input)
	if err != nil {
		return storage.CheckInResult{}, err
	}
	if in.Kind == domain.InputName {
		// Enter came before the results showed: the best match, unless
		// the list would be cut.
		ps, err := v.a.st.FindPeople(ctx, in.Query, maxResults+1)
		if err != nil {
			return storage.CheckInResult{}, err
		}
		switch {
		case len(ps) == 0:
			return storage.CheckInResult{}, noMatchError{in.Query}
		case len(ps) > maxResults:
			return storage.CheckInResult{}, tooManyError{in.Query}
		}
		return v.a.st.Mark(ctx, id, ps[0].DNI, domain.Presente, domain.Search)
	}
	return v.a.st.CheckIn(ctx, id, input, storage.CheckInOptions{})
}

// checkedIn shows what a check-in did.
func (v *checkinView) checkedIn(input string, res storage.CheckInResult, err error) {
	a := v.a
	var unknown *storage.UnknownPersonError
	var noMatch noMatchError
	var tooMany tooManyError
	var invalid *domain.Error
	switch {
	case err == nil && res.Already:
		v.banner.show(bannerAlready, a.tr("checkin.already"), res.Person.FullName(),
			a.tr("checkin.alreadyDetail", res.Attendance.At.In(domain.Argentina).Format("15:04"), a.statusLabel(res.Attendance.Status)))
	case err == nil:
		v.banner.show(bannerOK, a.tr("checkin.ok"), res.Person.FullName(), personDetail(res.Person))
	case errors.As(err, &unknown):
		name := "DNI " + domain.FormatDNI(unknown.DNI)
		if unknown.Scan != nil {
			name = storage.PersonFromScan(*unknown.Scan).FullName()
		}
		v.banner.show(bannerUnknown, a.tr("checkin.unknown"), name, a.tr("checkin.unknownDetail"))
		v.showWalkIn(unknown)
	case errors.As(err, &noMatch):
		v.banner.show(bannerError, a.tr("checkin.noMatch"), "«"+noMatch.query+"»", a.tr("checkin.noMatchDetail"))
	case errors.As(err, &tooMany):
		v.banner.show(bannerError, a.tr("checkin.tooMany"), "«"+tooMany.query+"»", a.tr("checkin.tooManyDetail"))
		if v.input.Text == "" {
			v.input.SetText(input) // to add the given name to
		}
	case errors.Is(err, domain.ErrClosed):
		v.banner.show(bannerError, a.tr("checkin.closedBadge"), "", a.message(err, "check in"))
		v.reload()
	case errors.As(err, &invalid):
		v.banner.show(bannerError, a.tr("checkin.invalid"), "", a.message(err, "check in"))
	default:
		v.banner.show(bannerError, a.tr("checkin.failed"), "", a.message(err, "check in"))
		// Nothing was recorded: give the text back unless the next
		// person is already being typed.
		if v.input.Text == "" {
			v.input.SetText(input)
		}
	}
}

func (a *App) statusLabel(s domain.Status) string { return a.tr("status." + string(s)) }

// setStatus changes an attendance's status.
func (v *checkinView) setStatus(at storage.Attendee, s domain.Status) {
	if v.readOnly() || s == at.Status {
		return
	}
	id := v.info.ID
	v.a.work.Write(func() {
		err := v.a.st.SetStatus(v.a.ctx, at.ID, s)
		n, list, lerr := v.snapshot(id)
		v.a.do(func() {
			if err != nil {
				v.banner.show(bannerError, v.a.tr("checkin.failed"), at.Person.FullName(), v.a.message(err, "set status"))
			} else {
				v.banner.show(bannerOK, v.a.tr("checkin.statusChanged", v.a.statusLabel(s)), at.Person.FullName(), personDetail(at.Person))
			}
			v.applyAttendees(id, n, list, lerr)
			v.focusInput()
		})
	})
}

// askRemove asks before removing a mistaken check-in.
func (v *checkinView) askRemove(at storage.Attendee) {
	if v.readOnly() {
		return
	}
	a := v.a
	d := dialog.NewConfirm(a.tr("remove.title"), a.tr("remove.question", at.Person.FullName()), func(ok bool) {
		if ok {
			v.remove(at)
		} else {
			v.focusInput()
		}
	}, a.win)
	d.SetConfirmText(a.tr("remove.confirm"))
	d.SetDismissText(a.tr("dialog.cancel"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

func (v *checkinView) remove(at storage.Attendee) {
	id := v.info.ID
	v.a.work.Write(func() {
		err := v.a.st.RemoveAttendance(v.a.ctx, at.ID)
		n, list, lerr := v.snapshot(id)
		v.a.do(func() {
			if err != nil {
				v.banner.show(bannerError, v.a.tr("checkin.failed"), at.Person.FullName(), v.a.message(err, "remove attendance"))
			} else {
				v.banner.show(bannerIdle, v.a.tr("checkin.removed"), at.Person.FullName(), "")
			}
			v.applyAttendees(id, n, list, lerr)
			v.focusInput()
		})
	})
}

// askClose shows the session's summary and asks before closing it.
func (v *checkinView) askClose() {
	if v.readOnly() {
		return
	}
	id := v.info.ID
	v.a.work.Write(func() {
		sum, err := v.a.st.SessionSummary(v.a.ctx, id)
		v.a.do(func() {
			if err != nil {
				v.a.showError(v.a.message(err, "session summary"))
				return
			}
			v.showCloseDialog(sum)
		})
	})
}

func (v *checkinView) showCloseDialog(sum storage.Summary) {
	a := v.a
	row := func(label string, n int) []fyne.CanvasObject {
		num := widget.NewLabelWithStyle(a.num(n), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		return []fyne.CanvasObject{widget.NewLabel(label), num}
	}
	var cells []fyne.CanvasObject
	cells = append(cells, row(a.tr("close.present"), sum.Presente)...)
	cells = append(cells, row(a.tr("close.late"), sum.Tarde)...)
	cells = append(cells, row(a.tr("close.excused"), sum.Justificado)...)
	cells = append(cells, row(a.tr("close.absent"), sum.Ausente)...)
	cells = append(cells, row(a.tr("close.walkIns"), sum.WalkIns)...)
	cells = append(cells, row(a.tr("close.total"), sum.Total)...)
	note := widget.NewLabel(a.tr("close.note"))
	note.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(
		container.New(&kit.FixedWidth{W: 420}, container.NewGridWithColumns(2, cells...)),
		widget.NewSeparator(), note)
	d := dialog.NewCustomConfirm(a.tr("close.title"), a.tr("close.confirm"), a.tr("dialog.cancel"), content, func(ok bool) {
		v.closeDialog = nil
		if ok {
			v.close()
		} else {
			v.focusInput()
		}
	}, a.win)
	d.SetConfirmImportance(widget.WarningImportance)
	v.closeDialog = d
	d.Show()
}

// close closes the session; the screen turns read-only.
func (v *checkinView) close() {
	id := v.info.ID
	v.a.work.Write(func() {
		_, err := v.a.st.CloseSession(v.a.ctx, id)
		if err == nil {
			v.a.syncSoon() // the closed session can travel now
		}
		info, ierr := v.a.st.Session(v.a.ctx, id)
		v.a.do(func() {
			if err != nil {
				v.a.showError(v.a.message(err, "close session"))
			}
			if ierr == nil {
				v.banner.kind = bannerIdle // showInfo fills it for the closed session
				v.showInfo(info)
			}
			v.a.status.refresh()
		})
	})
}

// attendeeColumns lays out the attendee list: name, DNI, agency, status,
// time and the remove button.
func attendeeColumns() *kit.Columns { return kit.NewColumns(-1, 96, 136, 50, 36) }

// attendeeRow is one line of the attendee list.
type attendeeRow struct {
	widget.BaseWidget
	v      *checkinView
	name   *widget.Label
	dni    *widget.Label
	agency *widget.Label
	status *widget.Select
	at     *widget.Label
	remove *widget.Button
	row    fyne.CanvasObject
	att    storage.Attendee
}

func newAttendeeRow(v *checkinView) *attendeeRow {
	a := v.a
	r := &attendeeRow{v: v,
		name:   widget.NewLabel(""),
		dni:    widget.NewLabel(""),
		agency: widget.NewLabel(""),
		at:     widget.NewLabel(""),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.name.TextStyle.Bold = true
	r.agency.Truncation = fyne.TextTruncateEllipsis
	r.agency.Importance = widget.LowImportance
	r.agency.SizeName = theme.SizeNameCaptionText
	var labels []string
	for _, s := range domain.Statuses {
		labels = append(labels, a.statusLabel(s))
	}
	r.status = widget.NewSelect(labels, nil)
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { v.askRemove(r.att) })
	r.remove.Importance = widget.LowImportance
	who := container.New(layout.NewCustomPaddedVBoxLayout(-14), r.name, r.agency)
	r.row = container.New(&kit.PaddedBy{H: 8}, container.New(attendeeColumns(), who, r.dni, r.status, r.at, r.remove))
	r.ExtendBaseWidget(r)
	return r
}

func (r *attendeeRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.row) }

func (r *attendeeRow) set(at storage.Attendee, _ int) {
	a := r.v.a
	r.att = at
	r.name.SetText(at.Person.FullName())
	r.dni.SetText(domain.FormatDNI(at.DNI))
	agency := at.Person.Agency
	if at.Method == domain.WalkIn {
		agency = strings.TrimPrefix(agency+" · "+a.tr("checkin.walkInTag"), " · ")
	}
	r.agency.SetText(agency)
	r.status.OnChanged = nil
	r.status.SetSelected(a.statusLabel(at.Status))
	r.status.OnChanged = func(label string) {
		for _, s := range domain.Statuses {
			if a.statusLabel(s) == label {
				r.v.setStatus(r.att, s)
			}
		}
	}
	r.at.SetText(at.At.In(domain.Argentina).Format("15:04"))
	if r.v.readOnly() {
		r.status.Disable()
		r.remove.Hide()
	} else {
		r.status.Enable()
		r.remove.Show()
	}
}

// resultsTheme tightens the rows of matches, one line each, so that eight
// fit under the input at 1280×680.
var resultsTheme = kit.Override{Sizes: map[fyne.ThemeSizeName]float32{
	theme.SizeNameInnerPadding: 5,
	theme.SizeNamePadding:      2,
}}

// bigTheme enlarges the check-in input, read from a step away.
var bigTheme = kit.Override{Sizes: map[fyne.ThemeSizeName]float32{
	theme.SizeNameText:         26,
	theme.SizeNameInputBorder:  3,
	theme.SizeNameInnerPadding: 12,
}}
