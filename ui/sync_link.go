package ui

import (
	"context"
	"errors"
	"sync"

	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/wire"
)

// SyncLink joins the app to a device's background sync: it is the status
// bar's live state and "Sincronizar ahora" (Options.Sync) and the
// settings' enrollment (Options.Enroll). Its methods are safe for
// concurrent use.
type SyncLink struct {
	c  *device.Client
	bg *device.Background

	mu       sync.Mutex
	enrolled bool
	// authFailed is set when the registry refused the device's token,
	// until an enrollment or a sync works.
	authFailed bool
	// running is whether a sync was under way at the last change, and
	// failedNow whether an attempt of the one under way failed: until
	// then the background's last error is the previous sync's.
	running, failedNow bool
	restart            context.CancelFunc // ends the current round of Run
	subs               []func()
}

var (
	_ SyncStatus = (*SyncLink)(nil)
	_ Enroller   = (*SyncLink)(nil)
)

// NewSyncLink returns a link over the client c and its background sync
// bg, which must come from device.NewBackground(c); enrolled tells whether
// the device has an enrollment now. It observes c; build it before
// running bg.
func NewSyncLink(c *device.Client, bg *device.Background, enrolled bool) *SyncLink {
	l := &SyncLink{c: c, bg: bg, enrolled: enrolled}
	c.Observe(l.failed)
	bg.OnChange(l.changed)
	return l
}

// failed hears of a failed attempt of the sync under way, after bg has:
// the status bar shows it, and a refused token until an enrollment or a
// sync works.
func (l *SyncLink) failed(f *device.Failure) {
	l.mu.Lock()
	l.failedNow = true
	if errors.Is(f, device.ErrAuth) {
		l.authFailed = true
	}
	l.mu.Unlock()
	l.notify()
}

// Run runs the background sync until ctx ends; an enrollment starts it
// over, so that the next sync uses the new credentials at once.
func (l *SyncLink) Run(ctx context.Context) {
	for ctx.Err() == nil {
		round, cancel := context.WithCancel(ctx)
		l.mu.Lock()
		l.restart = cancel
		l.mu.Unlock()
		l.bg.Run(round)
		cancel()
	}
	l.mu.Lock()
	l.restart = nil
	l.mu.Unlock()
}

// SyncState returns the state for the status bar.
func (l *SyncLink) SyncState() SyncState {
	st := l.bg.State()
	l.mu.Lock()
	defer l.mu.Unlock()
	if st.Running && !l.failedNow {
		st.LastError = "" // the previous sync's: this one may well work
	}
	drift, checked := l.c.ClockDrift()
	return SyncState{Running: st.Running, Progress: st.Progress, LastSync: st.LastSync, LastError: st.LastError,
		NotEnrolled: !l.enrolled, AuthFailed: l.authFailed, ClockDrift: drift, ClockChecked: checked}
}

// OnSyncChange registers fn, called from the sync's goroutine after each
// change of state.
func (l *SyncLink) OnSyncChange(fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.subs = append(l.subs, fn)
}

// SyncNow asks for a sync now: it wakes a sync waiting to retry and
// queues another one after it, which sends what was closed meanwhile.
func (l *SyncLink) SyncNow() {
	l.bg.SyncNow()
	l.c.Wake()
}

// Enroll enrolls the device (see Enroller) and starts the background
// sync over with the new credentials. Unlike a sync it does not retry: a
// person is waiting, so the first failure is the answer.
func (l *SyncLink) Enroll(ctx context.Context, registryURL, code, deviceName string) (wire.Enrollment, error) {
	e, err := l.c.EnrollOnce(ctx, registryURL, code, deviceName)
	if err != nil {
		return wire.Enrollment{}, err
	}
	l.mu.Lock()
	l.enrolled, l.authFailed = true, false
	restart := l.restart
	l.mu.Unlock()
	if restart != nil {
		restart()
	} else {
		l.bg.SyncNow()
	}
	l.notify()
	return e, nil
}

// changed hears of the background sync's changes, from its goroutine: a
// sync starts with no failure of its own, and one that worked clears an
// auth failure.
func (l *SyncLink) changed() {
	st := l.bg.State()
	l.mu.Lock()
	if st.Running && !l.running {
		l.failedNow = false
	}
	l.running = st.Running
	if !st.Running && st.LastError == "" && !st.LastSync.IsZero() {
		l.authFailed = false
	}
	l.mu.Unlock()
	l.notify()
}

func (l *SyncLink) notify() {
	l.mu.Lock()
	subs := l.subs
	l.mu.Unlock()
	for _, fn := range subs {
		fn()
	}
}
