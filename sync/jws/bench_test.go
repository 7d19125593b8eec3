package jws_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

var benchClaims = jws.Claims{Code: "ABCD-EFGH-JK", DNI: "20123456", Activity: "CU-GEST-01", Dates: []string{"2026-03-12", "2026-11-26"},
	Points: 60, Kind: "aprobacion", Signed: 1795000000}

// BenchmarkSign signs one certificate, as issuing does per person.
func BenchmarkSign(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	for b.Loop() {
		if _, err := jws.Sign(key, benchClaims); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJudge verifies one certificate against a set of 5,000 keys,
// its own the last, as /v/ and puntos verify do.
func BenchmarkJudge(b *testing.B) {
	set := wire.KeySet{}
	var key ed25519.PrivateKey
	for i := range 5000 {
		pub, k, _ := ed25519.GenerateKey(rand.Reader)
		key = k
		set.Keys = append(set.Keys, wire.JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub), Kid: jws.Kid(pub),
			Office: fmt.Sprintf("Oficina %d", i), Province: "Salta", Status: wire.KeyActive})
	}
	token, _ := jws.Sign(key, benchClaims)
	for b.Loop() {
		if v := jws.Judge(set, token, jws.Receipt{}); !v.OK() {
			b.Fatal(v)
		}
	}
}
