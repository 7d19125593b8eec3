// Package ui is the instructor's desktop app (Fyne): the session list
// and form, check-in with walk-ins, the roster and its CSV import,
// printing (attendance sheets, certificates, the attendance CSV) and the
// issuing office, the settings with enrollment, and a status bar with
// the sync status and the records the registry rejected. It talks to the
// store, the sync and the reports through small interfaces and the
// Options it is built with, and never runs SQL itself. SyncLink joins it
// to a device's background sync. From the settings it opens the central
// staff's workspace (package ui/central) in a window of its own; both
// are drawn with the shared shell in ui/kit.
package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	fynestorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// Options tune the app.
type Options struct {
	// Sync plugs live sync status and a "sync now" button into the status
	// bar; with nil the bar shows only how many sessions wait to sync.
	Sync SyncStatus
	// Enroll plugs the enrollment form into the settings screen; with nil
	// the screen only shows the current enrollment.
	Enroll Enroller
	// Reports lets the session screen print (the sheet, certificates,
	// the attendance CSV) and the settings screen edit the issuing
	// office; with nil they say this installation cannot print.
	// *storage.Store satisfies it.
	Reports Reports
	// DataDir is shown in the settings screen, and printed files are
	// never written inside it.
	DataDir string
	// Participants lets a virtual or hybrid session load a meeting
	// platform's participants report; with nil the button does not show.
	// *storage.Store satisfies it.
	Participants Participants
	// Surveys lets the session screen open the anonymous survey kiosk
	// ("Encuesta"); with nil the button does not show. *storage.Store
	// satisfies it.
	Surveys Surveys
}

// screen names what the window shows.
type screen int

const (
	screenSessions screen = iota
	screenNewSession
	screenCheckIn
	screenRoster
	screenSettings
	screenProblems
	screenSurvey
)

// App is the desktop app: a header with navigation, one screen at a time
// and a status bar.
type App struct {
	win  fyne.Window
	st   Store
	opt  Options
	lang string
	ctx  context.Context
	work *kit.Work
	// zoneOffset returns the UTC offset of the computer's zone now, in
	// seconds; tests replace it.
	zoneOffset func() int
	// quit ends the clock that keeps "hace 5 min" current.
	quit     chan struct{}
	quitOnce sync.Once

	current screen
	body    *fyne.Container

	navSessions *widget.Button
	navRoster   *widget.Button
	navSettings *widget.Button
	aboutButton *widget.Button

	status   *statusBar
	sessions *sessionsView
	form     *sessionForm
	checkin  *checkinView
	roster   *rosterView
	settings *settingsView
	problems *problemsView
	survey   *surveyKiosk
}

// New builds the app in w on the store st and shows the session list.
// It reads the remembered language; everything else loads in the
// background so the first frame is not held up.
func New(w fyne.Window, st Store, opt Options) *App { return newApp(w, st, opt, kit.NewWork()) }

func newApp(w fyne.Window, st Store, opt Options, work *kit.Work) *App {
	a := &App{win: w, st: st, opt: opt, lang: "es", ctx: context.Background(), work: work, quit: make(chan struct{}),
		zoneOffset: func() int { _, off := time.Now().Zone(); return off }}
	if l, err := st.Setting(a.ctx, settingLang, "es"); err == nil {
		a.lang = kit.Lang(l)
	}
	if app := fyne.CurrentApp(); app != nil {
		app.Settings().SetTheme(kit.Theme())
	}
	w.SetTitle("Puntos")
	a.sizeWindow(w, settingWindowSize, nil)
	a.build()
	if opt.Sync != nil {
		opt.Sync.OnSyncChange(a.syncChanged)
		go a.syncClock()
	}
	a.showSessions()
	return a
}

// sizeWindow opens w at the size remembered under key (at most
// kit.MaxWindow), centered, and remembers its size when it closes, then
// calls closed (when not nil).
func (a *App) sizeWindow(w fyne.Window, key string, closed func()) {
	remembered, err := a.st.Setting(a.ctx, key, "")
	if err != nil {
		slog.Error("read window size", "err", err)
	}
	w.Resize(kit.WindowSize(remembered, kit.MaxWindow))
	w.CenterOnScreen()
	onClosed := func() {
		size := kit.SizeText(w.Canvas().Size())
		a.work.Write(func() {
			if err := a.st.SetSetting(a.ctx, key, size); err != nil {
				slog.Error("save window size", "err", err)
			}
		})
		if closed != nil {
			closed()
		}
	}
	w.SetOnClosed(onClosed)
}

// Wait blocks until background work (searches, check-ins, imports) has
// finished and its results are on screen; tests call it before looking at
// the result of an action.
func (a *App) Wait() { a.work.Wait() }

// Stop waits for background work to reach the store (no check-in queued
// at closing time is lost) and drops its screen updates. Call it after
// the window closed, before closing the store.
func (a *App) Stop() {
	a.quitOnce.Do(func() { close(a.quit) })
	a.work.Stop()
}

// do applies the results of background work on the main goroutine.
func (a *App) do(fn func()) { a.work.Do(fn) }

// Lang returns the language of the labels, "es" or "en".
func (a *App) Lang() string { return a.lang }

