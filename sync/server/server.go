package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Page sizes of the catalog and roster pulls.
const (
	DefaultPageSize = 1000
	MaxPageSize     = 5000
)

// EnrollCodeTTL is how long an enrollment code works.
const EnrollCodeTTL = 7 * 24 * time.Hour

// maxEnrollBody limits an enrollment request.
const maxEnrollBody = 16 << 10

// Server is the registry's HTTP API over a Store. It implements
// http.Handler; use it with Serve, or with httptest in tests.
type Server struct {
	store Store
	log   *slog.Logger
	mux   http.Handler

	// Now returns the current time (receipts, code expiry, clock sanity,
	// rate limits); tests replace it.
	Now func() time.Time
	// TrustedProxies are the addresses of the reverse proxies in front of
	// the registry: only a request from one of them has its
	// X-Forwarded-For believed (see clientAddr). None by default.
	TrustedProxies []netip.Prefix
	// PublicURL is the https address people reach the registry at from
	// their phones (serve --public-url): devices learn it at enrollment
	// and on every pull, and their certificates print it.
	PublicURL string
	// Key is the registry's own signing key: it signs the documents the
	// registry issues and is published with the devices' keys. Nil for a
	// registry without one.
	Key ed25519.PrivateKey
}

// NewServer returns the registry API over st, logging to log (slog.Default
// when nil).
func NewServer(st Store, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{store: st, log: log, Now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+wire.PathEnroll, s.enroll)
	mux.HandleFunc("GET "+wire.PathCatalog, s.authed(s.catalog))
	mux.HandleFunc("GET "+wire.PathRoster, s.authed(s.roster))
	mux.HandleFunc("POST "+wire.PathBatches, s.authed(s.postBatch))
	mux.HandleFunc("GET "+wire.PathBatch, s.authed(s.getBatch))
	mux.HandleFunc("GET "+wire.PathCertificate, s.certificate)
	mux.HandleFunc("GET "+wire.PathVerify, s.verify)
	mux.HandleFunc("GET "+wire.PathKeys, s.keys)
	mux.HandleFunc("POST "+wire.PathSigningKey, s.authed(s.signingKey))
	mux.HandleFunc("GET "+wire.PathVerifySigned, s.verifySigned)
	// The same paths with another method, and any other path, answer in
	// the API's error shape rather than net/http's plain text.
	for _, p := range []string{wire.PathEnroll, wire.PathCatalog, wire.PathRoster, wire.PathBatches, wire.PathBatch, wire.PathCertificate,
		wire.PathVerify, wire.PathKeys, wire.PathSigningKey, wire.PathVerifySigned} {
		mux.HandleFunc(p, s.methodNotAllowed)
	}
	registerStaff(s, mux) // the central staff's API (staff_api.go)
	mux.HandleFunc("/", s.notFound)
	s.mux = s.logged(mux)
	return s
}

// ServeHTTP serves the registry API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) now() time.Time { return s.Now().UTC() }

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, apiError(wire.CodeNotFound, "Esa dirección no existe en el registro: revisá la URL del registro en Ajustes."))
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, apiError(codeMethodNotAllowed, "Ese método no se usa en esta dirección: es un error del programa, avisale al equipo central."))
}

// NewToken returns a new device token (32 random bytes, base64url) and
// its hash as the registry stores it.
func NewToken() (token string, hash []byte) {
	var b [32]byte
	rand.Read(b[:]) // never fails
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, wire.HashSecret(token)
}

// NewEnrollment makes a one-time enrollment code for an office of a
// province (any spelling geo.FindProvince knows), valid EnrollCodeTTL from
// now. It returns the code to give to a person and what to store.
func NewEnrollment(office, province string, now time.Time) (string, wire.EnrollmentCode, error) {
	office = strings.Join(strings.Fields(office), " ")
	if office == "" || domain.CheckLen("office", office, domain.MaxOffice) != nil {
		return "", wire.EnrollmentCode{}, apiError(wire.CodeBadRequest, fmt.Sprintf("Escribí el nombre de la oficina (hasta %d caracteres).", domain.MaxOffice))
	}
	prov, ok := geo.FindProvince(province)
	if !ok {
		return "", wire.EnrollmentCode{}, apiError(wire.CodeBadRequest, "No se reconoce la provincia "+strconv.Quote(province)+": escribila como en la lista (por ejemplo «Córdoba» o «CABA»).")
	}
	code := domain.NewCode()
	return code, wire.EnrollmentCode{CodeHash: wire.HashSecret(code), Office: office, Province: prov.Name, ProvinceID: prov.ID,
		CreatedAt: now.UTC(), ExpiresAt: now.UTC().Add(EnrollCodeTTL)}, nil
}

