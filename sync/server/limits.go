package server

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Failed enrollments allowed per remote address and window.
const (
	regEnrollFailures = 10
	regEnrollWindow   = 15 * time.Minute
)

// regLimiter counts failures per key in fixed windows. It is light on
// purpose: enrollment codes are one-time, expire in a week and carry 50
// bits, so it only needs to make guessing slow.
type regLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	keys   map[string]regWindow
}

type regWindow struct {
	start    time.Time
	failures int
}

func newRegLimiter(max int, window time.Duration) *regLimiter {
	return &regLimiter{max: max, window: window, keys: map[string]regWindow{}}
}

// blocked returns how long key must wait, or 0 when it may try.
func (l *regLimiter) blocked(key string, now time.Time) time.Duration {
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
func (l *regLimiter) fail(key string, now time.Time) {
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
		w = regWindow{start: now}
	}
	w.failures++
	l.keys[key] = w
}

// regRemoteHost is the address a request came from, without its port.
// Forwarding headers are not trusted: put no proxy in front, or make it
// the registry's only client.
func regRemoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
