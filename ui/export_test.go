package ui

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/ui/kit"
)

// NewForTest builds the app like New, but the UI updates of background
// work wait in a queue that Wait runs on the test's goroutine, as the
// main loop would, so tests are deterministic and race-free.
func NewForTest(w fyne.Window, st Store, opt Options) *App {
	return newApp(w, st, opt, kit.NewTestWork())
}

// Texts exposes the label table.
func Texts() map[string][2]string { return texts }

var screenNames = map[screen]string{
	screenSessions: "sessions", screenNewSession: "new-session", screenCheckIn: "checkin",
	screenRoster: "roster", screenSettings: "settings",
}

func (a *App) Screen() string                    { return screenNames[a.current] }
func (a *App) NavSessions() *widget.Button       { return a.navSessions }
func (a *App) NavRoster() *widget.Button         { return a.navRoster }
func (a *App) NavSettings() *widget.Button       { return a.navSettings }
func (a *App) AboutButton() *widget.Button       { return a.aboutButton }
func (a *App) StatusText() string                { return a.status.text() }
func (a *App) Tr(key string, args ...any) string { return a.tr(key, args...) }
func (a *App) AboutText() (string, string)       { return a.aboutText() }

// Session list.
func (a *App) SessionFilter() *widget.RadioGroup   { return a.sessions.filter }
func (a *App) NewSessionButton() *widget.Button    { return a.sessions.newButton }
func (a *App) SessionItems() []storage.SessionInfo { return a.sessions.items }
func (a *App) TapSession(i int)                    { a.sessions.list.Select(i) }

// New session form.
func (a *App) FormActivity() *kit.KeyEntry       { return a.form.activity.entry }
func (a *App) FormActivitySuggestions() []string { return a.form.activity.suggestions() }
func (a *App) FormDate() *widget.Entry           { return a.form.date }
func (a *App) FormStart() *widget.Entry          { return a.form.start }
func (a *App) FormEnd() *widget.Entry            { return a.form.end }
func (a *App) FormProvince() *widget.Select      { return a.form.province }
func (a *App) FormMunicipality() *kit.KeyEntry   { return a.form.municipality.entry }
func (a *App) FormPlaceSuggestions() []string    { return a.form.municipality.suggestions() }
func (a *App) FormVenue() *widget.Entry          { return a.form.venue }
func (a *App) FormInstructor() *widget.Entry     { return a.form.instructor }
func (a *App) FormSave() *widget.Button          { return a.form.saveButton }
func (a *App) FormError(field string) string     { return a.form.fields[field].ErrorText() }

// Check-in.
func (a *App) CheckinInput() *kit.KeyEntry          { return a.checkin.input }
func (a *App) CheckinSessionID() string             { return a.checkin.info.ID }
func (a *App) CheckinTitle() string                 { return a.checkin.title.Text }
func (a *App) CheckinAttendees() []storage.Attendee { return a.checkin.attendees }
func (a *App) CheckinCounter() string               { return a.checkin.counter.Text }
func (a *App) CheckinCloseButton() *widget.Button   { return a.checkin.closeButton }
func (a *App) CheckinStateBadge() string            { return a.checkin.state.Text.Text }
func (a *App) CheckinHint() string                  { return a.checkin.hint.Text }

var bannerNames = map[bannerKind]string{
	bannerIdle: "idle", bannerOK: "ok", bannerAlready: "already", bannerUnknown: "unknown", bannerError: "error",
}

// Banner returns the banner's kind, title, name and detail.
func (a *App) Banner() (kind, title, name, detail string) {
	b := a.checkin.banner
	return bannerNames[b.kind], b.title.Text, b.name.Text, b.detail.Text
}

// CheckinResults returns the names of the matches showing, as their
// rows show them.
func (a *App) CheckinResults() []string {
	var out []string
	for _, r := range a.checkin.rows[:len(a.checkin.resultRows.Objects)] {
		out = append(out, r.name.Text)
	}
	return out
}

// CheckinResultRow returns the tappable row of match i.
func (a *App) CheckinResultRow(i int) fyne.Tappable {
	return a.checkin.rows[i].TapRow
}

// attendeeRow finds the rendered row of the attendee with that ID.
func (a *App) attendeeRow(id string) *attendeeRow {
	for _, o := range test.LaidOutObjects(a.checkin.list) {
		if r, ok := o.(*attendeeRow); ok && r.att.ID == id && r.Visible() {
			return r
		}
	}
	return nil
}

// AttendeeStatus returns the status select of the attendee's row.
func (a *App) AttendeeStatus(attendanceID string) *widget.Select {
	if r := a.attendeeRow(attendanceID); r != nil {
		return r.status
	}
	return nil
}

// AttendeeRemove returns the remove button of the attendee's row.
func (a *App) AttendeeRemove(attendanceID string) *widget.Button {
	if r := a.attendeeRow(attendanceID); r != nil {
		return r.remove
	}
	return nil
}

// Walk-in dialog.
func (a *App) WalkInShowing() bool { return a.checkin.walkIn != nil }
func (a *App) WalkInEntry(field string) *widget.Entry {
	f := a.checkin.walkIn
	return map[string]*widget.Entry{"dni": f.dni, "cuil": f.cuil, "surname": f.sur,
		"given_names": f.given, "agency": f.agency, "email": f.email}[field]
}
func (a *App) WalkInError(field string) string { return a.checkin.walkIn.fields[field].ErrorText() }
func (a *App) WalkInSave() *widget.Button      { return a.checkin.walkIn.save }
func (a *App) WalkInCancel() *widget.Button    { return a.checkin.walkIn.cancel }

