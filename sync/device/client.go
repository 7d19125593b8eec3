package device

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/puntos-ar/puntos/sync/wire"
)

// ErrAuth means the registry does not take the device's token (revoked or
// unknown): the device must be enrolled again. A *Failure with a token
// code matches it with errors.Is.
var ErrAuth = errors.New("device not authorized by the registry")

// Device is the device's store as the client needs it. storage.Store
// implements it. Every method that writes does so in one transaction.
type Store interface {
	// Enrollment returns the enrollment, or an error wrapping
	// ErrNotEnrolled.
	Enrollment(ctx context.Context) (wire.Enrollment, error)
	// SetEnrollment stores the enrollment, replacing an earlier one.
	SetEnrollment(ctx context.Context, e wire.Enrollment) error
	// Waiting counts records not yet acknowledged by the registry.
	Waiting(ctx context.Context) (int, error)
	// UnackedBatches returns the IDs of batches built but not
	// acknowledged, oldest first.
	UnackedBatches(ctx context.Context) ([]string, error)
	// Batch returns an unacknowledged batch as it was built.
	Batch(ctx context.Context, id string) (*wire.Batch, error)
	// NextBatch builds a batch from pending records, its ID and members
	// stored before it returns; nil when nothing is pending.
	NextBatch(ctx context.Context) (*wire.Batch, error)
	// NoteAttempt records a failed attempt to send a batch.
	NoteAttempt(ctx context.Context, batchID, failure string) error
	// SaveReceipt stores a receipt and its outcomes and acknowledges the
	// batch; storing it twice changes nothing.
	SaveReceipt(ctx context.Context, r *wire.Receipt) (wire.Tally, error)
	// Cursor returns a feed's cursor, "" before the first page.
	Cursor(ctx context.Context, feed string) (string, error)
	// ApplyCatalog and ApplyRoster apply a page and store its cursor.
	ApplyCatalog(ctx context.Context, p *wire.CatalogPage) (wire.PageResult, error)
	ApplyRoster(ctx context.Context, p *wire.RosterPage) (wire.PageResult, error)
	// RecordSyncRun notes the end of a sync: failure is "" on success.
	RecordSyncRun(ctx context.Context, failure string) error
}

// Failure codes of the client, beside the registry's Code* codes.
const (
	FailNetwork     = "network"      // no answer: connection refused, dropped, reset
	FailTimeout     = "timeout"      // no answer within the request timeout
	FailNotRegistry = "not_registry" // an answer without the protocol marker (captive portal, proxy)
	FailBadAnswer   = "bad_answer"   // a truncated or malformed answer
	FailServer      = "server_error" // a 5xx from the registry
	FailNotEnrolled = "not_enrolled"
)

// Failure is a failed exchange with the registry. Error returns a Spanish
// message for a person; Err keeps the cause for logs.
type Failure struct {
	Status     int    // HTTP status; 0 when no answer came
	Code       string // the registry's error code or a Fail* code
	Message    string // Spanish, for a person
	Retry      bool   // whether trying again later can help
	RetryAfter time.Duration
	Err        error
}

// Error returns the message for a person.
func (f *Failure) Error() string { return f.Message }

// Unwrap returns the cause.
func (f *Failure) Unwrap() error { return f.Err }

// Is makes errors.Is(f, ErrAuth) true for the token codes and
// errors.Is(f, ErrNotEnrolled) for FailNotEnrolled.
func (f *Failure) Is(target error) bool {
	switch target {
	case ErrAuth:
		return f.Code == wire.CodeTokenMissing || f.Code == wire.CodeTokenUnknown || f.Code == wire.CodeTokenRevoked
	case wire.ErrNotEnrolled:
		return f.Code == FailNotEnrolled
	}
	return false
}

// Detail describes the failure with its cause, for logs.
func (f *Failure) Detail() string {
	s := f.Code
	if f.Status != 0 {
		s += " " + strconv.Itoa(f.Status)
	}
	if f.Err != nil {
		s += ": " + f.Err.Error()
	}
	return s
}

