package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/ui/kit"
)

// SyncStatus is live sync state that the sync client plugs into the
// status bar through Options.Sync. Its methods may be called from any
// goroutine and must not block.
type SyncStatus interface {
	// SyncState returns the current state.
	SyncState() SyncState
	// OnSyncChange registers fn to be called, from any goroutine, after
	// the state changes (a sync started or ended, the queue changed).
	OnSyncChange(fn func())
	// SyncNow starts a sync in the background unless one is running; it
	// returns at once, and reports through OnSyncChange.
	SyncNow()
}

// SyncState is what the status bar shows about syncing.
type SyncState struct {
	Running bool // a sync is under way (possibly waiting to retry)
	// Progress tells how far the sync under way is.
	Progress device.Progress
	LastSync time.Time // the last successful sync; zero if none yet
	// LastError is the last attempt's failure as a message for a person
	// (already in the app's language); empty when it worked.
	LastError string
	// NotEnrolled is true when the device has no enrollment yet: the bar
	// sends the person to the settings instead of offering a sync.
	NotEnrolled bool
	// AuthFailed is true when the registry refused the device's
	// credentials (revoked or unknown): it must be enrolled again.
	AuthFailed bool
	// ClockDrift is this computer's clock minus the registry's at the
	// last answer of a sync; ClockChecked says whether there was one.
	ClockDrift   time.Duration
	ClockChecked bool
}

// statusBar shows how many closed sessions (and records) wait to be
// synced, the roster size, the records the registry objected to and,
// when a SyncStatus is plugged in, the sync state with a progress bar and
// a "Sincronizar ahora" button.
type statusBar struct {
	a        *App
	pending  *widget.Label
	records  *widget.Label
	people   *widget.Label
	problems *widget.Button
	clock    *widget.Button // a warning when the computer's clock is off
	sync     *widget.Label
	details  *widget.Button // the whole message, when the bar cuts it
	progress binding.Float
	bar      *widget.ProgressBar
	barBox   fyne.CanvasObject
	syncNow  *widget.Button
	settings *widget.Button
	content  fyne.CanvasObject
	load     kit.Latest
	seq      int

	// state is the sync state shown; storedSync the last successful sync
	// the store remembers, from an earlier run of the app.
	state      SyncState
	storedSync time.Time
	// nProblems is the number of records the registry objected to.
	nProblems int
}

// counts is what the status bar reads from the store.
type counts struct {
	sessions  int
	err       error
	people    int
	errPeople error
	sync      storage.SyncStatus
	errSync   error
}

func newStatusBar(a *App) *statusBar {
	b := &statusBar{a: a, load: kit.Latest{Work: a.work}, progress: binding.NewFloat()}
	caption := func(imp widget.Importance) *widget.Label {
		l := widget.NewLabel("")
		l.SizeName = theme.SizeNameCaptionText
		l.Importance = imp
		return l
	}
	b.pending = caption(widget.MediumImportance)
	b.records = caption(widget.LowImportance)
	b.records.Hide()
	b.people = caption(widget.LowImportance)
	b.problems = widget.NewButtonWithIcon("", theme.WarningIcon(), a.showProblems)
	b.problems.Importance = widget.LowImportance
	b.problems.Hide()
	b.clock = widget.NewButtonWithIcon("", theme.WarningIcon(), b.showClockDetails)
	b.clock.Importance = widget.WarningImportance
	b.clock.Hide()
	b.sync = caption(widget.LowImportance)
	b.sync.Alignment = fyne.TextAlignTrailing
	// One line, cut with "…" when the window is narrow: a wrapping label
	// here makes the bar as tall as its first, zero-width measure.
	b.sync.Truncation = fyne.TextTruncateEllipsis
	b.details = widget.NewButtonWithIcon("", theme.InfoIcon(), b.showDetails)
	b.details.Importance = widget.LowImportance
	b.details.Hide()
	b.bar = widget.NewProgressBarWithData(b.progress)
	b.bar.TextFormatter = func() string { return "" }
	b.barBox = container.NewCenter(container.New(&fixedSize{size: fyne.NewSize(120, 8)}, b.bar))
	b.barBox.Hide()
	b.syncNow = widget.NewButtonWithIcon(a.tr("status.syncNow"), theme.ViewRefreshIcon(), func() {
		if a.opt.Sync != nil {
			a.opt.Sync.SyncNow()
		}
	})
	b.syncNow.Importance = widget.LowImportance
	b.settings = widget.NewButtonWithIcon(a.tr("status.goSettings"), theme.SettingsIcon(), a.showEnrollment)
	b.settings.Importance = widget.HighImportance
	b.settings.Hide()
	right := container.NewHBox(b.details, b.barBox, b.syncNow, b.settings)
	if a.opt.Sync == nil {
		right.Hide()
		b.sync.Hide()
	}
	left := container.NewHBox(b.pending, b.records, widget.NewSeparator(), b.people, b.problems, b.clock)
	b.content = kit.Bar(kit.ColorBar, container.New(&kit.PaddedBy{H: 8, V: 0},
		container.NewBorder(nil, nil, left, right, b.sync)))
	return b
}

