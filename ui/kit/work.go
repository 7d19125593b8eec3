package kit

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// Work runs a window's background work off the main goroutine and brings
// its results back to it. Writes go through one ordered queue, so no
// check-in is dropped or reordered and SQLite never sees two writers from
// the app at once; searches go through Latest slots, so a burst of
// keystrokes runs at most one query at a time and only the newest
// waiting one.
type Work struct {
	wg sync.WaitGroup
	// pending counts jobs queued or running, for tests that pump their
	// own main queue.
	pending atomic.Int64

	mu      sync.Mutex
	queue   []func()
	running bool

	// mainq, when set (by tests), receives the screen updates of
	// background work instead of fyne.Do; Wait runs them on the caller's
	// goroutine, as the main loop would.
	mainq chan func()
	// stopped drops the screen updates of work still running at close.
	stopped atomic.Bool
}

// NewWork returns an idle queue whose screen updates go through fyne.Do.
func NewWork() *Work { return &Work{} }

// NewTestWork returns a queue whose screen updates wait until Wait or
// Pump runs them on the caller's goroutine, as the main loop would, so
// tests are deterministic and race-free.
func NewTestWork() *Work { return &Work{mainq: make(chan func(), 4096)} }

// Write queues fn to run in the background after every write queued
// before it.
func (w *Work) Write(fn func()) {
	w.add()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.queue = append(w.queue, fn)
	if !w.running {
		w.running = true
		go w.drain()
	}
}

func (w *Work) drain() {
	for {
		w.mu.Lock()
		if len(w.queue) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		fn := w.queue[0]
		w.queue = w.queue[1:]
		w.mu.Unlock()
		fn()
		w.done()
	}
}

func (w *Work) add() {
	w.pending.Add(1)
	w.wg.Add(1)
}

func (w *Work) done() {
	w.pending.Add(-1)
	w.wg.Done()
}

// Do applies the results of background work on the main goroutine; after
// Stop it drops them.
func (w *Work) Do(fn func()) {
	switch {
	case w.stopped.Load():
	case w.mainq != nil:
		w.mainq <- fn
	default:
		fyne.Do(fn)
	}
}

// Wait blocks until no work is queued or running and, for a test queue,
// every screen update it sent ran.
func (w *Work) Wait() {
	if w.mainq == nil {
		w.wg.Wait()
		return
	}
	for {
		select {
		case fn := <-w.mainq:
			fn()
			continue
		default:
		}
		if w.pending.Load() == 0 && len(w.mainq) == 0 {
			return
		}
		select {
		case fn := <-w.mainq:
			fn()
		case <-time.After(time.Millisecond):
		}
	}
}

// Pump runs the screen updates a test queue holds so far, without
// waiting for running work.
func (w *Work) Pump() {
	for {
		select {
		case fn := <-w.mainq:
			fn()
		default:
			return
		}
	}
}

// Stop drops the screen updates of background work from now on and waits
// for the work to end, so that what was queued reaches the store.
func (w *Work) Stop() {
	w.stopped.Store(true)
	w.wg.Wait()
}

// Latest runs at most one job at a time; a job submitted while one runs
// replaces the one waiting, if any, which never runs. Its zero value
// needs Work set.
type Latest struct {
	// Work is the queue whose Wait and Stop count the slot's jobs.
	Work *Work

	mu      sync.Mutex
	next    func()
	running bool
}

// Submit runs fn in the background once the job running ends, unless
// another is submitted first.
func (l *Latest) Submit(fn func()) {
	l.Work.add()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.next != nil {
		l.Work.done() // the replaced job is dropped
	}
	l.next = fn
	if !l.running {
		l.running = true
		go l.loop()
	}
}

func (l *Latest) loop() {
	for {
		l.mu.Lock()
		fn := l.next
		l.next = nil
		if fn == nil {
			l.running = false
			l.mu.Unlock()
			return
		}
		l.mu.Unlock()
		fn()
		l.Work.done()
	}
}