// Progress tells how far a sync is.
type Progress struct {
	Phase string `json:"phase"` // PhasePush, PhaseCatalog or PhaseRoster
	// Done and Total count records acknowledged of those to send (push),
	// or pages applied (pull, where Total is 0: unknown).
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Sync phases.
const (
	PhasePush    = "push"
	PhaseCatalog = "catalog"
	PhaseRoster  = "roster"
)

// Result tells what a sync did.
type Result struct {
	Batches int `json:"batches"` // batches acknowledged in this run
	Records int `json:"records"` // records in them
	wire.Tally
	Activities    int   `json:"activities"` // catalog entries changed by the pull
	People        int   `json:"people"`     // roster entries changed by the pull
	BytesSent     int64 `json:"bytes_sent"` // request bodies as sent (compressed)
	BytesReceived int64 `json:"bytes_received"`
	Requests      int   `json:"requests"`
	Retries       int   `json:"retries"`
}

// Client syncs a device with its registry: JSON over HTTP, gzip both ways,
// retried with exponential backoff and full jitter while the context
// lives. It stops on auth errors (ErrAuth) and on other 4xx answers of a
// registry. Set its fields and add its observers before the first call.
type Client struct {
	dev Store
	// HTTP sends the requests.
	HTTP *http.Client
	// Registry overrides the enrolled registry's URL when not empty.
	Registry string
	// RequestTimeout bounds each request, its answer included.
	RequestTimeout time.Duration
	// BackoffBase and BackoffMax shape the waits between attempts: the
	// n-th wait is random in [0, min(BackoffMax, BackoffBase·2ⁿ)).
	BackoffBase, BackoffMax time.Duration
	// Sleep waits d or until ctx ends; tests replace it. Wake cuts a
	// wait short by ending its ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a random number in [0, 1); tests replace it.
	Jitter func() float64
	// Now returns the device clock sent with each batch.
	Now func() time.Time
	// Log receives one line per failed attempt, without tokens or
	// personal data.
	Log *slog.Logger

	busy chan struct{}
	wake chan struct{} // Wake's signal, kept until a wait takes it

	mu        sync.Mutex
	observers []Observer
}

// NewClient returns a client for the device store dev with the default
// timeouts (30 s per request) and backoff (500 ms doubling up to 1 min).
func NewClient(dev Store) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = 10 * time.Second
	tr.DisableCompression = true // gzip is handled here, to see truncated bodies
	return &Client{
		dev:            dev,
		HTTP:           &http.Client{Transport: tr},
		RequestTimeout: 30 * time.Second,
		BackoffBase:    500 * time.Millisecond,
		BackoffMax:     time.Minute,
		Sleep:          sleepCtx,
		Jitter:         rand.Float64,
		Now:            time.Now,
		Log:            slog.New(slog.DiscardHandler),
		busy:           make(chan struct{}, 1),
		wake:           make(chan struct{}, 1),
	}
}

// An Observer hears of each failed attempt of a sync to reach the
// registry, from the sync's goroutine; f.Retry tells whether the sync
// tries again after a wait. It must not block.
type Observer func(f *Failure)

// Observe adds o to the client's observers, which hear of its syncs in
// the order they were added. Call it before the first sync.
func (c *Client) Observe(o Observer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.observers = append(c.observers, o)
}

// failed tells the observers of a failed attempt of a sync.
func (c *Client) failed(f *Failure) {
	c.mu.Lock()
	obs := c.observers
	c.mu.Unlock()
	for _, o := range obs {
		o(f)
	}
}

