// Package faultproxy is an HTTP reverse proxy for tests that injects the
// faults of a bad link between a device and its registry: dropped
// connections, lost answers, stalls, error pages and truncated bodies.
package faultproxy

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Fault is what the proxy does to one request.
type Fault int

// Faults.
const (
	// Pass forwards the request and its answer untouched.
	Pass Fault = iota
	// DropBefore closes the connection before the request reaches the
	// registry.
	DropBefore
	// DropAfter forwards the request, lets the registry answer (and
	// commit), then closes the connection before the answer gets back.
	DropAfter
	// Error500 answers 500 with a proxy's plain-text error page, without
	// reaching the registry.
	Error500
	// Registry500 answers 500 as the registry does (protocol header and
	// error body), without reaching it.
	Registry500
	// Stall holds the request without reaching the registry until the
	// client gives up.
	Stall
	// StallAfter forwards the request, then holds the answer until the
	// client gives up.
	StallAfter
	// CaptivePortal answers 200 with an HTML login page.
	CaptivePortal
	// TruncateGzip forwards the request and sends back the first half of
	// the (gzip) answer body, with a matching Content-Length.
	TruncateGzip
	// CutBody forwards the request and closes the connection halfway
	// through the answer body (Content-Length promises more).
	CutBody
	// Registry429 answers 429 as the registry does, with Retry-After: 3,
	// without reaching it.
	Registry429
	// ForeignReceipt answers 200 as a registry would, with a receipt for
	// another batch, without reaching the registry.
	ForeignReceipt
	// NoProtocolField answers 200 with the protocol header but a JSON body
	// without the protocol field, without reaching the registry.
	NoProtocolField
)

var names = map[Fault]string{Pass: "pass", DropBefore: "drop-before", DropAfter: "drop-after", Error500: "500",
	Registry500: "registry-500", Stall: "stall", StallAfter: "stall-after", CaptivePortal: "captive-portal",
	TruncateGzip: "truncate-gzip", CutBody: "cut-body", Registry429: "registry-429", ForeignReceipt: "foreign-receipt",
	NoProtocolField: "no-protocol-field"}

// String names the fault.
func (f Fault) String() string {
	if n, ok := names[f]; ok {
		return n
	}
	return "fault(" + strconv.Itoa(int(f)) + ")"
}

// Plan chooses the fault for the n-th request (from 0).
type Plan func(n int, r *http.Request) Fault

// Event is one request the proxy saw and what it did.
type Event struct {
	Method, Path string
	Fault        Fault
	Status       int // the registry's status when it was reached, else 0
}

// Proxy sits between a client and a registry.
type Proxy struct {
	srv    *httptest.Server
	target string
	plan   Plan
	tr     *http.Transport
	done   chan struct{}

	mu     sync.Mutex
	n      int
	events []Event
}

// New starts a proxy on 127.0.0.1 forwarding to target (a base URL).
// A nil plan passes everything.
func New(target string, plan Plan) *Proxy {
	p := &Proxy{target: target, plan: plan, done: make(chan struct{}),
		tr: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	return p
}

// URL returns the proxy's base URL.
func (p *Proxy) URL() string { return p.srv.URL }

// SetPlan replaces the plan for the requests to come.
func (p *Proxy) SetPlan(plan Plan) {
	p.mu.Lock()
	p.plan = plan
	p.mu.Unlock()
}

// Events returns the requests seen so far.
func (p *Proxy) Events() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Event(nil), p.events...)
}

// Close releases stalled requests and stops the proxy.
func (p *Proxy) Close() {
	close(p.done)
	p.srv.CloseClientConnections()
	p.srv.Close()
	p.tr.CloseIdleConnections()
}

// cannedAnswer is what a fault answers without asking the registry.
type cannedAnswer struct {
	status int
	header []string // name, value, name, value…
	body   string
}

// registryJSON are the headers of a JSON answer from a registry.
var registryJSON = []string{"Puntos-Protocol", "puntos/1", "Content-Type", "application/json"}

var canned = map[Fault]cannedAnswer{
	Error500: {http.StatusInternalServerError, []string{"Content-Type", "text/html"},
		"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"},
	Registry500: {http.StatusInternalServerError, registryJSON,
		`{"error":{"code":"internal","message":"Error interno del registro."}}`},
	Registry429: {http.StatusTooManyRequests, append([]string{"Retry-After", "3"}, registryJSON...),
		`{"error":{"code":"too_many_attempts","message":"Demasiados pedidos."}}`},
	ForeignReceipt: {http.StatusOK, registryJSON,
		`{"protocol":"puntos/1","batch_id":"0190f5e2-0000-7000-8000-000000000000","received_at":"2026-01-01T00:00:00Z","outcomes":[]}`},
	NoProtocolField: {http.StatusOK, registryJSON, `{"ok":true,"outcomes":[]}`},
	CaptivePortal: {http.StatusOK, []string{"Content-Type", "text/html; charset=utf-8"},
		`<!DOCTYPE html><html><head><title>WiFi Municipal</title></head><body>` +
			`<form action="/login"><p>Aceptá los términos para navegar</p><button>Conectar</button></form></body></html>`},
}

func (a cannedAnswer) write(w http.ResponseWriter) {
	for i := 0; i+1 < len(a.header); i += 2 {
		w.Header().Set(a.header[i], a.header[i+1])
	}
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	n := p.n
	p.n++
	f := Pass
	if p.plan != nil {
		f = p.plan(n, r)
	}
	i := len(p.events)
	p.events = append(p.events, Event{Method: r.Method, Path: r.URL.Path, Fault: f})
	p.mu.Unlock()

	if a, ok := canned[f]; ok {
		a.write(w)
		return
	}
	switch f {
	case DropBefore:
		hangUp(w)
		return
	case Stall:
		p.hold(r)
		return
	}
	resp, body, err := p.forward(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	p.mu.Lock()
	p.events[i].Status = resp.StatusCode
	p.mu.Unlock()
	p.relay(w, r, resp, body, f)
}

// relay passes the registry's answer back, as fault f has it.
func (p *Proxy) relay(w http.ResponseWriter, r *http.Request, resp *http.Response, body []byte, f Fault) {
	switch f {
	case DropAfter:
		hangUp(w)
		return
	case StallAfter:
		p.hold(r)
		return
	case TruncateGzip:
		body = body[:len(body)/2]
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	if f == CutBody {
		w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		hangUp(w)
		return
	}
	w.Write(body)
}

// forward sends r to the target and reads the whole answer, compressed
// as it came.
func (p *Proxy) forward(r *http.Request) (*http.Response, []byte, error) {
	in, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(in))
	if err != nil {
		return nil, nil, err
	}
	req.Header = r.Header.Clone()
	resp, err := p.tr.RoundTrip(req)
	if err != nil {
		return nil, nil, fmt.Errorf("forward: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// hold waits until the client gives up or the proxy closes.
func (p *Proxy) hold(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-p.done:
	case <-time.After(time.Minute):
	}
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