// enroll redeems a one-time code for a device ID and token. Failed
// attempts are counted per client address and answered with 429 beyond
// enrollLimit.
func (s *Server) enroll(w http.ResponseWriter, r *http.Request) {
	host := s.clientAddr(r)
	if wait, err := s.blocked(r.Context(), enrollLimit, host); err != nil {
		s.fail(w, r, err)
		return
	} else if wait > 0 {
		retryAfter(w, wait)
		s.fail(w, r, apiError(wire.CodeTooManyAttempts, "Demasiados intentos de alta fallidos desde esta conexión: esperá unos minutos y revisá el código."))
		return
	}
	var req wire.EnrollRequest
	if err := s.decodeJSON(w, r, maxEnrollBody, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	name := strings.Join(strings.Fields(req.DeviceName), " ")
	if name == "" || domain.CheckLen("device_name", name, domain.MaxDeviceName) != nil || !utf8.ValidString(name) {
		s.fail(w, r, apiError(wire.CodeBadRequest, fmt.Sprintf("Poné un nombre al equipo (hasta %d caracteres), por ejemplo «Notebook Tandil 2».", domain.MaxDeviceName)))
		return
	}
	failed := func(err error) {
		if cerr := s.countFailure(r.Context(), enrollLimit, host); cerr != nil {
			err = cerr
		}
		s.fail(w, r, err)
	}
	code, err := domain.NormalizeCode(req.Code)
	if err != nil {
		failed(apiError(wire.CodeEnrollUnknown, "Ese código de alta no existe: revisá que esté bien escrito (tiene 10 letras y números) o pedile uno nuevo al equipo central."))
		return
	}
	dev := wire.EnrolledDevice{ID: domain.NewID(), Name: name}
	if req.PublicKey != "" {
		if dev.SignKey, err = publicKey(req.PublicKey); err != nil {
			s.fail(w, r, err)
			return
		}
		dev.SignKid = jws.Kid(dev.SignKey)
	}
	token, hash := NewToken()
	dev.TokenHash = hash
	dev, err = s.store.RedeemEnrollment(r.Context(), wire.HashSecret(code), dev, s.now())
	if e, ok := errors.AsType[*domain.Error](err); ok && codeStatus[e.Code] == http.StatusForbidden {
		failed(err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	infoOf(r).device = dev.ID
	s.sendJSON(w, r, http.StatusOK, wire.EnrollResponse{Protocol: wire.Protocol, DeviceID: dev.ID, Token: token,
		Office: dev.Office, Province: dev.Province, PublicURL: s.PublicURL, Kid: dev.SignKid})
}

// authed runs h for a request with the bearer token of an enrolled,
// unrevoked device, and answers 401 otherwise.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, wire.EnrolledDevice)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			s.fail(w, r, apiError(wire.CodeTokenMissing, "Este equipo no está dado de alta en el registro: dalo de alta con un código del equipo central."))
			return
		}
		dev, err := s.store.DeviceByToken(r.Context(), wire.HashSecret(token))
		switch {
		case errors.Is(err, domain.ErrNotFound):
			s.fail(w, r, apiError(wire.CodeTokenUnknown, "El registro no reconoce a este equipo: pedí un nuevo código de alta al equipo central y volvé a darlo de alta."))
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		infoOf(r).device = dev.ID
		if dev.Revoked() {
			s.fail(w, r, apiError(wire.CodeTokenRevoked, "Este equipo fue dado de baja: pedí un nuevo código de alta al equipo central y volvé a darlo de alta. Lo que falta enviar se conserva."))
			return
		}
		h(w, r, dev)
	}
}

// pageParams reads the since and limit query parameters of a pull.
func pageParams(r *http.Request) (since int64, limit int, err error) {
	q := r.URL.Query()
	if v := q.Get("since"); v != "" {
		if since, err = strconv.ParseInt(v, 10, 64); err != nil || since < 0 {
			return 0, 0, apiError(wire.CodeBadRequest, "El cursor de sincronización no es válido: se volverá a descargar todo.")
		}
	}
	limit = DefaultPageSize
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return 0, 0, apiError(wire.CodeBadRequest, "El tamaño de página no es válido: es un error del programa.")
		}
	}
	return since, min(limit, MaxPageSize), nil
}

