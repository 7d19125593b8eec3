package server

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Failed enrollments allowed per remote address and window.
const (
	enrollFailures = 10
	enrollWindow   = 15 * time.Minute
)

// limiter counts failures per key in fixed windows. It is light on
// purpose: enrollment codes are one-time, expire in a week and carry 50
// bits, so it only needs to make guessing slow.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	keys   map[string]attempts
}

// attempts are the failures of a key in its window.
type attempts struct {
	start    time.Time
	failures int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, keys: map[string]attempts{}}
}

// blocked returns how long key must wait, or 0 when it may try.
func (l *limiter) blocked(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.keys[key]
	if !ok || now.Sub(w.start) >= l.window {
		return 0
	}
	if w.failures >= l.max {
		return w.start.Add(l.window).Sub(now)
	}
	return 0
}

// fail counts a failure of key.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) > 10_000 { // forget old windows now and then
		for k, w := range l.keys {
			if now.Sub(w.start) >= l.window {
				delete(l.keys, k)
			}
		}
	}
	w, ok := l.keys[key]
	if !ok || now.Sub(w.start) >= l.window {
		w = attempts{start: now}
	}
	w.failures++
	l.keys[key] = w
}

// remoteHost is the address a request came from, without its port.
// Forwarding headers are not trusted: put no proxy in front, or make it
// the registry's only client.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