// refresh reloads the counts in the background and reads the sync state.
func (b *statusBar) refresh() {
	b.reload()
	if s := b.a.opt.Sync; s != nil {
		b.showSync(s.SyncState())
	} else {
		b.showClock()
	}
}

// reload reads the counts in the background; the newest read wins.
func (b *statusBar) reload() {
	b.seq++
	seq := b.seq
	b.load.Submit(func() {
		var c counts
		c.sessions, c.err = b.a.st.CountWaiting(b.a.ctx)
		c.people, c.errPeople = b.a.st.CountPeople(b.a.ctx)
		c.sync, c.errSync = b.a.st.SyncStatus(b.a.ctx)
		b.a.do(func() { b.show(seq, c) })
	})
}

// syncChanged shows a new sync state, read when it changed, and reloads
// the counts when records may have moved.
func (b *statusBar) syncChanged(s SyncState) {
	prev := b.state
	b.showSync(s)
	if prev.Running != s.Running || prev.Progress != s.Progress || prev.NotEnrolled != s.NotEnrolled {
		b.reload()
		// A sync that ended changed the sessions' states and the problems.
		if ended := prev.Running && !s.Running; ended && b.a.current == screenProblems {
			b.a.problems.refresh()
		} else if ended && b.a.current == screenSessions {
			b.a.sessions.refresh()
		}
	}
}

func (b *statusBar) show(seq int, c counts) {
	if seq != b.seq {
		return
	}
	records := 0
	if c.errSync == nil {
		records = c.sync.Pending
		b.storedSync = c.sync.LastSync
		b.nProblems = c.sync.Problems
	}
	switch {
	case c.err != nil || c.errSync != nil:
		// Unknown is not "all synced".
		b.pending.Importance = widget.MediumImportance
		b.pending.SetText(b.a.tr("status.pendingUnknown"))
	case c.sessions == 0 && records > 0:
		// Walk-ins, or certificates issued after their session synced:
		// each waits for its receipt like a session.
		b.pending.Importance = widget.WarningImportance
		b.pending.SetText(b.a.plural(records, "status.recordsOnlyOne", "status.recordsOnlyMany"))
	case c.sessions == 0:
		b.pending.Importance = widget.MediumImportance
		b.pending.SetText(b.a.tr("status.nothingPending"))
	default:
		b.pending.Importance = widget.WarningImportance
		b.pending.SetText(b.a.plural(c.sessions, "status.pendingOne", "status.pendingMany"))
	}
	if c.err == nil && c.sessions > 0 && records > 0 {
		b.records.SetText(b.a.plural(records, "status.recordsOne", "status.recordsMany"))
		b.records.Show()
	} else {
		b.records.Hide()
	}
	if c.errPeople == nil {
		b.people.SetText(b.a.plural(c.people, "status.peopleOne", "status.peopleMany"))
	}
	if b.nProblems > 0 {
		b.problems.SetText(b.a.plural(b.nProblems, "status.problemsOne", "status.problemsMany"))
		b.problems.Show()
	} else {
		b.problems.Hide()
	}
	b.a.showProblemsBanner(b.nProblems)
	if b.a.opt.Sync != nil {
		b.showSync(b.state)
	}
}

// showSync shows the sync state: what a sync under way does, why the
// last one failed, or when the last one worked.
func (b *statusBar) showSync(s SyncState) {
	b.state = s
	b.showClock()
	a := b.a
	running := s.Running && s.LastError == "" && !s.NotEnrolled && !s.AuthFailed
	b.syncNow.Show()
	b.settings.Hide()
	b.barBox.Hide()
	b.details.Hide()
	b.syncNow.Enable()
	switch {
	case s.NotEnrolled:
		b.sync.Importance = widget.WarningImportance
		b.sync.SetText(a.tr("status.notEnrolled"))
		b.syncNow.Hide()
		b.settings.SetText(a.tr("status.goSettings"))
		b.settings.Show()
	case s.AuthFailed:
		// The registry's own message, longer, shows in the settings.
		b.sync.Importance = widget.DangerImportance
		b.sync.SetText(a.tr("status.authFailed"))
		b.details.Show()
		b.syncNow.Hide()
		b.settings.SetText(a.tr("status.enrollAgain"))
		b.settings.Show()
	case running:
		b.sync.Importance = widget.MediumImportance
		b.sync.SetText(a.syncPhase(s.Progress))
		b.progress.Set(progressOf(s.Progress))
		b.barBox.Show()
		b.syncNow.Disable()
	case s.LastError != "":
		// While a sync waits to retry, "Sincronizar ahora" retries at once.
		b.sync.Importance = widget.DangerImportance
		if s.Running {
			b.sync.Importance = widget.WarningImportance
		}
		b.sync.SetText(s.LastError)
		b.details.Show()
	default:
		last := s.LastSync
		if b.storedSync.After(last) {
			last = b.storedSync
		}
		b.sync.Importance = widget.LowImportance
		if last.IsZero() {
			b.sync.SetText(a.tr("status.neverSynced"))
		} else {
			b.sync.SetText(a.tr("status.lastSync", a.when(last, time.Now())))
		}
	}
}