// Wake cuts short the wait before the next attempt of an exchange with
// the registry, so that it tries at once; when none waits, it cuts the
// next wait. It does not block.
func (c *Client) Wake() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// wait waits d before the next attempt, less when Wake is called; it
// fails only when ctx ends.
func (c *Client) wait(ctx context.Context, d time.Duration) error {
	waiting, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.wake:
			cancel()
		case <-waiting.Done():
		}
	}()
	if err := c.Sleep(waiting, d); err != nil && ctx.Err() != nil {
		return err
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// NormalizeURL checks a registry URL typed by a person and returns it
// without a trailing slash.
func NormalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &Failure{Code: wire.CodeBadRequest, Message: fmt.Sprintf(
			"La dirección del registro %q no es válida: escribila completa, por ejemplo https://registro.example.gob.ar.", raw)}
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimRight(u.String(), "/"), nil
}

// Enroll enrolls the device with the registry at registryURL using a
// one-time code from central staff, and stores the device ID and token it
// gets. It retries failures that trying again can fix while ctx lives. A
// failed enrollment stores nothing. The observers do not hear of it.
func (c *Client) Enroll(ctx context.Context, registryURL, code, deviceName string) (wire.Enrollment, error) {
	return c.enroll(ctx, registryURL, code, deviceName, false)
}

// EnrollOnce is Enroll without retries, for a person who waits: the
// first failure is the answer.
func (c *Client) EnrollOnce(ctx context.Context, registryURL, code, deviceName string) (wire.Enrollment, error) {
	return c.enroll(ctx, registryURL, code, deviceName, true)
}

func (c *Client) enroll(ctx context.Context, registryURL, code, deviceName string, once bool) (wire.Enrollment, error) {
	base, err := NormalizeURL(registryURL)
	if err != nil {
		return wire.Enrollment{}, err
	}
	body, err := gzipJSON(wire.EnrollRequest{Code: strings.TrimSpace(code), DeviceName: strings.TrimSpace(deviceName)})
	if err != nil {
		return wire.Enrollment{}, err
	}
	var res Result
	var er wire.EnrollResponse
	err = c.retry(ctx, &res, exchange{what: "enroll", once: once}, func(int) error {
		ans, err := c.do(ctx, &res, http.MethodPost, base+wire.PathEnroll, "", body)
		if err != nil {
			return err
		}
		if err := ans.decode(&er); err != nil {
			return err
		}
		if er.DeviceID == "" || er.Token == "" {
			return badAnswer(errors.New("enroll answer without device ID or token"))
		}
		return nil
	})
	if err != nil {
		return wire.Enrollment{}, err
	}
	e := wire.Enrollment{Registry: base, DeviceID: er.DeviceID, Token: er.Token, DeviceName: strings.TrimSpace(deviceName),
		Office: er.Office, Province: er.Province, EnrolledAt: c.Now().UTC()}
	if err := c.dev.SetEnrollment(ctx, e); err != nil {
		return wire.Enrollment{}, fmt.Errorf("store enrollment: %w", err)
	}
	c.Log.Info("enrolled", "enrollment", e)
	return e, nil
}

