package device

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/sync/wire"
)

// ErrAuth means the registry does not take the device's token (revoked or
// unknown): the device must be enrolled again. A *Failure with a token
// code matches it with errors.Is.
var ErrAuth = errors.New("device not authorized by the registry")

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
	c.noteClock(resp.Header)
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
	if err := a.decodeBare(v); err != nil {
		return err
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

// decodeBare is decode for a body in a published format that carries no
// protocol field (wire.KeySet): only the header vouches for the registry.
func (a *answer) decodeBare(v any) error {
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
