// Package jws signs certificates' facts as RFC 7515 compact JWS with
// Ed25519 (RFC 8037, "alg":"EdDSA"), keeps a signing key in a file of a
// data folder, and judges a signed certificate against the key set the
// registry publishes (wire.KeySet). It needs no JOSE library: the
// compact form is three base64url parts joined by dots.
package jws

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxLen bounds a JWS accepted for verification: a certificate's is about
// 300 characters.
const MaxLen = 2048

var b64 = base64.RawURLEncoding

// Claims are the signed facts of a certificate, with short names to keep
// the QR small. Names and titles stay on the paper.
type Claims struct {
	Code     string   `json:"c,omitempty"` // none on a statement
	DNI      string   `json:"d"`
	Activity string   `json:"a,omitempty"`
	Dates    []string `json:"s"` // the session date; a course's first and last
	Points   int      `json:"p"`
	Kind     string   `json:"k"` // domain.KindAttendance or domain.KindApproval
	Signed   int64    `json:"t"` // signing time, Unix seconds, as the signer's clock said
}

// SignedAt returns the signing time the claims state.
func (c Claims) SignedAt() time.Time { return time.Unix(c.Signed, 0).UTC() }

type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// Kid names a public key: the first 8 characters of the base64url SHA-256
// of its 32 bytes (48 bits; a registry holds thousands of keys).
func Kid(pub []byte) string {
	sum := sha256.Sum256(pub)
	return b64.EncodeToString(sum[:])[:8]
}

// Sign returns the compact JWS of c under key.
func Sign(key ed25519.PrivateKey, c Claims) (string, error) {
	h, _ := json.Marshal(header{Alg: "EdDSA", Kid: Kid(key.Public().(ed25519.PublicKey))})
	p, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(p)
	return input + "." + b64.EncodeToString(ed25519.Sign(key, []byte(input))), nil
}

// Token is a parsed, not yet verified, JWS.
type Token struct {
	Kid    string
	Claims Claims
	input  string // header.payload, what the signature covers
	sig    []byte
}

// ErrMalformed is wrapped by Parse's errors.
var ErrMalformed = errors.New("not a signed certificate")

// Parse splits a compact JWS and decodes its header and claims. It checks
// the algorithm, not the signature.
func Parse(s string) (Token, error) {
	s = strings.TrimSpace(s)
	if len(s) > MaxLen {
		return Token{}, fmt.Errorf("%w: too long", ErrMalformed)
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Token{}, fmt.Errorf("%w: %d parts", ErrMalformed, len(parts))
	}
	var t Token
	var h header
	if err := decodePart(parts[0], &h); err != nil {
		return t, err
	}
	if h.Alg != "EdDSA" || h.Kid == "" {
		return t, fmt.Errorf("%w: alg %q", ErrMalformed, h.Alg)
	}
	if err := decodePart(parts[1], &t.Claims); err != nil {
		return t, err
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != ed25519.SignatureSize {
		return t, fmt.Errorf("%w: signature", ErrMalformed)
	}
	t.Kid, t.input, t.sig = h.Kid, parts[0]+"."+parts[1], sig
	return t, nil
}

func decodePart(part string, v any) error {
	raw, err := b64.DecodeString(part)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}

// VerifyWith reports whether the signature holds under pub.
func (t Token) VerifyWith(pub []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, []byte(t.input), t.sig)
}

// FromText finds the JWS in what a QR or a person gives: a URL whose path
// has /v/<JWS>, or the JWS itself. ok is false for anything else (a bare
// certificate code, say).
func FromText(text string) (jws string, ok bool) {
	text = strings.TrimSpace(text)
	if i := strings.LastIndex(text, "/v/"); i >= 0 {
		text = text[i+3:]
	}
	if j := strings.IndexAny(text, "?#"); j >= 0 {
		text = text[:j]
	}
	return text, strings.Count(text, ".") == 2 && !strings.ContainsAny(text, " /")
}

// URL is what a signed certificate's QR holds: base + "/v/" + jws.
func URL(base, jws string) string {
	return strings.TrimRight(strings.TrimSpace(base), "/") + "/v/" + jws
}
