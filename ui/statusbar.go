package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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
	Running  bool      // a sync is under way
	LastSync time.Time // the last successful sync; zero if none yet
	// LastError is the last attempt's failure as a message for a person
	// (already in the app's language); empty when it worked.
	LastError string
}

// statusBar shows how many closed sessions wait to be synced, the roster
// size and, when a SyncStatus is plugged in, the sync state with a
// "Sincronizar ahora" button.
type statusBar struct {
	a       *App
	pending *widget.Label
	people  *widget.Label
	sync    *widget.Label
	syncNow *widget.Button
	content fyne.CanvasObject
	load    latest
	seq     int
}

func newStatusBar(a *App) *statusBar {
	b := &statusBar{a: a, load: latest{jobs: a.jobs}}
	b.pending = widget.NewLabel("")
	b.pending.SizeName = theme.SizeNameCaptionText
	b.people = widget.NewLabel("")
	b.people.SizeName = theme.SizeNameCaptionText
	b.people.Importance = widget.LowImportance
	b.sync = widget.NewLabel("")
	b.sync.SizeName = theme.SizeNameCaptionText
	b.syncNow = widget.NewButtonWithIcon(a.tr("status.syncNow"), theme.ViewRefreshIcon(), func() {
		if a.opt.Sync != nil {
			a.opt.Sync.SyncNow()
		}
	})
	b.syncNow.Importance = widget.LowImportance
	right := container.NewHBox(b.sync, b.syncNow)
	if a.opt.Sync == nil {
		right.Hide()
	}
	b.content = bar(colorBar, container.New(&paddedBy{h: 8, v: 0},
		container.NewHBox(b.pending, widget.NewSeparator(), b.people, layout.NewSpacer(), right)))
	return b
}

// refresh reloads the counts in the background and reads the sync state.
func (b *statusBar) refresh() {
	b.seq++
	seq := b.seq
	b.load.submit(func() {
		n, err := b.a.st.CountWaiting(b.a.ctx)
		people, err2 := b.a.st.CountPeople(b.a.ctx)
		b.a.do(func() { b.show(seq, n, err, people, err2) })
	})
	if s := b.a.opt.Sync; s != nil {
		b.showSync(s.SyncState())
	}
}

func (b *statusBar) show(seq, pending int, err error, people int, err2 error) {
	if seq != b.seq {
		return
	}
	switch {
	case err != nil:
		b.pending.SetText(b.a.tr("status.pendingUnknown"))
	case pending == 0:
		b.pending.Importance = widget.MediumImportance
		b.pending.SetText(b.a.tr("status.nothingPending"))
	default:
		b.pending.Importance = widget.WarningImportance
		b.pending.SetText(b.a.plural(pending, "status.pendingOne", "status.pendingMany"))
	}
	if err2 == nil {
		b.people.SetText(b.a.plural(people, "status.peopleOne", "status.peopleMany"))
	}
}

func (b *statusBar) showSync(s SyncState) {
	switch {
	case s.Running:
		b.sync.Importance = widget.MediumImportance
		b.sync.SetText(b.a.tr("status.syncing"))
		b.syncNow.Disable()
		return
	case s.LastError != "":
		b.sync.Importance = widget.DangerImportance
		b.sync.SetText(s.LastError)
	case s.LastSync.IsZero():
		b.sync.Importance = widget.LowImportance
		b.sync.SetText(b.a.tr("status.neverSynced"))
	default:
		b.sync.Importance = widget.LowImportance
		b.sync.SetText(b.a.tr("status.lastSync", s.LastSync.Local().Format("02/01/2006 15:04")))
	}
	b.syncNow.Enable()
}

// text returns what the bar says about pending sessions.
func (b *statusBar) text() string { return b.pending.Text }