// Roster.
func (a *App) RosterSearch() *widget.Entry { return a.roster.search }
func (a *App) RosterResults() []string {
	var out []string
	for _, p := range a.roster.results {
		out = append(out, p.FullName())
	}
	return out
}
func (a *App) RosterCount() string                       { return a.roster.count.Text }
func (a *App) RosterImport(name string, r io.ReadCloser) { a.roster.importFrom(name, r) }
func (a *App) RosterImportButton() *widget.Button        { return a.roster.importButton }
func (a *App) RosterProgress() float64 {
	f, _ := a.roster.progress.Get()
	return f
}
func (a *App) RosterProgressBar() *widget.ProgressBar { return a.roster.bar }
func (a *App) RosterSummary() string                  { return a.roster.summary.Text }
func (a *App) RosterRejects() []storage.RejectedLine  { return a.roster.report.Rejects }
func (a *App) RosterSaveButton() *widget.Button       { return a.roster.saveButton }
func (a *App) RosterSaveReport(path string) error     { return a.roster.saveReport(path) }

// Settings.
func (a *App) LanguageChoice() *widget.RadioGroup { return a.settings.lang }

// Pump runs the UI updates queued so far, without waiting for running
// work.
func (a *App) Pump() { a.work.Pump() }

// RosterOnProgress calls fn with each progress value the import sets.
func (a *App) RosterOnProgress(fn func(float64)) {
	a.roster.progress.AddListener(binding.NewDataListener(func() {
		f, _ := a.roster.progress.Get()
		fn(f)
	}))
}

// Status bar sync part.
func (a *App) SyncText() string              { return a.status.sync.Text }
func (a *App) SyncNowButton() *widget.Button { return a.status.syncNow }

// OpenSessionForTest opens the check-in screen on a session.
func (a *App) OpenSessionForTest(id string) { a.openSession(id) }

// CentralEntryButton returns the settings screen's button that opens the
// Central workspace, or nil.
func (a *App) CentralEntryButton() *widget.Button {
	for _, o := range test.LaidOutObjects(a.settings.content) {
		if b, ok := o.(*widget.Button); ok && b.Text == a.tr("centralEntry.open") {
			return b
		}
	}
	return nil
}

// OpenCentralForTest opens the Central workspace as the settings button
// does, and returns the registry address its login form offers (the
// first entry of the window it opened) and a function that stops it.
func (a *App) OpenCentralForTest() (url string, stop func()) {
	c := a.openCentral()
	wins := fyne.CurrentApp().Driver().AllWindows()
	for _, o := range test.LaidOutObjects(wins[len(wins)-1].Content()) {
		if e, ok := o.(*widget.Entry); ok {
			return e.Text, c.Stop
		}
	}
	return "", c.Stop
}

// CentralURLForTest is the address the login form offers.
func (a *App) CentralURLForTest() string { return a.centralURL() }

// SetZoneOffset makes the computer's zone offset off seconds and shows
// the clock warning again.
func (a *App) SetZoneOffset(off int) {
	a.zoneOffset = func() int { return off }
	a.status.showClock()
}

// ClockWarning returns the status bar's clock warning, "" when hidden.
func (a *App) ClockWarning() string {
	if !a.status.clock.Visible() {
		return ""
	}
	return a.status.clock.Text
}

// ClockWarningButton returns the status bar's clock warning.
func (a *App) ClockWarningButton() *widget.Button { return a.status.clock }

// AttendeeTime returns the time shown in the attendee's row, scrolled
// into view.
func (a *App) AttendeeTime(attendanceID string) string {
	for i, at := range a.checkin.attendees {
		if at.ID == attendanceID {
			a.checkin.list.ScrollTo(i)
		}
	}
	if r := a.attendeeRow(attendanceID); r != nil {
		return r.at.Text
	}
	return ""
}

// CheckinResultsTitle returns the line above the matches.
func (a *App) CheckinResultsTitle() string { return a.checkin.resultsTitle.Text }

// StatusBarBottom returns where the status bar ends, from the top of the
// window, and its height.
func (a *App) StatusBarBottom() (bottom, height float32) {
	c := a.status.content
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(c)
	return pos.Y + c.Size().Height, c.Size().Height
}

// StatusBarVisible reports whether the status bar is shown.
func (a *App) StatusBarVisible() bool {
	return a.status.content.Visible() && a.status.syncNow.Visible()
}

// ShowScreen shows a screen by name, as its navigation would.
func (a *App) ShowScreen(name string) {
	switch name {
	case "sessions":
		a.showSessions()
	case "new-session":
		a.showNewSession()
	case "roster":
		a.showRoster()
	case "settings":
		a.showSettings()
	case "problems":
		a.showProblems()
	case "survey": // of the session last opened
		a.showSurvey(a.checkin.info.ID)
	}
}

// ResultRowsVisible counts the matches whose whole row shows in the
// results' scroll without scrolling.
func (a *App) ResultRowsVisible() int {
	v := a.checkin
	n := 0
	for _, o := range v.resultRows.Objects {
		if o.Position().Y+o.Size().Height <= v.resultScroll.Size().Height+0.5 {
			n++
		}
	}
	return n
}

// FormActivityInfo returns the line under the activity of the new
// session form.
func (a *App) FormActivityInfo() string { return a.form.activityInfo.Text }