// Sync pushes everything pending (batches already built first, then new
// ones) and pulls the catalog and the roster. It retries failures that
// trying again can fix while ctx lives; bound ctx for a run that must end.
// progress, when not nil, is called from Sync's goroutine. The outcome is
// noted on the device (last sync, last error) either way.
func (c *Client) Sync(ctx context.Context, progress func(Progress)) (Result, error) {
	select {
	case c.busy <- struct{}{}:
		defer func() { <-c.busy }()
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	var res Result
	err := c.sync(ctx, &res, progress)
	failure := ""
	if err != nil {
		failure = FailureMessage(err)
		c.Log.Warn("sync failed", "err", err)
	}
	// Note the run even when ctx ran out.
	if rerr := c.dev.RecordSyncRun(context.WithoutCancel(ctx), failure); rerr != nil && err == nil {
		err = rerr
	}
	return res, err
}

func (c *Client) sync(ctx context.Context, res *Result, progress func(Progress)) error {
	e, err := c.dev.Enrollment(ctx)
	if errors.Is(err, wire.ErrNotEnrolled) {
		return &Failure{Code: FailNotEnrolled, Err: err,
			Message: "Este equipo no está inscripto en el registro: inscribilo con la dirección del registro y un código del equipo central."}
	}
	if err != nil {
		return err
	}
	base := e.Registry
	if c.Registry != "" {
		if base, err = NormalizeURL(c.Registry); err != nil {
			return err
		}
	}
	if err := c.push(ctx, res, base, e.Token, progress); err != nil {
		return err
	}
	if err := c.pullCatalog(ctx, res, base, e.Token, progress); err != nil {
		return err
	}
	return c.pullRoster(ctx, res, base, e.Token, progress)
}

func (c *Client) push(ctx context.Context, res *Result, base, token string, progress func(Progress)) error {
	total, err := c.dev.Waiting(ctx)
	if err != nil {
		return err
	}
	done := 0
	progress(Progress{Phase: PhasePush, Total: total})
	send := func(b *wire.Batch, built bool) error {
		if err := c.sendBatch(ctx, res, base, token, b, built); err != nil {
			return err
		}
		done += b.Records()
		progress(Progress{Phase: PhasePush, Done: min(done, total), Total: total})
		return nil
	}
	ids, err := c.dev.UnackedBatches(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		b, err := c.dev.Batch(ctx, id)
		if err != nil {
			return err
		}
		// Built in an earlier run: it may have reached the registry (or a
		// USB stick may have carried it), so ask for its receipt first.
		if err := send(b, true); err != nil {
			return err
		}
	}
	missing := res.Missing
	for {
		b, err := c.dev.NextBatch(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		if err := send(b, false); err != nil {
			return err
		}
		if res.Missing > missing {
			// The registry left records out of a receipt: they are pending
			// again, and sending them at once could loop.
			return &Failure{Code: FailBadAnswer, Retry: true, Err: fmt.Errorf("receipt of batch %s misses %d outcomes", b.ID, res.Missing-missing),
				Message: "El registro no respondió por todos los registros de un lote: se volverán a enviar en la próxima sincronización."}
		}
	}
}

// sendBatch sends one batch until a registry's receipt for it is stored.
// After a failed attempt, whose fate is unknown, and for a batch built
// earlier (askFirst), it asks for the receipt first, so that a batch the
// registry already stored is not uploaded again.
func (c *Client) sendBatch(ctx context.Context, res *Result, base, token string, b *wire.Batch, askFirst bool) error {
	// The device clock goes fresh (the registry checks it for skew),
	// renewed when retries drag on; the records never change.
	var body []byte
	var encoded time.Time
	encode := func() error {
		out := *b
		encoded = c.Now()
		out.DeviceClock = encoded.UTC()
		var err error
		body, err = gzipJSON(&out)
		return err
	}
	if err := encode(); err != nil {
		return err
	}
	note := func(err *Failure) {
		if nerr := c.dev.NoteAttempt(context.WithoutCancel(ctx), b.ID, FailureMessage(err)); nerr != nil {
			c.Log.Error("note attempt", "batch", b.ID, "err", nerr)
		}
	}
	var rec *wire.Receipt
	err := c.retry(ctx, res, exchange{what: "batch " + b.ID, sync: true, note: note}, func(attempt int) error {
		rec = nil
		if attempt > 0 || askFirst {
			r, err := c.getReceipt(ctx, res, base, token, b.ID)
			if err == nil {
				rec = r
				return nil
			}
			if f := (*Failure)(nil); !errors.As(err, &f) || f.Status != http.StatusNotFound {
				return err
			}
		}
		if c.Now().Sub(encoded) > time.Minute {
			if err := encode(); err != nil {
				return err
			}
		}
		ans, err := c.do(ctx, res, http.MethodPost, base+wire.PathBatches, token, body)
		if err != nil {
			return err
		}
		var r wire.Receipt
		if err := ans.decode(&r); err != nil {
			return err
		}
		if err := checkReceipt(&r, b.ID); err != nil {
			return err
		}
		rec = &r
		return nil
	})
	if err != nil {
		return err
	}
	tally, err := c.dev.SaveReceipt(ctx, rec)
	if err != nil {
		return fmt.Errorf("store receipt: %w", err)
	}
	if !tally.Already {
		res.Batches++
		res.Records += b.Records()
		res.Tally.Add(tally)
	}
	return nil
}

func (c *Client) getReceipt(ctx context.Context, res *Result, base, token, id string) (*wire.Receipt, error) {
	ans, err := c.do(ctx, res, http.MethodGet, base+strings.Replace(wire.PathBatch, "{id}", url.PathEscape(id), 1), token, nil)
	if err != nil {
		return nil, err
	}
	var r wire.Receipt
	if err := ans.decode(&r); err != nil {
		return nil, err
	}
	return &r, checkReceipt(&r, id)
}

// checkReceipt checks a decoded receipt answers batch id with known
// results.
func checkReceipt(r *wire.Receipt, id string) error {
	if r.BatchID != id {
		return badAnswer(fmt.Errorf("receipt for batch %q, want %q", r.BatchID, id))
	}
	for _, o := range r.Outcomes {
		switch o.Result {
		case wire.Accepted, wire.Duplicate, wire.Conflict, wire.Rejected:
		default:
			return badAnswer(fmt.Errorf("receipt with result %q", o.Result))
		}
	}
	return nil
}

func (c *Client) pullCatalog(ctx context.Context, res *Result, base, token string, progress func(Progress)) error {
	return pullFeed(ctx, c, res, base+wire.PathCatalog, token, wire.FeedCatalog, func(p *wire.CatalogPage, page int) (string, bool, error) {
		r, err := c.dev.ApplyCatalog(ctx, p)
		if err != nil {
			return "", false, err
		}
		res.Activities += r.Changed
		progress(Progress{Phase: PhaseCatalog, Done: page})
		return p.Next, p.More, nil
	})
}

func (c *Client) pullRoster(ctx context.Context, res *Result, base, token string, progress func(Progress)) error {
	return pullFeed(ctx, c, res, base+wire.PathRoster, token, wire.FeedRoster, func(p *wire.RosterPage, page int) (string, bool, error) {
		r, err := c.dev.ApplyRoster(ctx, p)
		if err != nil {
			return "", false, err
		}
		res.People += r.Changed
		progress(Progress{Phase: PhaseRoster, Done: page})
		return p.Next, p.More, nil
	})
}

// pullFeed fetches a feed page by page from its stored cursor; apply
// stores a page with its cursor (one transaction) and returns the next
// cursor and whether more pages follow.
func pullFeed[P any](ctx context.Context, c *Client, res *Result, endpoint, token, feed string,
	apply func(p *P, page int) (next string, more bool, err error)) error {
	cursor, err := c.dev.Cursor(ctx, feed)
	if err != nil {
		return err
	}
	for page := 1; ; page++ {
		u := endpoint
		if cursor != "" {
			u += "?" + wire.CursorParam + "=" + url.QueryEscape(cursor)
		}
		var p *P
		if err := c.retry(ctx, res, exchange{what: feed, sync: true}, func(int) error {
			a, err := c.do(ctx, res, http.MethodGet, u, token, nil)
			if err != nil {
				return err
			}
			p = new(P)
			return a.decode(p)
		}); err != nil {
			return err
		}
		next, more, err := apply(p, page)
		if err != nil {
			return fmt.Errorf("pull %s: %w", feed, err)
		}
		if !more {
			return nil
		}
		if next == cursor {
			return badAnswer(fmt.Errorf("%s page says more but keeps cursor %q", feed, cursor))
		}
		cursor = next
	}
}

// exchange says how retry runs an exchange with the registry.
type exchange struct {
	what string         // what is exchanged, for the log
	sync bool           // part of a sync: the observers hear of its failures
	once bool           // no retries: the first failure is the answer
	note func(*Failure) // when not nil, hears of each failed attempt first
}

// retry runs attempt until it succeeds, fails for good or ctx ends,
// waiting with exponential backoff and full jitter between attempts.
func (c *Client) retry(ctx context.Context, res *Result, x exchange, attempt func(n int) error) error {
	var last *Failure
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return gaveUp(last, err)
		}
		err := attempt(n)
		if err == nil {
			return nil
		}
		var f *Failure
		if !errors.As(err, &f) {
			return err // the device's own error: retrying will not help
		}
		if ctx.Err() != nil && f.Code == FailTimeout {
			// The run's deadline, not the registry's: keep the last real cause.
			return gaveUp(last, ctx.Err())
		}
		if x.note != nil {
			x.note(f)
		}
		c.Log.Warn("registry exchange failed", "what", x.what, "attempt", n+1, "err", f.Detail())
		if x.sync {
			c.failed(f)
		}
		if !f.Retry {
			return f
		}
		// A long retry shows on the status bar while it lasts.
		if err := c.dev.RecordSyncRun(context.WithoutCancel(ctx), f.Message); err != nil {
			c.Log.Error("record sync failure", "err", err)
		}
		if x.once {
			return f
		}
		last = f
		res.Retries++
		wait := c.backoff(n)
		if f.RetryAfter > wait {
			wait = min(f.RetryAfter, c.BackoffMax)
		}
		if err := c.wait(ctx, wait); err != nil {
			return gaveUp(last, err)
		}
	}
}

