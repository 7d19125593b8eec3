package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// codeStatus maps every error code the registry answers with to its HTTP
// status: the one table of the API.
var codeStatus = map[string]int{
	wire.CodeTokenMissing:    http.StatusUnauthorized,
	wire.CodeTokenUnknown:    http.StatusUnauthorized,
	wire.CodeTokenRevoked:    http.StatusUnauthorized,
	wire.CodeEnrollUnknown:   http.StatusForbidden,
	wire.CodeEnrollUsed:      http.StatusForbidden,
	wire.CodeEnrollExpired:   http.StatusForbidden,
	wire.CodeTooManyAttempts: http.StatusTooManyRequests,
	wire.CodeBadRequest:      http.StatusBadRequest,
	wire.CodeProtocolVersion: http.StatusBadRequest,
	wire.CodeBodyTooLarge:    http.StatusRequestEntityTooLarge,
	wire.CodeBatchTooLarge:   http.StatusRequestEntityTooLarge,
	wire.CodeEmptyBatch:      http.StatusBadRequest,
	wire.CodeBatchConflict:   http.StatusConflict,
	wire.CodeKeyRegistered:   http.StatusConflict,
	wire.CodeNotJSON:         http.StatusUnsupportedMediaType,
	wire.CodeBatchUnknown:    http.StatusNotFound,
	wire.CodeCertUnknown:     http.StatusNotFound,
	wire.CodeNotFound:        http.StatusNotFound,
	codeMethodNotAllowed:     http.StatusMethodNotAllowed,
	wire.CodeInternal:        http.StatusInternalServerError,
	codeServiceShutdown:      http.StatusServiceUnavailable,
	codeUnsupportedFormat:    http.StatusUnsupportedMediaType,

	// The staff API's.
	wire.CodeLoginFailed:     http.StatusUnauthorized,
	wire.CodeSessionExpired:  http.StatusUnauthorized,
	wire.CodeSessionUnknown:  http.StatusUnauthorized,
	wire.CodeAccountDisabled: http.StatusForbidden,
	wire.CodeStaffOnly:       http.StatusForbidden,
	wire.CodeForbidden:       http.StatusForbidden,
	wire.CodeOutOfScope:      http.StatusForbidden,
	wire.CodeReviewResolved:  http.StatusConflict,
	wire.CodeInvalidRecord:   http.StatusUnprocessableEntity,
}

const (
	codeMethodNotAllowed  = "method_not_allowed"
	codeServiceShutdown   = "unavailable"
	codeUnsupportedFormat = "unsupported_encoding"
)

// apiError is an error answer: a code of codeStatus and a Spanish message.
func apiError(code, msg string) *domain.Error { return &domain.Error{Code: code, Text: msg} }

// fail answers err as the API's one error shape. A *domain.Error with a
// code of codeStatus is shown as is; anything else is logged and answered
// as an internal error, without its details.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := wire.CodeInternal, "Error interno del registro: se reintentará más tarde. Si sigue pasando, avisale al equipo central."
	if e, ok := errors.AsType[*domain.Error](err); ok && codeStatus[e.Code] != 0 {
		code, msg = e.Code, domain.Message(e, "es")
	} else if errors.Is(err, context.Canceled) {
		code, msg = codeServiceShutdown, "El registro se está reiniciando: se reintentará en un momento."
	} else {
		s.log.ErrorContext(r.Context(), "request failed", "pattern", r.Pattern, "err", err)
	}
	var body wire.ErrorBody
	body.Error.Code, body.Error.Message = code, msg
	if code == wire.CodeTokenMissing || code == wire.CodeTokenUnknown || code == wire.CodeTokenRevoked {
		w.Header().Set("WWW-Authenticate", `Bearer realm="puntos"`)
	}
	s.sendJSON(w, r, codeStatus[code], body)
}

// sendJSON answers v as JSON.
func (s *Server) sendJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.log.ErrorContext(r.Context(), "encode answer", "err", err)
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"Error interno del registro."}}`)
	}
	s.send(w, r, status, "application/json", body)
}

// gzipMin is the smallest answer worth compressing.
const gzipMin = 512

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return w }}

// send writes an answer, gzip-compressed when the client accepts it.
func (s *Server) send(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Add("Vary", "Accept-Encoding")
	if len(body) >= gzipMin && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		var buf bytes.Buffer
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body) // writes to a bytes.Buffer do not fail
		zw.Close()
		gzipPool.Put(zw)
		body = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if q, ok := strings.CutPrefix(q, "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// readBody reads a request body of at most limit bytes once decompressed
// (Content-Encoding gzip or none). The compressed body is limited too, and
// decompression stops at limit, so a gzip bomb costs at most limit bytes.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	in := http.MaxBytesReader(w, r.Body, limit+64<<10)
	var src io.Reader = in
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(in)
		if err != nil {
			return nil, badBody(err, limit)
		}
		defer zr.Close()
		src = zr
	default:
		return nil, apiError(codeUnsupportedFormat, "El envío usa una compresión que el registro no conoce: usá gzip o ninguna.")
	}
	body, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		return nil, badBody(err, limit)
	}
	if int64(len(body)) > limit {
		return nil, wire.BodyTooLarge(limit)
	}
	return body, nil
}

// badBody is the error for a body that could not be read.
func badBody(err error, limit int64) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return wire.BodyTooLarge(limit)
	}
	return apiError(wire.CodeBadRequest, "El envío llegó dañado o incompleto: se reintentará.")
}

// decodeJSON decodes a small JSON request body into v.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body, err := s.readBody(w, r, limit)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return apiError(wire.CodeBadRequest, "El pedido no es JSON válido: es un error del programa, avisale al equipo central.")
	}
	return nil
}

// reqInfo is what a request's log line says beyond method and status; the
// handlers fill it. It holds no personal data.
type reqInfo struct {
	device  string
	batch   string
	records int
}

type infoKey struct{}

func infoOf(r *http.Request) *reqInfo {
	if i, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

// recorder remembers the status an answer was written with.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// logged marks every answer with the protocol header, recovers from
// panics, and logs one line per request: method, route pattern, status,
// duration, device ID, batch ID and record count, never a DNI, a name, a
// token or a code (so the path, which may hold a code, is not logged).
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		rec := &recorder{ResponseWriter: w}
		rec.Header().Set(wire.HeaderProtocol, wire.Protocol)
		rec.Header().Set("Cache-Control", "no-store")
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic", "pattern", r.Pattern, "panic", p)
				if rec.status == 0 {
					s.fail(rec, r, errors.New("panic"))
				}
			}
			attrs := []any{"method", r.Method, "pattern", r.Pattern, "status", rec.status,
				"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "bytes", rec.bytes}
			if info.device != "" {
				attrs = append(attrs, "device", info.device)
			}
			if info.batch != "" {
				attrs = append(attrs, "batch", info.batch, "records", info.records)
			}
			s.log.InfoContext(r.Context(), "request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}