// showDetails shows the sync's last error whole, with what the device
// keeps meanwhile.
func (b *statusBar) showDetails() {
	a := b.a
	msg := b.state.LastError
	if b.state.AuthFailed {
		msg = a.tr("status.authFailed") + "\n\n" + msg
	}
	text := widget.NewLabel(msg + "\n\n" + a.tr("status.detailsKept"))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(a.tr("status.detailsTitle"), a.tr("dialog.close"),
		container.New(&kit.FixedWidth{W: 460}, text), a.win)
	d.Show()
}

// clockCheck returns what is known of this computer's clock: its zone
// now, and how far it was from the registry's at the last sync.
func (b *statusBar) clockCheck() domain.ClockCheck {
	return domain.ClockCheck{ZoneOffset: b.a.zoneOffset(), Drift: b.state.ClockDrift, Checked: b.state.ClockChecked}
}

// showClock warns when the computer's clock is off from the registry's,
// or its zone is not Argentina's: times are stored in UTC and shown in
// Argentina's time anyway, but a wrong clock stamps wrong times.
func (b *statusBar) showClock() {
	c := b.clockCheck()
	switch {
	case c.Drifted():
		b.clock.SetText(b.a.tr("status.clockDrift"))
	case c.WrongZone():
		b.clock.SetText(b.a.tr("status.clockZone"))
	default:
		b.clock.Hide()
		return
	}
	b.clock.Show()
}

// showClockDetails says what is off with the clock and what to do.
func (b *statusBar) showClockDetails() {
	a, c := b.a, b.clockCheck()
	var parts []string
	if c.Drifted() {
		ahead := a.tr("status.clockAhead")
		if c.Drift < 0 {
			ahead = a.tr("status.clockBehind")
		}
		parts = append(parts, a.tr("status.clockDriftDetail", a.minutes(c.Drift.Abs()), ahead))
	}
	if c.WrongZone() {
		parts = append(parts, a.tr("status.clockZoneDetail", zoneText(c.ZoneOffset)))
	}
	parts = append(parts, a.tr("status.clockShown"))
	text := widget.NewLabel(strings.Join(parts, "\n\n"))
	text.Wrapping = fyne.TextWrapWord
	dialog.NewCustom(a.tr("status.clockTitle"), a.tr("dialog.close"), container.New(&kit.FixedWidth{W: 460}, text), a.win).Show()
}

// minutes writes a duration in whole minutes, "1 minuto" or "25 minutos".
func (a *App) minutes(d time.Duration) string {
	return a.plural(int(d.Round(time.Minute)/time.Minute), "unit.minute1", "unit.minuteN")
}

// zoneText writes a UTC offset in seconds as "UTC−03:00".
func zoneText(offset int) string {
	sign := "+"
	if offset < 0 {
		sign, offset = "−", -offset
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, offset/3600, offset%3600/60)
}

// syncPhase says what a sync under way does.
func (a *App) syncPhase(p device.Progress) string {
	switch {
	case p.Phase == device.PhasePush && p.Total > 0:
		return a.tr("status.sending", a.num(p.Done), a.count(p.Total, "unit.record"))
	case p.Phase == device.PhaseCatalog:
		return a.tr("status.pullCatalog")
	case p.Phase == device.PhaseRoster:
		return a.tr("status.pullRoster")
	}
	return a.tr("status.syncing")
}

// progressOf returns how far a sync is, from 0 to 1: sending is most of
// it; pulling (whose length is unknown) comes after.
func progressOf(p device.Progress) float64 {
	switch p.Phase {
	case device.PhasePush:
		if p.Total > 0 {
			return float64(p.Done) / float64(p.Total)
		}
		return 0
	case device.PhaseCatalog, device.PhaseRoster:
		return 1
	}
	return 0
}

// when says when t was, relative to now: "hace un momento", "hace 5 min",
// "hoy 14:32", "ayer 18:05" or "15/03/2026 18:30".
func (a *App) when(t, now time.Time) string {
	t, now = t.In(domain.Argentina), now.In(domain.Argentina)
	d := now.Sub(t)
	switch {
	case d > -time.Minute && d < time.Minute:
		return a.tr("when.justNow")
	case d > 0 && d < time.Hour:
		return a.tr("when.minutesAgo", int(d/time.Minute))
	}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	switch day(t) {
	case day(now):
		return a.tr("when.today", t.Format("15:04"))
	case day(now.AddDate(0, 0, -1)):
		return a.tr("when.yesterday", t.Format("15:04"))
	}
	return t.Format("02/01/2006 15:04")
}

// text returns what the bar says about pending sessions.
func (b *statusBar) text() string { return b.pending.Text }

// fixedSize gives its objects a fixed minimum size.
type fixedSize struct{ size fyne.Size }

func (f *fixedSize) MinSize([]fyne.CanvasObject) fyne.Size { return f.size }

func (f *fixedSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