// backoff returns the wait after the n-th failed attempt (from 0): full
// jitter over an exponential ceiling.
func (c *Client) backoff(n int) time.Duration {
	ceil := c.BackoffMax
	if n < 32 {
		if d := c.BackoffBase << n; d > 0 && d < ceil {
			ceil = d
		}
	}
	return time.Duration(c.Jitter() * float64(ceil))
}

// gaveUp is the error of a retry loop cut short by its context: the last
// failure, which says what was wrong, wrapping the context's error.
func gaveUp(last *Failure, ctxErr error) error {
	if last == nil {
		return ctxErr
	}
	f := *last
	f.Err = errors.Join(ctxErr, last.Err)
	f.Message = "No se pudo completar la sincronización a tiempo. " + last.Message
	return &f
}

// FailureMessage returns the text to show a person for a sync error: the
// Spanish message of a *Failure, a generic one otherwise.
func FailureMessage(err error) string {
	var f *Failure
	switch {
	case err == nil:
		return ""
	case errors.As(err, &f):
		return f.Message
	case errors.Is(err, context.DeadlineExceeded):
		return "La sincronización no terminó a tiempo: se reintentará."
	case errors.Is(err, context.Canceled):
		return "La sincronización se interrumpió: se reintentará."
	}
	return "No se pudo guardar lo recibido del registro en este equipo: revisá el espacio en disco y probá de nuevo."
}

