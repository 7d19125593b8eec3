package ui

import "time"

// syncClockEvery is how often the status bar's "hace 5 min" is redrawn.
const syncClockEvery = 30 * time.Second

// syncChanged hears of a change of the sync state, from the sync's
// goroutine: it reads the state then, so no step of a sync's progress is
// skipped, and shows it with one trip to the main goroutine.
func (a *App) syncChanged() {
	st := a.opt.Sync.SyncState()
	a.do(func() { a.status.syncChanged(st) })
}

// syncClock redraws the time of the last sync now and then, until Stop.
func (a *App) syncClock() {
	t := time.NewTicker(syncClockEvery)
	defer t.Stop()
	for {
		select {
		case <-a.quit:
			return
		case <-t.C:
			a.do(a.redrawSyncTime)
		}
	}
}

// redrawSyncTime shows the sync state again, with the time of the last
// sync as of now.
func (a *App) redrawSyncTime() { a.status.showSync(a.status.state) }

// syncSoon asks for a sync, when one is plugged in: something was just
// closed and can travel.
func (a *App) syncSoon() {
	if a.opt.Sync != nil {
		a.opt.Sync.SyncNow()
	}
}
