package ui

import (
	"context"
	"errors"
	"sync"
	"time"

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
	// wake cuts short a retry's wait, so that "Sincronizar ahora" tries
	// the registry at once even while a sync waits to retry.
	wake chan struct{}

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
// bg, which must come from sync.NewBackground(c); enrolled tells whether
// the device has an enrollment now. It takes over c.Sleep (a wait that
// SyncNow cuts short, around the one c had) and c.OnFailure (around
// bg's), so build it after bg and before running either.
func NewSyncLink(c *device.Client, bg *device.Background, enrolled bool) *SyncLink {
	l := &SyncLink{c: c, bg: bg, wake: make(chan struct{}, 1), enrolled: enrolled}
	sleep := c.Sleep
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		ctx2, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-l.wake:
				cancel()
			case <-ctx2.Done():
			}
		}()
		if err := sleep(ctx2, d); err != nil && ctx.Err() != nil {
			return err
		}
		return nil
	}
	onFailure := c.OnFailure
	c.OnFailure = func(err error) {
		l.mu.Lock()
		l.failedNow = true
		if errors.Is(err, device.ErrAuth) {
			l.authFailed = true
		}
		l.mu.Unlock()
		if onFailure != nil {
			onFailure(err)
		}
	}
	bg.OnChange(l.changed)
	return l
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
	return SyncState{Running: st.Running, Progress: st.Progress, LastSync: st.LastSync, LastError: st.LastError,
		NotEnrolled: !l.enrolled, AuthFailed: l.authFailed}
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
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Enroll enrolls the device (see Enroller) and starts the background
// sync over with the new credentials. Unlike a sync it does not retry: a
// person is waiting, so the first failure is the answer.
func (l *SyncLink) Enroll(ctx context.Context, registryURL, code, deviceName string) (wire.Enrollment, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A copy of the client with its own hooks: the background sync keeps
	// the original's, and its failures must not end this call.
	c := *l.c
	var first error
	c.OnFailure = func(err error) {
		if first == nil {
			first = err
		}
		cancel()
	}
	c.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	e, err := c.Enroll(ctx, registryURL, code, deviceName)
	if err != nil {
		if first != nil {
			return wire.Enrollment{}, first
		}
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