// catalog answers the activities changed after the cursor.
func (s *Server) catalog(w http.ResponseWriter, r *http.Request, _ wire.EnrolledDevice) {
	since, limit, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, next, more, err := s.store.CatalogChanges(r.Context(), since, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendJSON(w, r, http.StatusOK, wire.CatalogPage{Protocol: wire.Protocol, Activities: acts, Next: strconv.FormatInt(next, 10), More: more,
		PublicURL: s.PublicURL})
}

// roster answers the people of the device's enrolled province changed
// after the cursor, plus the people with no recognised province (a roster
// row without one, or a walk-in sent without one): they could attend
// anywhere, and a device that does not have them would have to add them
// again as walk-ins. People are never deleted from the feed.
func (s *Server) roster(w http.ResponseWriter, r *http.Request, dev wire.EnrolledDevice) {
	since, limit, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, next, more, err := s.store.RosterChanges(r.Context(), dev.ProvinceID, since, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendJSON(w, r, http.StatusOK, wire.RosterPage{Protocol: wire.Protocol, People: people, Next: strconv.FormatInt(next, 10), More: more})
}

// postBatch stores a batch and answers its receipt (200). A batch ID
// already stored, from this device or another, answers the stored receipt
// byte for byte when the batch is the same but for its device clock, and
// 409 CodeBatchConflict when its records differ: the device then sends
// them again under a new ID. A body that is not JSON (gzipped or not) is
// 415; a batch without records, 400 CodeEmptyBatch.
func (s *Server) postBatch(w http.ResponseWriter, r *http.Request, dev wire.EnrolledDevice) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.fail(w, r, apiError(wire.CodeNotJSON, "El lote tiene que ir como JSON (Content-Type: application/json): es un error del programa, avisale al equipo central."))
		return
	}
	body, err := s.readBody(w, r, wire.MaxBatchBytes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := wire.DecodeBatch(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	info := infoOf(r)
	info.batch, info.records = b.ID, b.Records()
	receipt, err := s.store.Ingest(r.Context(), wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: s.now()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.send(w, r, http.StatusOK, "application/json", receipt)
}

// getBatch answers the receipt of a batch the device sent; another
// device's batch is 404, as if it did not exist.
func (s *Server) getBatch(w http.ResponseWriter, r *http.Request, dev wire.EnrolledDevice) {
	id := r.PathValue("id")
	unknown := apiError(wire.CodeBatchUnknown, "El registro no tiene ese lote: volvé a enviarlo.")
	if !wire.ValidRecordID(id) {
		s.fail(w, r, unknown)
		return
	}
	infoOf(r).batch = id
	receipt, err := s.store.Receipt(r.Context(), dev.ID, id)
	if errors.Is(err, domain.ErrNotFound) {
		err = unknown
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.send(w, r, http.StatusOK, "application/json", receipt)
}

// lookup returns the certificate a path's {code} names; ok is false when
// the code is malformed or unknown.
func (s *Server) lookup(r *http.Request, raw string) (wire.CertificateCheck, bool, error) {
	code, err := domain.NormalizeCode(raw)
	if err != nil {
		return wire.CertificateCheck{}, false, nil
	}
	c, err := s.store.Certificate(r.Context(), code)
	if errors.Is(err, domain.ErrNotFound) {
		return wire.CertificateCheck{Code: code}, false, nil
	}
	return c, err == nil, err
}

func (s *Server) certificate(w http.ResponseWriter, r *http.Request) {
	c, ok, err := s.lookup(r, r.PathValue("code"))
	switch {
	case err != nil:
		s.fail(w, r, err)
	case !ok:
		s.fail(w, r, apiError(wire.CodeCertUnknown, "No hay ningún certificado con ese código en el registro."))
	default:
		s.sendJSON(w, r, http.StatusOK, c)
	}
}
