package ui

import (
	"sync"
	"sync/atomic"
	"time"
)

// jobs runs the app's background work off the main goroutine. Writes go
// through one ordered queue, so no check-in is dropped or reordered and
// SQLite never sees two writers from this app at once; searches go
// through "latest wins" slots, so a burst of keystrokes runs at most one
// query at a time and only the newest waiting one.
type jobs struct {
	wg sync.WaitGroup
	// pending counts jobs queued or running, for tests that pump their
	// own main queue.
	pending atomic.Int64

	mu      sync.Mutex
	queue   []func()
	running bool
}

// write queues fn to run after every write queued before it.
func (j *jobs) write(fn func()) {
	j.add()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.queue = append(j.queue, fn)
	if !j.running {
		j.running = true
		go j.drain()
	}
}

func (j *jobs) drain() {
	for {
		j.mu.Lock()
		if len(j.queue) == 0 {
			j.running = false
			j.mu.Unlock()
			return
		}
		fn := j.queue[0]
		j.queue = j.queue[1:]
		j.mu.Unlock()
		fn()
		j.done()
	}
}

func (j *jobs) add() {
	j.pending.Add(1)
	j.wg.Add(1)
}

func (j *jobs) done() {
	j.pending.Add(-1)
	j.wg.Done()
}

// idle reports whether no job is queued or running.
func (j *jobs) idle() bool { return j.pending.Load() == 0 }

// wait blocks until all queued and running work is done.
func (j *jobs) wait() { j.wg.Wait() }

// latest runs at most one job at a time; a job submitted while one runs
// replaces the one waiting, if any, which never runs.
type latest struct {
	jobs *jobs

	mu      sync.Mutex
	next    func()
	running bool
}

func (l *latest) submit(fn func()) {
	l.jobs.add()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.next != nil {
		l.jobs.done() // the replaced job is dropped
	}
	l.next = fn
	if !l.running {
		l.running = true
		go l.loop()
	}
}

func (l *latest) loop() {
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
		l.jobs.done()
	}
}

// waitIdle blocks until jobs has no work and, when mainq is set (tests run
// screen updates through it instead of fyne.Do), every queued update ran.
func waitIdle(jobs *jobs, mainq chan func()) {
	if mainq == nil {
		jobs.wait()
		return
	}
	for {
		select {
		case fn := <-mainq:
			fn()
			continue
		default:
		}
		if jobs.idle() && len(mainq) == 0 {
			return
		}
		select {
		case fn := <-mainq:
			fn()
		case <-time.After(time.Millisecond):
		}
	}
}