// answer is a registry's answer, body decompressed.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// maxAnswer bounds an answer's body, decompressed.
const maxAnswer = 64 << 20

// do sends one request and reads its whole answer within the request
// timeout. It fails with a retryable *Failure when no answer from a
// registry came; the answer's status is checked by decode.
func (c *Client) do(ctx context.Context, res *Result, method, u, token string, body []byte) (*answer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.RequestTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("new request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set(wire.HeaderProtocol, wire.Protocol)
	req.Header.Set("User-Agent", "puntos/"+wire.Protocol)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		res.BytesSent += int64(len(body))
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res.Requests++
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, netFailure(ctx, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	res.BytesReceived += int64(len(raw))
	if err != nil {
		return nil, netFailure(ctx, err)
	}
	a := &answer{status: resp.StatusCode, header: resp.Header, body: raw}
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, badAnswer(fmt.Errorf("gunzip answer: %w", err))
		}
		if a.body, err = io.ReadAll(io.LimitReader(zr, maxAnswer+1)); err != nil {
			return nil, badAnswer(fmt.Errorf("gunzip answer: %w", err))
		}
	}
	if len(a.body) > maxAnswer {
		return nil, badAnswer(fmt.Errorf("answer over %d bytes", maxAnswer))
	}
	return a, nil
}

