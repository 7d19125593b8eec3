package device

import (
	"context"
	"sync"
	"time"
)

// BackgroundState is what a Background sync shows a person.
type BackgroundState struct {
	Running  bool      // a sync is under way (possibly waiting to retry)
	Progress Progress  // of the sync under way
	LastSync time.Time // end of the last successful sync; zero if none yet
	// LastError is the last failure as a message for a person: of an
	// attempt of the sync under way, or of the last sync; empty after a
	// success.
	LastError string
	Last      Result // what the last finished sync did
}

// Background syncs a device on its own, for the desktop app: once at
// start, again every Interval and whenever SyncNow asks. A sync under way
// retries network failures without limit (checking the registry with
// backoff); one that stops (auth, a registry's 4xx) waits for the next
// round. Its methods are safe for concurrent use.
type Background struct {
	c *Client
	// Interval is the wait between rounds after one ends; set it before
	// Run.
	Interval time.Duration

	kick  chan struct{}
	mu    sync.Mutex
	state BackgroundState
	subs  []func()
}

// NewBackground returns a background sync over c, every 5 minutes. It
// observes c, so that a failed attempt shows at once.
func NewBackground(c *Client) *Background {
	b := &Background{c: c, Interval: 5 * time.Minute, kick: make(chan struct{}, 1)}
	c.Observe(b.failed)
	return b
}

// failed hears of a failed attempt of the sync under way.
func (b *Background) failed(f *Failure) {
	b.update(func(s *BackgroundState) { s.LastError = FailureMessage(f) })
}

// State returns the current state.
func (b *Background) State() BackgroundState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// OnChange registers fn, called from the sync's goroutine after each
// change of state; fn must not block.
func (b *Background) OnChange(fn func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, fn)
}

// SyncNow asks for a sync as soon as possible: at once when idle, right
// after the one under way otherwise. It does not block.
func (b *Background) SyncNow() {
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

func (b *Background) update(fn func(*BackgroundState)) {
	b.mu.Lock()
	fn(&b.state)
	subs := b.subs
	b.mu.Unlock()
	for _, f := range subs {
		f()
	}
}

// Run syncs until ctx ends.
func (b *Background) Run(ctx context.Context) {
	for {
		b.update(func(s *BackgroundState) { s.Running, s.Progress = true, Progress{} })
		res, err := b.c.Sync(ctx, func(p Progress) {
			b.update(func(s *BackgroundState) { s.Progress = p })
		})
		if ctx.Err() != nil {
			b.update(func(s *BackgroundState) { s.Running = false })
			return
		}
		b.update(func(s *BackgroundState) {
			s.Running, s.Last, s.LastError = false, res, FailureMessage(err)
			if err == nil {
				s.LastSync = b.c.Now()
			}
		})
		t := time.NewTimer(b.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-b.kick:
		case <-t.C:
		}
		t.Stop()
	}
}
