package server

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// RegistryOffice is the office the registry's own key is published
// under.
const RegistryOffice = "Registro central de puntos"

// publicKey decodes a raw Ed25519 public key sent in base64url.
func publicKey(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, apiError(wire.CodeBadRequest, "La clave de firma del equipo no es válida: es un error del programa, avisale al equipo central.")
	}
	return b, nil
}

// KeySet returns every signing key as published at wire.PathKeys: the
// registry's own first, then the devices' in enrollment order.
func (s *Server) KeySet(r *http.Request) (wire.KeySet, error) {
	set := wire.KeySet{Keys: []wire.JWK{}}
	if s.Key != nil {
		set.Keys = append(set.Keys, jwk(wire.DeviceKey{Kid: jws.Kid(jws.Public(s.Key)), Public: jws.Public(s.Key), Office: RegistryOffice}))
	}
	keys, err := s.store.DeviceKeys(r.Context())
	if err != nil {
		return set, err
	}
	for _, k := range keys {
		set.Keys = append(set.Keys, jwk(k))
	}
	return set, nil
}

func jwk(k wire.DeviceKey) wire.JWK {
	j := wire.JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k.Public), Kid: k.Kid,
		Office: k.Office, Province: k.Province, Status: wire.KeyActive}
	if !k.RevokedAt.IsZero() {
		at := k.RevokedAt.UTC()
		j.Status, j.RevokedAt = wire.KeyRevoked, &at
	}
	return j
}

// keys publishes the key set; anyone may read it.
func (s *Server) keys(w http.ResponseWriter, r *http.Request) {
	set, err := s.KeySet(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendJSON(w, r, http.StatusOK, set)
}

// signingKey registers the signing key of a device enrolled before keys
// existed.
func (s *Server) signingKey(w http.ResponseWriter, r *http.Request, dev wire.EnrolledDevice) {
	var req wire.SigningKeyRequest
	if err := s.decodeJSON(w, r, maxEnrollBody, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	pub, err := publicKey(req.PublicKey)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kid := jws.Kid(pub)
	if err := s.store.SetSigningKey(r.Context(), dev.ID, kid, pub); err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendJSON(w, r, http.StatusOK, wire.SigningKeyResponse{Protocol: wire.Protocol, Kid: kid})
}

// PublicURL checks the address given to serve --public-url: https with a
// host (http only for this computer, as a demo registry runs), without a
// trailing slash. Empty stays empty.
func PublicURL(raw string) (string, error) {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q no es una dirección válida: escribila completa, por ejemplo https://puntos.example.gob.ar", raw)
	}
	if u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())) {
		return "", fmt.Errorf("%q debe empezar con https:// (la abren teléfonos desde internet)", raw)
	}
	return raw, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// KindStatement is the kind claim of an official statement: its claims
// carry the DNI, the year (as its one date) and the year's points, and no
// certificate code.
const KindStatement = "constancia"

// signStatements signs each year of a ledger as the official statement
// the staff print from it, with the registry's key; without a key or a
// public address it leaves them unsigned.
func (s *Server) signStatements(l *wire.PersonLedger) error {
	if s.Key == nil || s.PublicURL == "" {
		return nil
	}
	l.PublicURL = s.PublicURL
	now := s.now().Unix()
	for i, y := range l.Years {
		signed, err := jws.Sign(s.Key, jws.Claims{DNI: l.Person.DNI, Dates: []string{strconv.Itoa(y.Year)}, Points: y.Points,
			Kind: KindStatement, Signed: now})
		if err != nil {
			return err
		}
		l.Years[i].Signed = signed
	}
	return nil
}