func netFailure(ctx context.Context, err error) *Failure {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) || ctx.Err() != nil {
		return &Failure{Code: FailTimeout, Retry: true, Err: err,
			Message: "El registro no respondió a tiempo: se reintentará."}
	}
	return &Failure{Code: FailNetwork, Retry: true, Err: err,
		Message: "No hay conexión con el registro: se reintentará cuando haya conexión."}
}

func badAnswer(err error) *Failure {
	return &Failure{Code: FailBadAnswer, Retry: true, Err: err,
		Message: "La respuesta del registro llegó incompleta o dañada: se reintentará."}
}

// decode checks that the answer comes from a registry (the protocol
// header and, in the body, the protocol field), turns error statuses into
// a *Failure and decodes a 200 body into v.
func (a *answer) decode(v any) error {
	if a.header.Get(wire.HeaderProtocol) != wire.Protocol {
		return &Failure{Status: a.status, Code: FailNotRegistry, Retry: true,
			Err:     fmt.Errorf("answer %d without %s: %s", a.status, wire.HeaderProtocol, a.header.Get("Content-Type")),
			Message: "La respuesta no vino del registro: puede ser una red wifi que pide iniciar sesión en el navegador, o un proxy. Se reintentará."}
	}
	if a.status != http.StatusOK && a.status != http.StatusCreated {
		return a.failure()
	}
	dec := json.NewDecoder(bytes.NewReader(a.body))
	if err := dec.Decode(v); err != nil {
		return badAnswer(fmt.Errorf("decode answer: %w", err))
	}
	if dec.More() {
		return badAnswer(errors.New("data after the answer"))
	}
	var marker struct {
		Protocol string `json:"protocol"`
	}
	if err := json.Unmarshal(a.body, &marker); err != nil || marker.Protocol != wire.Protocol {
		return &Failure{Status: a.status, Code: FailNotRegistry, Retry: true,
			Err:     fmt.Errorf("answer body protocol %q", marker.Protocol),
			Message: "La respuesta no vino de un registro compatible: se reintentará."}
	}
	return nil
}

// failure turns a registry's error answer into a *Failure.
func (a *answer) failure() *Failure {
	var eb wire.ErrorBody
	_ = json.Unmarshal(a.body, &eb)
	f := &Failure{Status: a.status, Code: eb.Error.Code, Message: eb.Error.Message,
		Err: fmt.Errorf("registry answered %d %s", a.status, eb.Error.Code)}
	if f.Message == "" {
		f.Message = fmt.Sprintf("El registro respondió con un error (%d).", a.status)
	}
	switch {
	case a.status == http.StatusUnauthorized || f.Is(ErrAuth):
		if f.Code == "" {
			f.Code = wire.CodeTokenUnknown
		}
		if eb.Error.Message == "" {
			f.Message = "Este equipo ya no está autorizado en el registro: pedile un código nuevo al equipo central y volvé a inscribirlo."
		}
	case a.status == http.StatusRequestTimeout || a.status == http.StatusTooManyRequests || a.status >= 500:
		f.Retry = true
		if f.Code == "" {
			f.Code = FailServer
		}
		if a.status >= 500 {
			f.Message = fmt.Sprintf("El registro tuvo un problema (error %d): se reintentará.", a.status)
		}
		if s, err := strconv.Atoi(a.header.Get("Retry-After")); err == nil && s > 0 {
			f.RetryAfter = time.Duration(s) * time.Second
		}
	}
	return f
}

// gzipJSON encodes v as gzipped JSON.
func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
