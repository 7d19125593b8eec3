package jws_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), jws.DeviceKeyFile)
	k1, made, err := jws.LoadOrCreate(path)
	if err != nil || !made {
		t.Fatalf("first: made %v, %v", made, err)
	}
	if fi, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", fi.Mode(), err)
	}
	k2, made, err := jws.LoadOrCreate(path)
	if err != nil || made || !k1.Equal(k2) {
		t.Fatalf("second: made %v, same %v, %v", made, k1.Equal(k2), err)
	}
	os.WriteFile(path, []byte("not a key"), 0o600)
	if _, _, err := jws.LoadOrCreate(path); err == nil {
		t.Error("a damaged key file is not reported (and must not be replaced)")
	}
}

func keySet(pub []byte, status string, revoked *time.Time) wire.KeySet {
	return wire.KeySet{Keys: []wire.JWK{{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub),
		Kid: jws.Kid(pub), Office: "Capacitación Tandil", Province: "Buenos Aires", Status: status, RevokedAt: revoked}}}
}

func TestJudge(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	c := jws.Claims{Code: "ABCD-EFGH-JK", DNI: "20123456", Activity: "CH-INSP-01", Dates: []string{"2026-11-27"}, Points: 2,
		Kind: "asistencia", Signed: time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC).Unix()}
	token, err := jws.Sign(key, c)
	if err != nil {
		t.Fatal(err)
	}
	active := keySet(pub, wire.KeyActive, nil)
	revokedAt := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	revoked := keySet(pub, wire.KeyRevoked, &revokedAt)
	before, after := jws.Receipt{Known: true, At: revokedAt.Add(-time.Hour)}, jws.Receipt{Known: true, At: revokedAt.Add(time.Hour)}
	for _, tc := range []struct {
		name  string
		set   wire.KeySet
		token string
		r     jws.Receipt
		want  string
	}{
		{"received", active, token, before, jws.Genuine},
		{"not received", active, token, jws.Receipt{Known: true}, jws.NotReceived},
		{"offline", active, token, jws.Receipt{}, jws.NotReceived},
		{"revoked, received before", revoked, token, before, jws.Genuine},
		{"revoked, received after", revoked, token, after, jws.RevokedKey},
		{"revoked, not received", revoked, token, jws.Receipt{Known: true}, jws.RevokedKey},
		{"revoked, offline", revoked, token, jws.Receipt{}, jws.RevokedKey},
		{"unknown kid", wire.KeySet{}, token, before, jws.Forged},
		{"garbage", active, "a.b.c", before, jws.Forged},
		{"too long", active, token + string(make([]byte, jws.MaxLen)), before, jws.Forged},
	} {
		v := jws.Judge(tc.set, tc.token, tc.r)
		if v.State != tc.want || v.Message == "" || v.OK() != (tc.want == jws.Genuine || tc.want == jws.NotReceived) {
			t.Errorf("%s: %+v, want %s", tc.name, v, tc.want)
		}
		if v.OK() && (v.Claims == nil || v.Claims.Code != c.Code || v.Office != "Capacitación Tandil") {
			t.Errorf("%s: facts %+v", tc.name, v)
		}
	}
	if _, err := jws.Parse("eyJhbGciOiJub25lIn0.e30."); !errors.Is(err, jws.ErrMalformed) {
		t.Errorf("alg none: %v", err)
	}
}

func TestFromText(t *testing.T) {
	for in, want := range map[string]bool{
		"https://verificar.example.gob.ar/v/aa.bb.cc": true,
		" aa.bb.cc\n": true,
		"https://verificar.example.gob.ar/verify/ABCD": false,
		"ABCD-EFGH-JK": false,
	} {
		if _, ok := jws.FromText(in); ok != want {
			t.Errorf("FromText(%q) = %v", in, ok)
		}
	}
}