// build makes every screen in the current language and puts the shell in
// the window.
func (a *App) build() {
	a.navSessions = a.navButton(a.tr("nav.sessions"), theme.ListIcon(), a.showSessions)
	a.navRoster = a.navButton(a.tr("nav.roster"), theme.AccountIcon(), a.showRoster)
	a.navSettings = a.navButton(a.tr("nav.settings"), theme.SettingsIcon(), a.showSettings)
	a.aboutButton = widget.NewButtonWithIcon(a.tr("nav.about"), theme.InfoIcon(), a.showAbout)
	a.aboutButton.Importance = widget.LowImportance

	icon := canvas.NewImageFromResource(Icon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(30, 30))
	name := canvas.NewText("Puntos", kit.ColorPrimary)
	name.TextSize = 20
	name.TextStyle = fyne.TextStyle{Bold: true}
	brand := container.NewHBox(icon, name, layout.NewSpacer())
	nav := container.NewHBox(a.navSessions, a.navRoster, a.navSettings)
	header := kit.Bar(kit.ColorBar, container.New(&kit.PaddedBy{H: 12, V: 6},
		container.NewBorder(nil, nil, container.NewHBox(brand, widget.NewSeparator(), nav), a.aboutButton)))

	a.status = newStatusBar(a)
	a.sessions = newSessionsView(a)
	a.form = newSessionForm(a)
	a.survey = newSurveyKiosk(a) // before the session screen, which shows its button
	a.checkin = newCheckinView(a)
	a.roster = newRosterView(a)
	a.settings = newSettingsView(a)
	a.problems = newProblemsView(a)
	// Rejected records show above the session list too.
	a.sessions.content = container.NewBorder(a.problems.banner, nil, nil, nil, a.sessions.content)

	a.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) {
			if a.current != screenNewSession {
				a.showNewSession()
			}
		})

	a.body = container.NewStack()
	a.win.SetContent(container.NewBorder(
		container.NewVBox(header, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), a.status.content),
		nil, nil, a.body))
	a.status.refresh()
}

func (a *App) navButton(label string, icon fyne.Resource, tap func()) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, tap)
	b.Importance = widget.LowImportance
	return b
}

// show puts a screen's content in the body and marks its nav button.
func (a *App) show(s screen, content fyne.CanvasObject) {
	a.current = s
	a.body.Objects = []fyne.CanvasObject{content}
	a.body.Refresh()
	for b, on := range map[*widget.Button]bool{
		a.navSessions: s == screenSessions || s == screenNewSession || s == screenCheckIn || s == screenProblems || s == screenSurvey,
		a.navRoster:   s == screenRoster,
		a.navSettings: s == screenSettings,
	} {
		if on {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
}

func (a *App) showSessions() {
	a.show(screenSessions, a.sessions.content)
	a.sessions.refresh()
	a.win.Canvas().Focus(a.sessions.list) // ↑↓ and Space open a session
}

func (a *App) showNewSession() {
	a.form.reset()
	a.show(screenNewSession, a.form.content)
	a.win.Canvas().Focus(a.form.activity.entry)
}

// openSession shows the check-in screen for the session with that ID.
func (a *App) openSession(id string) {
	a.checkin.open(id)
	a.show(screenCheckIn, a.checkin.content)
	a.checkin.focusInput()
}

func (a *App) showRoster() {
	a.show(screenRoster, a.roster.content)
	a.roster.refresh()
	a.win.Canvas().Focus(a.roster.search)
}

func (a *App) showSettings() {
	a.show(screenSettings, a.settings.content)
	a.settings.enroll.load()
}

// setLang switches the labels' language, remembers it and rebuilds the
// screens, staying on the current one.
func (a *App) setLang(lang string) {
	lang = kit.Lang(lang)
	if lang == a.lang {
		return
	}
	a.lang = lang
	sessionID, surveyID, current := a.checkin.info.ID, a.survey.sessionID, a.current
	a.work.Write(func() {
		if err := a.st.SetSetting(a.ctx, settingLang, lang); err != nil {
			slog.Error("save language", "err", err)
		}
	})
	a.build()
	switch {
	case current == screenCheckIn && sessionID != "":
		a.openSession(sessionID)
	case current == screenRoster:
		a.showRoster()
	case current == screenSettings:
		a.showSettings()
	case current == screenProblems:
		a.showProblems()
	case current == screenSurvey && surveyID != "":
		a.showSurvey(surveyID)
	default:
		a.showSessions()
	}
}

// message returns the text to show a person for err in the app's
// language, logging errors that are not the person's to fix. It never
// logs personal data: storage errors carry none.
func (a *App) message(err error, what string) string {
	if _, ok := err.(*domain.Error); !ok {
		slog.Error(what, "err", err)
	}
	return domain.Message(err, a.lang)
}

// showError shows a dialog with a message for a person.
func (a *App) showError(msg string) {
	d := dialog.NewInformation(a.tr("dialog.errorTitle"), msg, a.win)
	d.Show()
}

// openFile shows a file-open dialog for the files ending in one of exts
// and calls open with the path chosen; setup, when not nil, adjusts the
// dialog before it shows. Its places are named in the app's language.
func (a *App) openFile(exts []string, open func(path string), setup func(*dialog.FileDialog)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		open(path)
	}, a.win)
	d.SetFilter(fynestorage.NewExtensionFileFilter(exts))
	if setup != nil {
		setup(d)
	}
	d.Show()
	kit.NamePlaces(a.win, a.lang)
}
