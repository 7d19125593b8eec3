package device

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Store is the device's store as the client needs it. storage.Store
// implements it. Every method that writes does so in one transaction.
type Store interface {
	// Enrollment returns the enrollment, or an error wrapping
	// wire.ErrNotEnrolled.
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
	// RenewBatch stores an unacknowledged batch's records under a new
	// batch ID, in its place, and returns the renewed batch; the old ID is
	// dropped.
	RenewBatch(ctx context.Context, batchID string) (*wire.Batch, error)
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

	// SigningKey returns the device's signing key, made the first time;
	// FreshSigningKey the key to register at an enrollment (a new one
	// when a registry knows the current one).
	SigningKey() (ed25519.PrivateKey, error)
	FreshSigningKey(ctx context.Context) (ed25519.PrivateKey, error)
	// RegisteredKid returns the kid the registry knows the key by, ""
	// before it registered it; SetRegisteredKid stores it.
	RegisteredKid(ctx context.Context) (string, error)
	SetRegisteredKid(ctx context.Context, kid string) error
	// SetPublicURL stores the registry's public address (an empty one
	// changes nothing); SetKeySet the published signing keys.
	SetPublicURL(ctx context.Context, u string) error
	SetKeySet(ctx context.Context, set wire.KeySet) error
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
	// drift is this computer's clock minus the registry's at its last
	// answer with a Date header; drifted says whether there was one.
	drift   time.Duration
	drifted bool
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

// ClockDrift returns how far this computer's clock was ahead of the
// registry's (negative: behind) at the registry's last answer, from its
// Date header (to the second), and whether any answer had one.
func (c *Client) ClockDrift() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.drift, c.drifted
}

// noteClock notes the registry's time from an answer's Date header.
func (c *Client) noteClock(h http.Header) {
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return
	}
	d := c.Now().Sub(t)
	c.mu.Lock()
	c.drift, c.drifted = d, true
	c.mu.Unlock()
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
	key, err := c.dev.FreshSigningKey(ctx)
	if err != nil {
		return wire.Enrollment{}, err
	}
	body, err := gzipJSON(wire.EnrollRequest{Code: strings.TrimSpace(code), DeviceName: strings.TrimSpace(deviceName),
		PublicKey: base64.RawURLEncoding.EncodeToString(jws.Public(key))})
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
	// A registry before signing keys answers no kid: the key is then
	// registered at the next sync, as for a device enrolled before.
	if err := errors.Join(c.dev.SetRegisteredKid(ctx, er.Kid), c.dev.SetPublicURL(ctx, er.PublicURL)); err != nil {
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
	if err := c.registerKey(ctx, res, base, e.Token); err != nil {
		return err
	}
	if err := c.push(ctx, res, base, e.Token, progress); err != nil {
		return err
	}
	if err := c.pullCatalog(ctx, res, base, e.Token, progress); err != nil {
		return err
	}
	if err := c.pullKeys(ctx, res, base); err != nil {
		return err
	}
	return c.pullRoster(ctx, res, base, e.Token, progress)
}
